import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../../config/schema/common';
import { invalidProp } from '../invalid-prop';
import { stableAddress } from '../stable-address';

export interface EncryptedLogGroupProps {
  readonly name: string;
  /** KMS key whose policy admits CloudWatch Logs (see `allowCloudWatchLogs`). */
  readonly kmsKeyArn: string;
  /** One of the retention periods CloudWatch Logs accepts. */
  readonly retentionInDays: number;
}

/** A CloudWatch log group encrypted with a customer-managed key, with a finite retention. */
export class EncryptedLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionInDays)) {
      invalidProp(`EncryptedLogGroup ${props.name}`, 'retentionInDays', `one of ${LOG_RETENTION_DAYS.join(', ')}`, props.retentionInDays);
    }
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.name,
      kmsKeyId: props.kmsKeyArn,
      retentionInDays: props.retentionInDays,
    });
    stableAddress(this.logGroup, props.name);
  }

  get arn(): string {
    return this.logGroup.arn;
  }

  get name(): string {
    return this.logGroup.name;
  }
}
