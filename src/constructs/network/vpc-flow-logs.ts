import { FlowLog } from '@cdktn/provider-aws/lib/flow-log';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { policyDocument } from '../security/policy-document';

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
  readonly role: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    this.logGroup = new EncryptedLogGroup(this, 'logs', { name: props.logGroupName, kmsKeyArn: props.kmsKeyArn, retentionInDays: props.retentionInDays });
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'Delivers VPC flow logs to their log group',
      assumeRolePolicy: policyDocument([
        {
          principals: { Service: 'vpc-flow-logs.amazonaws.com' },
          actions: ['sts:AssumeRole'],
          // Confused-deputy guard: only flow logs of this account may use the role.
          conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'write-flow-logs',
      role: this.role.name,
      policy: policyDocument([
        {
          sid: 'WriteFlowLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [`${this.logGroup.arn}:*`],
        },
      ]),
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
