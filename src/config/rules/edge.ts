import { CLOUDFLARE_PLAN_FEATURES } from '../schema/cloudflare';
import type { EnvironmentFile } from '../schema/environment';
import type { ProjectConfig } from '../schema/project';
import type { Report } from './report';

/**
 * S3 Block Public Access treats an `aws:SourceIp` condition as public when a range is broader than
 * /8 (IPv4) or /32 (IPv6). IPv6 ranges broader than /32 are split into /32s by the edge layer; this
 * bounds the split so the bucket policy stays far below S3's 20 KB limit.
 */
const MIN_IPV4_PREFIX = 8;
const MIN_IPV6_PREFIX = 24;

const prefixOf = (cidr: string): number => Number(cidr.split('/')[1]);

/** The dated fallback list of Cloudflare ranges in project.json. */
export function checkCloudflareFallback(project: ProjectConfig, report: Report): void {
  const fallback = project.cloudflareIpRangesFallback;
  const path = 'cloudflareIpRangesFallback';
  fallback.ipv4.forEach((cidr, i) => {
    if (prefixOf(cidr) < MIN_IPV4_PREFIX)
      report([path, 'ipv4', i], `must be /${MIN_IPV4_PREFIX} or narrower: S3 Block Public Access treats broader source ranges as public`);
  });
  fallback.ipv6.forEach((cidr, i) => {
    if (prefixOf(cidr) < MIN_IPV6_PREFIX)
      report([path, 'ipv6', i], `must be /${MIN_IPV6_PREFIX} or narrower (it is split into /32s for the bucket policy)`);
  });
  for (const family of ['ipv4', 'ipv6'] as const) {
    if (new Set(fallback[family]).size !== fallback[family].length) report([path, family], 'must not repeat a range');
  }
  if (fallback.asOf > new Date().toISOString().slice(0, 10)) report([path, 'asOf'], 'must not be in the future');
}

/** Cross-field rules of the `edge` section. */
export function checkEdge(env: EnvironmentFile, report: Report): void {
  const { edge } = env;

  // The media host lives in the user-content zone; the others share the environment's zone.
  const labels = Object.entries(edge.hosts).filter(([host]) => host !== 'media');
  const seen = new Map<string, string>();
  for (const [host, label] of labels) {
    const clash = seen.get(label);
    if (clash) report(['edge', 'hosts', host], `must differ from hosts.${clash} ("${label}"): each entry point needs its own DNS name`);
    seen.set(label, host);
  }
  // A proxied CNAME cannot share its name with the MAIL FROM MX and SPF records.
  if (edge.email.domain === env.domain) {
    const host = labels.find(([, label]) => label === edge.email.mailFromLabel);
    if (host)
      report(
        ['edge', 'email', 'mailFromLabel'],
        `must differ from hosts.${host[0]} ("${host[1]}"): ` +
          'the MAIL FROM name carries MX and TXT records, which cannot coexist with a CNAME',
      );
  }
  checkApiRateLimit(env, report);
}

/** Only a plan whose rate limiting rules can match the Host field can limit the api host alone. */
function checkApiRateLimit(env: EnvironmentFile, report: Report): void {
  const limit = env.edge.apiRateLimit;
  if (!limit) return;
  const plan = env.edge.zonePlan;
  const features = CLOUDFLARE_PLAN_FEATURES[plan];
  const path = ['edge', 'apiRateLimit'];
  if (!features.rateLimitByHost) {
    report(
      path,
      `must be left out on the ${plan} plan: its rate limiting rules cannot match the host (only the path), so a limit for the api host ` +
        'would also limit app and admin',
    );
    return;
  }
  if (!features.rateLimitPeriods.includes(limit.periodSeconds)) {
    report([...path, 'periodSeconds'], `must be one of ${features.rateLimitPeriods.join(', ')} on the ${plan} plan`);
  }
  if (!features.rateLimitTimeouts.includes(limit.mitigationTimeoutSeconds)) {
    report([...path, 'mitigationTimeoutSeconds'], `must be one of ${features.rateLimitTimeouts.join(', ')} on the ${plan} plan`);
  }
}
