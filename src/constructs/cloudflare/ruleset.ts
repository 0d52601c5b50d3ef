import { TerraformResource } from 'cdktn';
import type { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

/** The phases this platform deploys zone entry-point rulesets into, and the one action each uses. */
export const RULESET_PHASE_ACTIONS = {
  http_request_firewall_managed: 'execute',
  http_ratelimit: 'block',
  http_request_origin: 'route',
} as const;
export type RulesetPhase = keyof typeof RULESET_PHASE_ACTIONS;

interface RuleBase {
  /** Stable reference of the rule inside the ruleset, so a reorder or an edit keeps the rule's identity. */
  readonly ref: string;
  readonly description: string;
  /** Rules language expression selecting the requests. */
  readonly expression: string;
}

/** Runs a managed ruleset (`action_parameters.id`) on matching requests. */
export interface ExecuteRule extends RuleBase {
  readonly action: 'execute';
  /** 32 hexadecimal characters. */
  readonly rulesetId: string;
}

/** Blocks (429) a client whose rate over `periodSeconds` exceeds `requestsPerPeriod`. */
export interface RateLimitRule extends RuleBase {
  readonly action: 'block';
  /** Counted per value of these fields; Cloudflare requires `cf.colo.id` among them. */
  readonly characteristics: readonly string[];
  readonly periodSeconds: number;
  readonly requestsPerPeriod: number;
  /** How long a client that exceeded the rate stays blocked. */
  readonly mitigationTimeoutSeconds: number;
}

/** Changes how Cloudflare reaches the origin: here, the Host header (SNI follows it). */
export interface RouteRule extends RuleBase {
  readonly action: 'route';
  readonly hostHeader: string;
}

export type RulesetRule = ExecuteRule | RateLimitRule | RouteRule;

export interface CloudflareRulesetConfig {
  readonly zoneId: string;
  /** Immutable in Cloudflare: changing it replaces the ruleset. */
  readonly name: string;
  readonly description: string;
  readonly phase: RulesetPhase;
  readonly rules: readonly RulesetRule[];
}

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * A zone's entry-point `cloudflare_ruleset` (provider v5, kind `zone`) for one phase; only one such ruleset
 * exists per zone and phase. Arguments as in
 * https://registry.terraform.io/providers/cloudflare/cloudflare/5.22.0/docs/resources/ruleset.
 */
export class CloudflareRuleset extends TerraformResource {
  static readonly tfResourceType = 'cloudflare_ruleset';
  readonly config: CloudflareRulesetConfig;

  constructor(scope: Construct, id: string, config: CloudflareRulesetConfig) {
    super(scope, id, {
      terraformResourceType: CloudflareRuleset.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
    });
    validate(config);
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const { zoneId, name, description, phase, rules } = this.config;
    return { zone_id: zoneId, kind: 'zone', phase, name, description, rules: rules.map(renderRule) };
  }
}

function renderRule(rule: RulesetRule): Record<string, unknown> {
  const base = { ref: rule.ref, description: rule.description, expression: rule.expression, action: rule.action, enabled: true };
  switch (rule.action) {
    case 'execute':
      return { ...base, action_parameters: { id: rule.rulesetId } };
    case 'route':
      return { ...base, action_parameters: { host_header: rule.hostHeader } };
    case 'block':
      return {
        ...base,
        ratelimit: {
          characteristics: [...rule.characteristics],
          period: rule.periodSeconds,
          requests_per_period: rule.requestsPerPeriod,
          mitigation_timeout: rule.mitigationTimeoutSeconds,
        },
      };
  }
}

function validate(config: CloudflareRulesetConfig): void {
  const where = `CloudflareRuleset ${config.name}`;
  const expected = RULESET_PHASE_ACTIONS[config.phase];
  if (!expected) invalidProp(where, 'phase', `one of ${Object.keys(RULESET_PHASE_ACTIONS).join(', ')}`, config.phase);
  if (config.rules.length === 0) invalidProp(where, 'rules', 'at least one rule', config.rules);
  const refs = config.rules.map((r) => r.ref);
  if (new Set(refs).size !== refs.length || refs.some((ref) => ref === '')) invalidProp(where, 'rules[].ref', 'unique and not empty', refs);
  for (const rule of config.rules) {
    if (rule.action !== expected) invalidProp(where, `rules[${rule.ref}].action`, `"${expected}" in phase ${config.phase}`, rule.action);
    if (rule.expression.trim() === '') invalidProp(where, `rules[${rule.ref}].expression`, 'a rules language expression', rule.expression);
    if (rule.action === 'execute' && !HEX32.test(rule.rulesetId))
      invalidProp(where, `rules[${rule.ref}].rulesetId`, '32 hexadecimal characters', rule.rulesetId);
    if (rule.action === 'block' && !rule.characteristics.includes('cf.colo.id')) {
      // https://developers.cloudflare.com/waf/rate-limiting-rules/parameters/ ("cf.colo.id (mandatory)")
      invalidProp(where, `rules[${rule.ref}].characteristics`, 'a list that includes "cf.colo.id"', rule.characteristics);
    }
    if (rule.action === 'block' && (!Number.isInteger(rule.requestsPerPeriod) || rule.requestsPerPeriod < 1)) {
      invalidProp(where, `rules[${rule.ref}].requestsPerPeriod`, 'a whole number ≥ 1', rule.requestsPerPeriod);
    }
  }
}
