import { FlowLog } from '@cdktn/provider-aws/lib/flow-log';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { AwsServiceRole } from '../security/aws-service-role';

export interface VpcFlowLogsProps {
  readonly vpcId: string;
  readonly logGroupName: string;
  readonly roleName: string;
  readonly accountId: string;
  /** Key whose policy admits CloudWatch Logs. */
  readonly kmsKeyArn: string;
  readonly retentionInDays: number;
  /**
   * Which traffic to record.
   * @default 'ALL'
   */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
}

/** Records the VPC's traffic to an encrypted log group through a role that can write only there. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: EncryptedLogGroup;
  readonly role: AwsServiceRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: props.logGroupName,
      kmsKeyArn: props.kmsKeyArn,
      retentionInDays: props.retentionInDays,
    });
    this.role = new AwsServiceRole(this, 'role', {
      roleName: props.roleName,
      description: 'Delivers VPC flow logs to their log group',
      servicePrincipal: 'vpc-flow-logs.amazonaws.com',
      accountId: props.accountId,
      statements: [
        {
          sid: 'WriteFlowLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [`${this.logGroup.arn}:*`],
        },
      ],
      inlinePolicyName: 'write-flow-logs',
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: 60,
    });
  }
}
