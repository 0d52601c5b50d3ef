import { ENVIRONMENT_TIER_TAG, type EnvironmentTier, isEnvironmentTier } from '../environment-tiers';
import { blocks, isObject, type TerraformJson } from './terraform-json';

/** The tier a synthesized stack's AWS provider tags every resource with (its default tags); undefined when untagged. */
export function providerTierOf(doc: TerraformJson): EnvironmentTier | undefined {
  return blocks(doc.provider?.aws)
    .flatMap((config) => blocks(config.default_tags))
    .map((defaults) => (isObject(defaults.tags) ? defaults.tags[ENVIRONMENT_TIER_TAG] : undefined))
    .find(isEnvironmentTier);
}
