import { resolvePolicyDocument, type PolicyStatement } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';
import { isCloudflareExpression, isCloudflareRange, parseRange } from './_edge-cloudflare-ranges';

/** Broadest `aws:SourceIp` ranges S3 Block Public Access still deems non-public. */
const MAX_BREADTH = { 32: 8, 128: 32 } as Record<number, number>;
const READ_ACTIONS = new Set(['s3:GetObject']);

/** A key prefix of literal path segments, e.g. `public/` in `public/*`: a wildcard-free first segment ending in `/`. */
const LITERAL_KEY_PREFIX = /^[^*?$/]+\//;

/** The object-key pattern of an S3 ARN (`arn:aws:s3:::<bucket>/<key>` or `${<expression>}/<key>`); undefined if it names no objects. */
function objectKey(resource: string): string | undefined {
  if (!resource.startsWith('${')) return /^arn:[^:]+:s3:::[^/]+\/(.*)$/.exec(resource)?.[1];
  let depth = 0;
  for (let i = 1; i < resource.length; i++) {
    if (resource[i] === '{') depth++;
    else if (resource[i] === '}' && --depth === 0) return resource[i + 1] === '/' ? resource.slice(i + 2) : undefined;
  }
  return undefined;
}

const isAnonymous = (statement: PolicyStatement) =>
  statement.principals.some((p) => (p.type === '*' || p.type === 'AWS') && p.identifiers.includes('*'));

function checkStatement(statement: PolicyStatement): string[] {
  const label = statement.sid ? `statement ${statement.sid}` : 'a statement';
  const problems: string[] = [];
  const wide = [...statement.actions, ...statement.notActions.map((a) => `NotAction ${a}`)].filter((a) => !READ_ACTIONS.has(a));
  if (wide.length > 0) problems.push(`${label} allows ${wide.join(', ')} to every principal; only s3:GetObject may be granted to the CDN`);
  if (statement.notResources.length > 0) problems.push(`${label} uses NotResource; list the public key prefix in Resource instead`);
  for (const resource of statement.resources) {
    if (!LITERAL_KEY_PREFIX.test(objectKey(resource) ?? '')) {
      problems.push(
        `${label}: resource ${resource} is not limited to a key prefix; ` +
          'anonymous reads must cover only the public objects (e.g. <bucket>/public/*), never the whole bucket',
      );
    }
  }
  const sourceIps = statement.conditions.filter((c) => c.variable.toLowerCase() === 'aws:sourceip');
  const ipAllow = sourceIps.filter((c) => c.test === 'IpAddress');
  if (ipAllow.length === 0 || sourceIps.length !== ipAllow.length) {
    problems.push(
      `${label} grants to every principal without an IpAddress aws:SourceIp condition limited to Cloudflare's ranges (it is public)`,
    );
    return problems;
  }
  for (const value of ipAllow.flatMap((c) => c.values)) {
    if (value.includes('${')) {
      if (!isCloudflareExpression(value))
        problems.push(`${label}: aws:SourceIp value ${value} does not come from data.cloudflare_ip_ranges`);
      continue;
    }
    const range = parseRange(value);
    if (!range) problems.push(`${label}: aws:SourceIp value "${value}" is not a CIDR block`);
    else if (range.prefix < MAX_BREADTH[range.bits]!)
      problems.push(`${label}: "${value}" is broader than /${MAX_BREADTH[range.bits]}, which S3 Block Public Access treats as public`);
    else if (!isCloudflareRange(value)) problems.push(`${label}: "${value}" is not inside Cloudflare's published ranges`);
  }
  return problems;
}

export default definePolicyRule({
  id: 'EDGE_001',
  title: 'Anonymous S3 reads come only from Cloudflare and only for a public key prefix',
  severity: 'critical',
  description:
    'A bucket policy statement that allows every principal ("*") must only allow s3:GetObject, only on objects under ' +
    'a literal key prefix (e.g. <bucket>/public/*, never <bucket>/* or NotResource, so private objects stay private), ' +
    'and must carry an IpAddress aws:SourceIp condition whose values are Cloudflare ranges: the cloudflare_ip_ranges data source, ' +
    "or literal CIDRs inside Cloudflare's published ranges and no broader than /8 (IPv4) or /32 (IPv6), " +
    'so S3 Block Public Access keeps the policy non-public. Use an Allow with that condition, never a blanket public grant.',
  resourceTypes: ['aws_s3_bucket_policy'],
  check: ({ doc, body, resource }) => {
    const statements = resolvePolicyDocument(doc, body.policy);
    if (statements === undefined)
      return [
        {
          message: 'the policy cannot be read statically (use a JSON string or data.aws_iam_policy_document)',
          path: `${resource.path}.policy`,
        },
      ];
    return statements.filter((s) => s.effect === 'Allow' && isAnonymous(s)).flatMap(checkStatement) as RuleViolation[];
  },
});
