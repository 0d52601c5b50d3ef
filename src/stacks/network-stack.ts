import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { TieredVpc } from '../constructs/network/tiered-vpc';
import { VpcEndpoints } from '../constructs/network/vpc-endpoints';
import { VpcFlowLogs } from '../constructs/network/vpc-flow-logs';
import { AlarmTopic } from '../constructs/observability/alarm-topic';
import { MonthlyBudget } from '../constructs/observability/monthly-budget';
import { GLOBAL_EVENTS_REGION, OutOfBandChangeAlert } from '../constructs/observability/out-of-band-change-alert';
import { BackupJobFailureAlert } from '../constructs/recovery/backup-job-failure-alert';
import { allowCloudWatchLogs, EncryptionKey } from '../constructs/security/kms-key';
import { LayerStack } from './layer-stack';

/**
 * The CloudTrail event sources of the services whose resources the layers manage: a change to any of
 * them by a principal outside this repository's automation raises the out-of-band change alert.
 * `test/observability/out-of-band-changes.test.ts` maps every synthesized resource type to one of these.
 */
export const MANAGED_EVENT_SOURCES = [
  'acm.amazonaws.com',
  'backup.amazonaws.com',
  'budgets.amazonaws.com',
  'chatbot.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'codebuild.amazonaws.com',
  // CodeStar Connections was renamed CodeConnections; its events may carry either source.
  'codeconnections.amazonaws.com',
  'codestar-connections.amazonaws.com',
  'dynamodb.amazonaws.com',
  'ec2.amazonaws.com',
  'ecr.amazonaws.com',
  'eks.amazonaws.com',
  'elasticache.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'es.amazonaws.com',
  'events.amazonaws.com',
  'iam.amazonaws.com',
  'kms.amazonaws.com',
  'logs.amazonaws.com',
  'monitoring.amazonaws.com',
  'rds.amazonaws.com',
  's3.amazonaws.com',
  'secretsmanager.amazonaws.com',
  'ses.amazonaws.com',
  'sns.amazonaws.com',
  'ssm.amazonaws.com',
] as const;

/**
 * The environment's VPC: three subnet tiers across the configured zones, flow logs, endpoints; and
 * what watches the whole environment, which every later layer uses: the alarm topic, the monthly
 * budget and the alert on changes made outside Terraform.
 */
export class NetworkStack extends LayerStack {
  readonly vpc: TieredVpc;
  readonly logsKey: EncryptionKey;
  /** Every alarm of every layer notifies this topic. */
  readonly alarmTopic: AlarmTopic;

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

    const flowLogGroupName = naming.logGroupName('vpc-flow-logs');
    this.logsKey = new EncryptionKey(this, 'logs-key', {
      aliasName: naming.name('network-logs'),
      preventDestroy: this.protection.preventDestroy,
      description: `Encrypts ${config.name} network logs`,
      accountId: config.accountId,
      partition: naming.partition,
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
      clientCidrs: networkPlan.subnetCidrs.private,
      region: config.region,
      namePrefix: naming.prefix,
      gatewayRouteTableIds: [...this.vpc.routeTables.private, ...this.vpc.routeTables.data].map((table) => table.id),
      interfaceSubnetIds: this.vpc.subnetIds('private'),
      interfaceEndpoints: network.interfaceEndpoints,
    });

    const { observability } = config;
    const { slack } = observability.notifications;
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: naming.name('alarms'),
      accountId: config.accountId,
      region: config.region,
      keyAdministratorArns: config.platform.adminRoleArns,
      publisherNamePrefix: `${naming.prefix}-`,
      emails: observability.notifications.emails,
      slack: slack && { ...slack, configurationName: naming.name('alarms'), roleName: naming.roleName('chatbot') },
      preventDestroy: this.protection.preventDestroy,
    });
    this.vpc.addAlarms(this.alarmTopic.destination(this.runbookBaseUrl), observability.thresholds.natGateway);
    new MonthlyBudget(this, 'budget', {
      name: naming.name('monthly'),
      limitUsd: observability.budget.monthlyLimitUsd,
      forecastAlertPercents: observability.budget.forecastAlertPercents,
      topicArn: this.alarmTopic.arn,
    });
    new OutOfBandChangeAlert(this, 'out-of-band-changes', {
      namePrefix: naming.prefix,
      accountId: config.accountId,
      region: config.region,
      eventSources: MANAGED_EVENT_SOURCES,
      // Every role this repository creates is named <prefix>-…: the CI roles, the workloads' and the
      // AWS services' roles of the platform (all bounded, trusted only by services, OIDC or the admins).
      automationRoleNamePrefix: `${naming.prefix}-`,
      breakGlassRoleArns: observability.audit.breakGlassRoleArns,
      destination: this.alarmTopic.destination(this.runbookBaseUrl),
      // Global services report to us-east-1; the recovery region holds the state replica and backup copies.
      forwardFromRegions: [GLOBAL_EVENTS_REGION, ...(config.recovery ? [config.recovery.region] : [])],
      forwarderRoleName: naming.roleName('events-forwarder'),
    });

    // Every layer's backup jobs run in this account and region; a failed one is a missing recovery point.
    new BackupJobFailureAlert(this, 'backup-job-failures', {
      name: naming.name('backup-job-failures'),
      destination: this.alarmTopic.destination(this.runbookBaseUrl),
    });

    this.publish('aws_account_id', config.accountId);
    this.publish('aws_region', config.region);
    this.publish('vpc_id', this.vpc.vpc.id);
    this.publish('vpc_private_subnet_ids', this.vpc.subnetIds('private'));
    this.publish('vpc_public_subnet_ids', this.vpc.subnetIds('public'));
    this.publish('vpc_data_subnet_ids', this.vpc.subnetIds('data'));
  }
}
