/**
 * Environment tiers, in the order a change is promoted through them: development environments first, then staging,
 * then production. Config accepts only these; the apply order, the apply pipeline's promotion and the contract docs
 * rank environments by them; the policy rules hold each resource to its tier's baseline.
 */
export const ENVIRONMENT_TIERS = ['development', 'staging', 'production'] as const;
export type EnvironmentTier = (typeof ENVIRONMENT_TIERS)[number];

/**
 * The AWS provider default tag that carries an environment's tier onto every resource of its stacks, so that what
 * reads only the synthesized JSON (the policy rules, `npm run order`) knows the tier.
 */
export const ENVIRONMENT_TIER_TAG = 'EnvironmentTier';

export function isEnvironmentTier(value: unknown): value is EnvironmentTier {
  return (ENVIRONMENT_TIERS as readonly unknown[]).includes(value);
}

/** An environment, as far as promotion order needs it; `tier` is undefined where it is not known. */
export interface RankedEnvironment {
  readonly name: string;
  readonly tier?: EnvironmentTier;
}

/** Promotion order: by tier, then by name; an environment whose tier is unknown comes after every tier. */
export function compareEnvironments(a: RankedEnvironment, b: RankedEnvironment): number {
  return tierRank(a.tier) - tierRank(b.tier) || a.name.localeCompare(b.name);
}

function tierRank(tier: EnvironmentTier | undefined): number {
  return tier === undefined ? ENVIRONMENT_TIERS.length : ENVIRONMENT_TIERS.indexOf(tier);
}
