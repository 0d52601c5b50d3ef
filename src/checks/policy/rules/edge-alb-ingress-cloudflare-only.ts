import { blocks, isTrue, list, references, resourcesOfType, type JsonObject, type TerraformJson } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';
import { isCloudflareExpression, isCloudflareRange } from './_edge-cloudflare-ranges';

/** Addresses of the security groups attached to internet-facing load balancers of the stack. */
function publicLbGroups(doc: TerraformJson): string[] {
  const groups = resourcesOfType(doc, 'aws_security_group');
  return resourcesOfType(doc, 'aws_lb')
    .filter((lb) => !isTrue(lb.body.internal))
    .flatMap((lb) =>
      groups.filter((sg) => list(lb.body.security_groups).some((ref) => references(ref, sg.address))).map((sg) => sg.address),
    );
}

function sourceProblems(rule: JsonObject, v4Key: string, v6Key: string): string[] {
  const problems: string[] = [];
  if (
    rule.referenced_security_group_id ||
    rule.prefix_list_id ||
    list(rule.security_groups).length > 0 ||
    list(rule.prefix_list_ids).length > 0
  ) {
    problems.push('admits a security group or prefix list; an internet-facing load balancer admits Cloudflare ranges only');
  }
  const each = rule.for_each;
  for (const value of [...list(rule[v4Key]), ...list(rule[v6Key])]) {
    if (typeof value !== 'string') continue;
    if (value === '${each.value}' && isCloudflareExpression(each)) continue;
    if (value.includes('${')) problems.push(`source ${value} does not come from data.cloudflare_ip_ranges`);
    else if (!isCloudflareRange(value)) problems.push(`source ${value} is not inside Cloudflare's published ranges`);
  }
  return problems;
}

export default definePolicyRule({
  id: 'EDGE_004',
  title: 'Internet-facing load balancers admit only Cloudflare ranges',
  severity: 'critical',
  description:
    'Every ingress rule of a security group attached to an internet-facing aws_lb ' +
    'must take its source from the cloudflare_ip_ranges data source (for_each over it) ' +
    "or be a literal CIDR inside Cloudflare's published ranges, so the origin cannot be reached around Cloudflare.",
  resourceTypes: ['aws_vpc_security_group_ingress_rule', 'aws_security_group_rule', 'aws_security_group'],
  check: ({ doc, type, body, resource }) => {
    const groups = publicLbGroups(doc);
    if (type === 'aws_security_group') {
      if (!groups.includes(resource.address)) return [];
      return blocks(body.ingress).flatMap((rule, i) =>
        sourceProblems(rule, 'cidr_blocks', 'ipv6_cidr_blocks').map(
          (message): RuleViolation => ({ message, path: `${resource.path}.ingress[${i}]` }),
        ),
      );
    }
    if (type === 'aws_security_group_rule' && body.type !== 'ingress') return [];
    if (!groups.some((group) => references(body.security_group_id, group))) return [];
    return type === 'aws_security_group_rule'
      ? sourceProblems(body, 'cidr_blocks', 'ipv6_cidr_blocks')
      : sourceProblems(body, 'cidr_ipv4', 'cidr_ipv6');
  },
});
