import { Token } from 'cdktn';
import { Construct } from 'constructs';
import { DataCloudflareIpRanges } from '../cloudflare/ip-ranges';
import { invalidProp } from '../invalid-prop';
import { MAX_PUBLIC_SAFE_IPV6_PREFIX, splitToSlash32 } from './ipv6-cidr';

/** Read the ranges at plan time, or use a literal (dated) list. */
export type CloudflareRangesProps =
  | { readonly source: 'data-source' }
  | { readonly source: 'fallback'; readonly ipv4: readonly string[]; readonly ipv6: readonly string[] };

/**
 * Cloudflare's edge ranges, from the `cloudflare_ip_ranges` data source at plan time or from a dated
 * literal list. Lists from the data source are token lists: consumers must not spread or concatenate
 * them in TypeScript, only pass them whole (see `isPlanTime`).
 */
export class CloudflareRanges extends Construct {
  /** Every IPv4 range, as published. */
  readonly ipv4: string[];
  /** Every IPv6 range, as published (for security groups, which accept any prefix). */
  readonly ipv6: string[];
  /** IPv4 and IPv6 ranges with IPv6 split to /32 or narrower, for S3 `aws:SourceIp` conditions. */
  readonly forSourceIpCondition: string[];
  /** True when the lists are token lists resolved at plan time. */
  readonly isPlanTime: boolean;
  readonly dataSource?: DataCloudflareIpRanges;

  constructor(scope: Construct, id: string, props: CloudflareRangesProps) {
    super(scope, id);
    if (props.source === 'fallback') {
      if (props.ipv4.length === 0)
        invalidProp('CloudflareRanges', 'ipv4', 'at least one range (a fallback needs both families)', props.ipv4);
      if (props.ipv6.length === 0)
        invalidProp('CloudflareRanges', 'ipv6', 'at least one range (a fallback needs both families)', props.ipv6);
      this.isPlanTime = false;
      this.ipv4 = [...props.ipv4];
      this.ipv6 = [...props.ipv6];
      this.forSourceIpCondition = [...props.ipv4, ...props.ipv6.flatMap(splitToSlash32)];
      return;
    }
    const source: unknown = props.source;
    if (source !== 'data-source') invalidProp('CloudflareRanges', 'source', '"data-source" or "fallback"', source);
    const ranges = new DataCloudflareIpRanges(this, 'ip-ranges');
    // Fail the plan rather than apply an empty list (an outage) or a range S3 would deem public.
    ranges.addOverride('lifecycle.postcondition', [
      {
        condition: '${length(self.ipv4_cidrs) > 0 && length(self.ipv6_cidrs) > 0}',
        error_message: 'cloudflare_ip_ranges returned no ranges; set edge.cloudflareIpRanges.source to "fallback"',
      },
      {
        condition: '${alltrue([for c in self.ipv4_cidrs : tonumber(split("/", c)[1]) >= 8])}',
        error_message: 'cloudflare_ip_ranges returned an IPv4 range broader than /8, which S3 Block Public Access would treat as public',
      },
    ]);
    const address = `data.${DataCloudflareIpRanges.tfResourceType}.${ranges.friendlyUniqueId}`;
    const prefix = (c: string) => `tonumber(split("/", ${c})[1])`;
    const v6Split =
      `flatten([for c in ${address}.ipv6_cidrs : ${prefix('c')} < ${MAX_PUBLIC_SAFE_IPV6_PREFIX} ? ` +
      `[for i in range(pow(2, ${MAX_PUBLIC_SAFE_IPV6_PREFIX} - ${prefix('c')})) : ` +
      `cidrsubnet(c, ${MAX_PUBLIC_SAFE_IPV6_PREFIX} - ${prefix('c')}, i)] : [c]])`;
    this.dataSource = ranges;
    this.isPlanTime = true;
    this.ipv4 = ranges.ipv4Cidrs;
    this.ipv6 = ranges.ipv6Cidrs;
    this.forSourceIpCondition = Token.asList(`\${concat(${address}.ipv4_cidrs, ${v6Split})}`);
  }
}
