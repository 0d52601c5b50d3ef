import { DefaultSecurityGroup } from '@cdktn/provider-aws/lib/default-security-group';
import { Eip } from '@cdktn/provider-aws/lib/eip';
import { InternetGateway } from '@cdktn/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktn/provider-aws/lib/nat-gateway';
import { Route } from '@cdktn/provider-aws/lib/route';
import { RouteTable } from '@cdktn/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktn/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktn/provider-aws/lib/subnet';
import { Vpc } from '@cdktn/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import type { SubnetTier } from '../../config/schema/network';
import type { NatGatewayThresholds } from '../../config/schema/observability';
import { invalidProp } from '../invalid-prop';
import { MetricAlarm, type AlarmDestination } from '../observability/metric-alarm';

export interface TieredVpcProps {
  /** Prefix of every Name tag, e.g. `social-prod`. */
  readonly namePrefix: string;
  readonly cidrBlock: string;
  readonly availabilityZones: readonly string[];
  /** One block per zone and tier, in zone order. */
  readonly subnetCidrs: Readonly<Record<SubnetTier, readonly string[]>>;
  /**
   * `per-az`: each zone's private subnets leave through their own zone's NAT gateway, so losing a
   * zone takes no other zone's egress with it. `single`: one gateway in the first zone.
   * @default 'per-az'
   */
  readonly natGateways?: 'per-az' | 'single';
  /** EKS cluster whose load balancer controller discovers the subnets by tag. */
  readonly clusterName: string;
}

/**
 * A VPC with three subnet tiers in every zone: `public` (load balancers, NAT gateways), `private`
 * (workloads; egress through NAT) and `data` (databases; no route to or from the internet).
 */
export class TieredVpc extends Construct {
  readonly vpc: Vpc;
  readonly subnets: Readonly<Record<SubnetTier, readonly Subnet[]>>;
  readonly routeTables: Readonly<Record<SubnetTier, readonly RouteTable[]>>;
  /** NAT gateway by the zone it sits in. */
  readonly natGateways: ReadonlyMap<string, NatGateway>;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: TieredVpcProps) {
    super(scope, id);
    const zones = props.availabilityZones;
    for (const tier of ['public', 'private', 'data'] as const) {
      if (props.subnetCidrs[tier].length !== zones.length) {
        invalidProp('TieredVpc', `subnetCidrs.${tier}`, `one block per availability zone (${zones.length})`, props.subnetCidrs[tier]);
      }
    }
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    this.vpc = new Vpc(this, 'vpc', { cidrBlock: props.cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: name('vpc') });
    const vpcId = this.vpc.id;
    // Takes over the default group and removes its rules, so nothing can fall back on allow-all.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId, tags: name('default-closed') });

    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;
    const subnetTags: Record<SubnetTier, Record<string, string>> = {
      public: { 'kubernetes.io/role/elb': '1', [clusterTag]: 'shared' },
      private: { 'kubernetes.io/role/internal-elb': '1', [clusterTag]: 'shared' },
      data: {},
    };
    const subnets = {} as Record<SubnetTier, Subnet[]>;
    for (const tier of ['public', 'private', 'data'] as const) {
      subnets[tier] = zones.map(
        (zone, i) =>
          new Subnet(this, `${tier}-${zone}`, {
            vpcId,
            cidrBlock: props.subnetCidrs[tier][i],
            availabilityZone: zone,
            mapPublicIpOnLaunch: false,
            tags: { ...name(`${tier}-${zone}`), Tier: tier, ...subnetTags[tier] },
          }),
      );
    }
    this.subnets = subnets;

    const igw = new InternetGateway(this, 'igw', { vpcId, tags: name('igw') });
    const publicTable = new RouteTable(this, 'public-rt', { vpcId, tags: name('public') });
    new Route(this, 'public-default-route', { routeTableId: publicTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    subnets.public.forEach(
      (subnet, i) => new RouteTableAssociation(this, `public-rta-${zones[i]}`, { subnetId: subnet.id, routeTableId: publicTable.id }),
    );

    const natZones = (props.natGateways ?? 'per-az') === 'per-az' ? zones : zones.slice(0, 1);
    const natGateways = natZones.map((zone, i) => {
      const eip = new Eip(this, `nat-eip-${zone}`, { domain: 'vpc', tags: name(`nat-${zone}`) });
      return new NatGateway(this, `nat-${zone}`, {
        allocationId: eip.allocationId,
        subnetId: subnets.public[i].id,
        tags: name(`nat-${zone}`),
        dependsOn: [igw],
      });
    });
    this.natGateways = new Map(natZones.map((zone, i) => [zone, natGateways[i]!]));
    this.namePrefix = props.namePrefix;
    const privateTables = zones.map((zone, i) => {
      const table = new RouteTable(this, `private-rt-${zone}`, { vpcId, tags: name(`private-${zone}`) });
      const nat = natGateways[Math.min(i, natGateways.length - 1)];
      new Route(this, `private-default-route-${zone}`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-rta-${zone}`, { subnetId: subnets.private[i].id, routeTableId: table.id });
      return table;
    });

    // Only the VPC-local route: the data tier can neither reach nor be reached from the internet.
    const dataTable = new RouteTable(this, 'data-rt', { vpcId, tags: name('data') });
    subnets.data.forEach(
      (subnet, i) => new RouteTableAssociation(this, `data-rta-${zones[i]}`, { subnetId: subnet.id, routeTableId: dataTable.id }),
    );

    this.routeTables = { public: [publicTable], private: privateTables, data: [dataTable] };
  }

  /**
   * One alarm per NAT gateway, to `destination`: port allocation errors, i.e. connections the gateway
   * could not open because it ran out of source ports towards one destination.
   * https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html
   */
  addAlarms(destination: AlarmDestination, thresholds: NatGatewayThresholds): MetricAlarm[] {
    return [...this.natGateways].map(
      ([zone, nat]) =>
        new MetricAlarm(this, `alarm-nat-${zone}-port-allocation`, {
          name: `${this.namePrefix}-nat-${zone}-port-allocation`,
          runbook: 'nat-port-allocation-errors',
          summary:
            `The NAT gateway in ${zone} failed to allocate a source port over ${thresholds.portAllocationErrors} times in 5 minutes: ` +
            'outbound connections are dropped.',
          metric: {
            namespace: 'AWS/NATGateway',
            metricName: 'ErrorPortAllocation',
            dimensions: { NatGatewayId: nat.id },
            statistic: 'Sum',
          },
          comparison: 'GreaterThanThreshold',
          threshold: thresholds.portAllocationErrors,
          periodSeconds: 300,
          evaluationPeriods: 1,
          destination,
          treatMissingData: 'notBreaching',
        }),
    );
  }

  subnetIds(tier: SubnetTier): string[] {
    return this.subnets[tier].map((subnet) => subnet.id);
  }
}
