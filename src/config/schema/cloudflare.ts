import { z } from 'zod';

/** Cloudflare zone plans, named as their rate plan ids (`free`, `pro`, `business`, `enterprise`). */
export const CLOUDFLARE_PLANS = ['free', 'pro', 'business', 'enterprise'] as const;
export type CloudflarePlan = (typeof CLOUDFLARE_PLANS)[number];
export const cloudflarePlan = z.enum(CLOUDFLARE_PLANS, {
  message: `must be one of ${CLOUDFLARE_PLANS.join(', ')} (the zone's Cloudflare plan)`,
});

/** What a plan allows of what the edge deploys. */
export interface CloudflarePlanFeatures {
  /** The WAF managed ruleset the plan may deploy: the Free Managed Ruleset, or the full Cloudflare Managed Ruleset. */
  readonly managedWafRuleset: 'free' | 'cloudflare';
  /** Rate limiting rules may match on `http.host` (Free matches on the path and verified bots only). */
  readonly rateLimitByHost: boolean;
  /** Counting periods (seconds) of rate limiting rules. */
  readonly rateLimitPeriods: readonly number[];
  /** Mitigation timeouts (seconds) of rate limiting rules. */
  readonly rateLimitTimeouts: readonly number[];
  /** Origin Rules may override the Host header (otherwise Cloud Connector routes to S3). */
  readonly originHostOverride: boolean;
  /** The zone may be a subdomain of another zone ("subdomain setup"). */
  readonly subdomainZone: boolean;
}

// API values of period and mitigation_timeout (https://developers.cloudflare.com/waf/rate-limiting-rules/parameters/),
// cut to each plan's maximum (https://developers.cloudflare.com/waf/rate-limiting-rules/#availability).
const PERIODS = [10, 60, 120, 300, 600, 3600];
const TIMEOUTS = [10, 60, 120, 300, 600, 3600, 86400];
const upTo = (values: readonly number[], max: number) => values.filter((value) => value <= max);

/**
 * Plan features from Cloudflare's plan tables, as of provider 5.22.0's release:
 * https://developers.cloudflare.com/waf/managed-rules/#availability,
 * https://developers.cloudflare.com/waf/rate-limiting-rules/#availability,
 * https://developers.cloudflare.com/rules/origin-rules/#availability,
 * https://developers.cloudflare.com/dns/zone-setups/subdomain-setup/#availability.
 */
export const CLOUDFLARE_PLAN_FEATURES: Readonly<Record<CloudflarePlan, CloudflarePlanFeatures>> = {
  free: {
    managedWafRuleset: 'free',
    rateLimitByHost: false,
    rateLimitPeriods: [10],
    rateLimitTimeouts: [10],
    originHostOverride: false,
    subdomainZone: false,
  },
  pro: {
    managedWafRuleset: 'cloudflare',
    rateLimitByHost: true,
    rateLimitPeriods: upTo(PERIODS, 60),
    rateLimitTimeouts: upTo(TIMEOUTS, 3600),
    originHostOverride: false,
    subdomainZone: false,
  },
  business: {
    managedWafRuleset: 'cloudflare',
    rateLimitByHost: true,
    rateLimitPeriods: upTo(PERIODS, 600),
    rateLimitTimeouts: TIMEOUTS,
    originHostOverride: false,
    subdomainZone: false,
  },
  enterprise: {
    managedWafRuleset: 'cloudflare',
    rateLimitByHost: true,
    rateLimitPeriods: PERIODS,
    rateLimitTimeouts: TIMEOUTS,
    originHostOverride: true,
    subdomainZone: true,
  },
};
