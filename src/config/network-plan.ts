import { allocate, formatCidr, parseCidr } from './cidr';
import type { NetworkConfig, SubnetTier } from './schema/network';
import { SUBNET_TIERS } from './schema/network';

/** The concrete layout of the VPC: which zones, and one subnet block per tier and zone. */
export interface NetworkPlan {
  readonly availabilityZones: readonly string[];
  readonly subnetCidrs: Readonly<Record<SubnetTier, readonly string[]>>;
}

/** The first `count` zones of `region` (`<region>a`, `<region>b`, …): the zones used when config names none. */
export function defaultZones(region: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/**
 * Resolves zone names and subnet blocks. Returns undefined when the packed layout does not fit the
 * VPC block; validation reports that case with the numbers.
 */
export function planNetwork(network: NetworkConfig, region: string): NetworkPlan | undefined {
  const availabilityZones = network.availabilityZones ?? defaultZones(region, network.azCount);
  if (network.subnetCidrs) return { availabilityZones, subnetCidrs: network.subnetCidrs };
  const vpc = parseCidr(network.vpcCidr);
  if (!vpc) return undefined;
  const requests = SUBNET_TIERS.flatMap((tier) => Array.from({ length: network.azCount }, () => network.subnetPrefixLength[tier]));
  const blocks = allocate(vpc, requests);
  if (!blocks) return undefined;
  const subnetCidrs = Object.fromEntries(
    SUBNET_TIERS.map((tier, t) => [tier, blocks.slice(t * network.azCount, (t + 1) * network.azCount).map(formatCidr)]),
  ) as Record<SubnetTier, string[]>;
  return { availabilityZones, subnetCidrs };
}
