import { Construct } from 'constructs';
import { CLOUDFLARE_PLAN_FEATURES, type CloudflarePlan } from '../../config/schema/cloudflare';
import { CloudflareDnsRecord, type CaaRecordData } from '../cloudflare/dns-record';
import { CloudflareRuleset } from '../cloudflare/ruleset';
import { CloudflareZoneSetting, type ZoneSettingId, type ZoneSettingValues } from '../cloudflare/zone-setting';
import { invalidProp } from '../invalid-prop';

/**
 * CAs Cloudflare issues Universal and advanced edge certificates from, each for the apex and `*.<zone>`
 * (https://developers.cloudflare.com/ssl/edge-certificates/caa-records/, "CAA records added by Cloudflare").
 */
export const CLOUDFLARE_EDGE_CAS = ['letsencrypt.org', 'pki.goog', 'ssl.com', 'sectigo.com'] as const;
/** The CAA domain of Amazon's CAs, which issue ACM certificates (https://docs.aws.amazon.com/acm/latest/userguide/setup-caa.html). */
export const AMAZON_CAA_DOMAIN = 'amazon.com';

/**
 * Managed WAF rulesets by what the plan may deploy
 * (https://developers.cloudflare.com/waf/managed-rules/, "Available managed rulesets").
 */
export const MANAGED_WAF_RULESET_IDS = {
  free: '77454fe2d30c4220b5701f6fdfb893ba',
  cloudflare: 'efb7b8c949ac4650a09736fc376e9aee',
} as const;

/** One year, as browsers' preload lists require; preload itself stays off, since leaving a list takes months. */
const HSTS = { enabled: true, max_age: 31_536_000, include_subdomains: true, preload: false, nosniff: true };

const SETTINGS: { readonly [K in ZoneSettingId]: ZoneSettingValues[K] } = {
  // Cloudflare validates the origin's certificate: ACM's on the load balancer, Amazon's on S3.
  ssl: 'strict',
  always_use_https: 'on',
  automatic_https_rewrites: 'on',
  min_tls_version: '1.2',
  tls_1_3: 'on',
  security_header: { strict_transport_security: HSTS },
};

export interface HostRateLimit {
  /** The one host counted and limited. */
  readonly host: string;
  readonly requestsPerPeriod: number;
  readonly periodSeconds: number;
  readonly mitigationTimeoutSeconds: number;
}

export interface ZoneBaselineProps {
  readonly zoneId: string;
  /** The zone's apex name, where the CAA records go. */
  readonly zoneName: string;
  readonly plan: CloudflarePlan;
  /**
   * CAA domains of the CAs that issue origin certificates for names in the zone, next to Cloudflare's edge CAs.
   * @default - none: only Cloudflare's CAs may issue
   */
  readonly originCertificateAuthorities?: readonly string[];
  /**
   * A rate limit for one host; the plan must be able to match the host.
   * @default - no rate limiting rule
   */
  readonly hostRateLimit?: HostRateLimit;
}

/**
 * What every zone gets: SSL Full (strict), HTTPS only with TLS 1.2+ and 1.3, HSTS with nosniff, automatic
 * HTTPS rewrites, the managed WAF ruleset its plan allows, optionally a rate limit for one host, and CAA
 * records naming the only CAs that may issue for it.
 */
export class ZoneBaseline extends Construct {
  readonly settings: readonly CloudflareZoneSetting[];
  readonly caaRecords: readonly CloudflareDnsRecord[];

  constructor(scope: Construct, id: string, props: ZoneBaselineProps) {
    super(scope, id);
    const features = CLOUDFLARE_PLAN_FEATURES[props.plan];
    if (!features)
      invalidProp(`ZoneBaseline ${props.zoneName}`, 'plan', `one of ${Object.keys(CLOUDFLARE_PLAN_FEATURES).join(', ')}`, props.plan);
    this.settings = (Object.keys(SETTINGS) as ZoneSettingId[]).map(
      (settingId) =>
        new CloudflareZoneSetting(this, `setting-${settingId}`, { zoneId: props.zoneId, settingId, value: SETTINGS[settingId] }),
    );

    new CloudflareRuleset(this, 'managed-waf', {
      zoneId: props.zoneId,
      name: 'managed WAF',
      description: 'Managed WAF rules of the zone',
      phase: 'http_request_firewall_managed',
      rules: [
        {
          ref: 'managed_waf_ruleset',
          description: `Cloudflare's ${features.managedWafRuleset === 'free' ? 'Free ' : ''}Managed Ruleset`,
          expression: 'true',
          action: 'execute',
          rulesetId: MANAGED_WAF_RULESET_IDS[features.managedWafRuleset],
        },
      ],
    });

    if (props.hostRateLimit) this.rateLimit(props, props.hostRateLimit);

    const caa = (tag: CaaRecordData['tag'], value: string) =>
      new CloudflareDnsRecord(this, `caa-${tag}-${value.replace(/\./g, '-')}`, {
        zoneId: props.zoneId,
        name: props.zoneName,
        type: 'CAA',
        ttl: 3600,
        caa: { flags: 0, tag, value },
        comment: 'Allowed CA',
      });
    this.caaRecords = [
      // Edge certificates cover `*.<zone>`, which only issuewild records authorize once any exists.
      ...CLOUDFLARE_EDGE_CAS.flatMap((ca) => [caa('issue', ca), caa('issuewild', ca)]),
      ...(props.originCertificateAuthorities ?? []).map((ca) => caa('issue', ca)),
    ];
  }

  private rateLimit(props: ZoneBaselineProps, limit: HostRateLimit): void {
    const features = CLOUDFLARE_PLAN_FEATURES[props.plan];
    const where = `ZoneBaseline ${props.zoneName}`;
    if (!features.rateLimitByHost)
      invalidProp(
        where,
        'hostRateLimit',
        `left out on the ${props.plan} plan, whose rate limiting rules cannot match the host`,
        limit.host,
      );
    if (!features.rateLimitPeriods.includes(limit.periodSeconds))
      invalidProp(where, 'hostRateLimit.periodSeconds', `one of ${features.rateLimitPeriods.join(', ')}`, limit.periodSeconds);
    if (!features.rateLimitTimeouts.includes(limit.mitigationTimeoutSeconds)) {
      invalidProp(
        where,
        'hostRateLimit.mitigationTimeoutSeconds',
        `one of ${features.rateLimitTimeouts.join(', ')}`,
        limit.mitigationTimeoutSeconds,
      );
    }
    new CloudflareRuleset(this, 'rate-limits', {
      zoneId: props.zoneId,
      name: 'rate limits',
      description: 'Rate limiting rules of the zone',
      phase: 'http_ratelimit',
      rules: [
        {
          ref: 'host_rate_limit',
          description: `${limit.host}: requests per client IP`,
          expression: `http.host eq "${limit.host}"`,
          action: 'block',
          characteristics: ['ip.src', 'cf.colo.id'],
          periodSeconds: limit.periodSeconds,
          requestsPerPeriod: limit.requestsPerPeriod,
          mitigationTimeoutSeconds: limit.mitigationTimeoutSeconds,
        },
      ],
    });
  }
}
