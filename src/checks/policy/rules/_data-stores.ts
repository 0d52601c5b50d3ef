// Shared by the data-store rules (rds-*, elasticache-*, opensearch-*). Not a rule: the engine skips
// files starting with "_". Every stack tags its resources with the environment tier
// (`EnvironmentTier`, a provider default tag), which decides the baseline: `production` demands HA and protection from
// destroy, `staging` Multi-AZ and deletion protection. An untagged store is held to production.
import { ENVIRONMENT_TIER_TAG, type EnvironmentTier, isEnvironmentTier } from '../../../environment-tiers';
import { providerTierOf } from '../../environment-tier';
import { blocks, isObject, type JsonObject, type TerraformJson } from '../../terraform-json';

export function tierOf(body: JsonObject, doc: TerraformJson): EnvironmentTier {
  const own = isObject(body.tags) ? body.tags[ENVIRONMENT_TIER_TAG] : undefined;
  return (isEnvironmentTier(own) ? own : providerTierOf(doc)) ?? 'production';
}

/** True when `lifecycle.prevent_destroy` is set. */
export function preventsDestroy(body: JsonObject): boolean {
  return blocks(body.lifecycle).some((lifecycle) => lifecycle.prevent_destroy === true);
}
