import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { TieredVpc } from '../constructs/network/tiered-vpc';
import { VpcEndpoints } from '../constructs/network/vpc-endpoints';
import { VpcFlowLogs } from '../constructs/network/vpc-flow-logs';
import { allowCloudWatchLogs, EncryptionKey } from '../constructs/security/kms-key';
import { LayerStack } from './layer-stack';

/** The environment's VPC: three subnet tiers across the configured zones, flow logs, endpoints. */
export class NetworkStack extends LayerStack {
  readonly vpc: TieredVpc;
  readonly logsKey: EncryptionKey;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config, 'network');
    const { naming } = this;
    const { network, networkPlan } = config;

    this.vpc = new TieredVpc(this, 'vpc', {
      namePrefix: naming.prefix,
      cidrBlock: network.vpcCidr,
      availabilityZones: networkPlan.availabilityZones,
      subnetCidrs: networkPlan.subnetCidrs,
      natGateways: network.natGateways,
      clusterName: naming.clusterName,
    });

    const flowLogGroupName = `/${config.project.project}/${config.name}/vpc-flow-logs`;
    this.logsKey = new EncryptionKey(this, 'logs-key', {
      aliasName: naming.name('network-logs'),
      // Production keys outlive a mistaken destroy; other tiers can be torn down.
      preventDestroy: config.tier === 'production',
      description: `Encrypts ${config.name} network logs`,
      accountId: config.accountId,
      administratorArns: config.platform.adminRoleArns,
      additionalStatements: [allowCloudWatchLogs(config.accountId, config.region, [flowLogGroupName])],
    });
    new VpcFlowLogs(this, 'flow-logs', {
      vpcId: this.vpc.vpc.id,
      logGroupName: flowLogGroupName,
      roleName: naming.roleName('vpc-flow-logs'),
      accountId: config.accountId,
      kmsKeyArn: this.logsKey.arn,
      retentionInDays: network.flowLogs.retentionDays,
      trafficType: network.flowLogs.trafficType,
    });

    new VpcEndpoints(this, 'endpoints', {
      vpcId: this.vpc.vpc.id,
      accountId: config.accountId,
      partition: naming.partition,
      clientCidrs: networkPlan.subnetCidrs.private,
      region: config.region,
      namePrefix: naming.prefix,
      gatewayRouteTableIds: [...this.vpc.routeTables.private, ...this.vpc.routeTables.data].map((table) => table.id),
      interfaceSubnetIds: this.vpc.subnetIds('private'),
      interfaceEndpoints: network.interfaceEndpoints,
    });

    this.publish('aws_account_id', config.accountId);
    this.publish('aws_region', config.region);
    this.publish('vpc_id', this.vpc.vpc.id);
    this.publish('vpc_private_subnet_ids', this.vpc.subnetIds('private'));
    this.publish('vpc_public_subnet_ids', this.vpc.subnetIds('public'));
    this.publish('vpc_data_subnet_ids', this.vpc.subnetIds('data'));
  }
}
