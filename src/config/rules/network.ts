import { contains, overlaps, parseCidr, size } from '../cidr';
import { planNetwork } from '../network-plan';
import type { EnvironmentFile } from '../schema/environment';
import { SUBNET_TIERS } from '../schema/network';
import type { Report } from './report';

const VPC_PREFIX = { min: 16, max: 22 };

export function checkNetwork(env: EnvironmentFile, report: Report): void {
  const { network } = env;
  const vpc = parseCidr(network.vpcCidr);
  if (!vpc) return; // the field schema already reported it
  if (vpc.prefixLength < VPC_PREFIX.min || vpc.prefixLength > VPC_PREFIX.max) {
    report(
      ['network', 'vpcCidr'],
      `must be a /${VPC_PREFIX.min} to /${VPC_PREFIX.max} block (AWS allows /16–/28; smaller leaves no room for pods)`,
    );
  }
  if (env.tier === 'production' && network.azCount < 3) {
    report(['network', 'azCount'], 'must be at least 3 for a production environment (survive the loss of a zone with quorum)');
  }
  if (env.tier === 'production' && network.natGateways !== 'per-az') {
    report(
      ['network', 'natGateways'],
      'must be "per-az" for a production environment (a single NAT gateway is a zonal single point of failure)',
    );
  }
  if (network.availabilityZones) {
    if (network.availabilityZones.length !== network.azCount) {
      report(['network', 'availabilityZones'], `must list exactly azCount (${network.azCount}) zones`);
    }
    network.availabilityZones.forEach((zone, i) => {
      if (!new RegExp(`^${env.region}[a-z]$`).test(zone))
        report(['network', 'availabilityZones', i], `must be a zone of region ${env.region}, e.g. "${env.region}a"`);
    });
    if (new Set(network.availabilityZones).size !== network.availabilityZones.length) {
      report(['network', 'availabilityZones'], 'must not repeat a zone');
    }
  }
  if (network.subnetCidrs) {
    checkExplicitSubnets(network.subnetCidrs, vpc, network.azCount, report);
  } else if (!planNetwork(network, env.region)) {
    const needed = SUBNET_TIERS.reduce((sum, tier) => sum + network.azCount * 2 ** (32 - network.subnetPrefixLength[tier]), 0);
    report(
      ['network', 'subnetPrefixLength'],
      `subnets for ${network.azCount} zones need ${needed} addresses but vpcCidr ` +
        `${network.vpcCidr} has ${size(vpc)}; use larger prefix lengths or a larger VPC block`,
    );
  }
}

function checkExplicitSubnets(
  subnetCidrs: Record<(typeof SUBNET_TIERS)[number], string[]>,
  vpc: NonNullable<ReturnType<typeof parseCidr>>,
  azCount: number,
  report: Report,
): void {
  const seen: { path: (string | number)[]; text: string }[] = [];
  for (const tier of SUBNET_TIERS) {
    const blocks = subnetCidrs[tier];
    if (blocks.length !== azCount) report(['network', 'subnetCidrs', tier], `must list one block per zone (${azCount})`);
    blocks.forEach((text, i) => {
      const block = parseCidr(text);
      const path = ['network', 'subnetCidrs', tier, i];
      if (!block) return;
      if (!contains(vpc, block)) report(path, `must lie inside vpcCidr`);
      const clash = seen.find((other) => overlaps(parseCidr(other.text)!, block));
      if (clash) report(path, `must not overlap ${clash.text} (network.subnetCidrs.${clash.path.slice(2).join('.')})`);
      seen.push({ path, text });
    });
  }
}
