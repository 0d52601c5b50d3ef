import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { Construct } from 'constructs';
import { notifyAlarmTopic } from '../observability/alarm-topic';
import type { AlarmDestination } from '../observability/metric-alarm';

/**
 * The AWS Backup job events that mean a recovery point, or its copy, is missing, or a restore did not happen. Backup
 * and copy jobs report `state`, restore jobs `status` (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html).
 */
export const FAILED_BACKUP_JOBS = {
  byState: { detailTypes: ['Backup Job State Change', 'Copy Job State Change'], values: ['FAILED', 'ABORTED', 'EXPIRED'] },
  byStatus: { detailTypes: ['Restore Job State Change'], values: ['FAILED', 'ABORTED'] },
} as const;

export interface BackupJobFailureAlertProps {
  /** Rule name, from `Naming.name(...)`: the alarm topic admits rules of the environment's prefix. */
  readonly name: string;
  /** Where the alerts go, with the link to what to do about them (docs/runbooks/alarms/backup-job-failed.md). */
  readonly destination: AlarmDestination;
}

/**
 * Alerts the alarm topic when an AWS Backup job of this account and region fails, is aborted or expires before it
 * starts: a daily snapshot or its copy to the recovery region or account is then missing, or the weekly restore test did
 * not restore. AWS Backup emits these events to EventBridge in a best-effort manner every 5 minutes (same page); copy
 * jobs run, and report, in the region of the recovery point they copy.
 */
export class BackupJobFailureAlert extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: BackupJobFailureAlertProps) {
    super(scope, id);
    const { byState, byStatus } = FAILED_BACKUP_JOBS;
    const eventPattern = {
      source: ['aws.backup'],
      $or: [
        { 'detail-type': [...byState.detailTypes], detail: { state: [...byState.values] } },
        { 'detail-type': [...byStatus.detailTypes], detail: { status: [...byStatus.values] } },
      ],
    };
    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.name,
      description: 'AWS Backup jobs that failed, were aborted or expired: a recovery point, its copy or a restore test is missing',
      eventPattern: JSON.stringify(eventPattern),
      state: 'ENABLED',
    });
    notifyAlarmTopic(this, 'notify', {
      rule: this.rule,
      destination: props.destination,
      inputPaths: {
        kind: '$.detail-type',
        state: '$.detail.state',
        status: '$.detail.status',
        resource: '$.resources[0]',
        message: '$.detail.statusMessage',
        time: '$.time',
      },
      message: 'AWS Backup <kind> <state><status> at <time> for <resource>: <message>.',
      runbook: 'backup-job-failed',
    });
  }
}
