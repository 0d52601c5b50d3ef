import { BackupPlan as BackupPlanResource } from '@cdktn/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktn/provider-aws/lib/backup-selection';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { stableAddress } from '../stable-address';

/**
 * Continuous backups (point-in-time restore) keep 1–35 days:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html
 */
const CONTINUOUS_RETENTION_DAYS = { min: 1, max: 35 } as const;

const MIN_START_WINDOW_MINUTES = 60;

export interface BackupRule {
  /** Rule name: letters, digits, "-", "_" and "." */
  readonly name: string;
  /** AWS Backup cron expression (UTC), e.g. `cron(0 3 * * ? *)`. */
  readonly schedule: string;
  readonly retentionDays: number;
  /**
   * Continuous backup for point-in-time restore (RDS, S3) instead of a snapshot. Copies of continuous
   * backups into another region become snapshots, so copies belong on a snapshot rule.
   * @default false
   */
  readonly continuous?: boolean;
  /**
   * Vault ARNs (another region, another account) that receive a copy of every recovery point, kept
   * as long as the original.
   * @default - no copies
   */
  readonly copyToVaultArns?: readonly string[];
  /**
   * Minutes after the scheduled time within which a job must start, or it is cancelled.
   * @default 60 (the least AWS Backup accepts: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html)
   */
  readonly startWindowMinutes?: number;
}

export interface BackupPlanProps {
  /** Plan name, from `Naming.name(...)`. */
  readonly name: string;
  /** The vault every rule writes to (`Naming.backupVaultName`). */
  readonly vaultName: string;
  /** Role AWS Backup assumes for this plan's jobs (`Naming.backupRoleName`, created by bootstrap). */
  readonly roleArn: string;
  /** ARNs of the protected resources (RDS instance, S3 bucket). */
  readonly resourceArns: readonly string[];
  readonly rules: readonly BackupRule[];
}

/**
 * An AWS Backup plan and its selection for named resources: the owning layer backs up its own stores
 * into the environment's vault, and copies each recovery point to the recovery vaults.
 */
export class BackupPlan extends Construct {
  readonly plan: BackupPlanResource;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`BackupPlan ${props.name}`, prop, allowed, got);
    if (props.rules.length === 0) fail('rules', 'at least one rule', props.rules);
    if (props.resourceArns.length === 0) fail('resourceArns', 'at least one resource ARN', props.resourceArns);
    for (const rule of props.rules) {
      if (!/^cron\(.+\)$/.test(rule.schedule))
        fail(`rules.${rule.name}.schedule`, 'an AWS Backup cron expression such as "cron(0 3 * * ? *)"', rule.schedule);
      if (rule.continuous && (rule.retentionDays < CONTINUOUS_RETENTION_DAYS.min || rule.retentionDays > CONTINUOUS_RETENTION_DAYS.max)) {
        fail(
          `rules.${rule.name}.retentionDays`,
          `${CONTINUOUS_RETENTION_DAYS.min}–${CONTINUOUS_RETENTION_DAYS.max} days for a continuous backup`,
          rule.retentionDays,
        );
      }
      if (
        rule.startWindowMinutes !== undefined &&
        !(Number.isInteger(rule.startWindowMinutes) && rule.startWindowMinutes >= MIN_START_WINDOW_MINUTES)
      )
        fail(
          `rules.${rule.name}.startWindowMinutes`,
          `a whole number of minutes, at least ${MIN_START_WINDOW_MINUTES}`,
          rule.startWindowMinutes,
        );
      if (rule.continuous && (rule.copyToVaultArns ?? []).length > 0)
        fail(`rules.${rule.name}.copyToVaultArns`, 'none on a continuous rule (copy from a snapshot rule)', rule.copyToVaultArns);
    }
    this.plan = new BackupPlanResource(this, 'plan', {
      name: props.name,
      rule: props.rules.map((rule) => ({
        ruleName: rule.name,
        targetVaultName: props.vaultName,
        schedule: rule.schedule,
        enableContinuousBackup: rule.continuous ?? false,
        startWindow: rule.startWindowMinutes ?? MIN_START_WINDOW_MINUTES,
        completionWindow: 24 * 60,
        lifecycle: { deleteAfter: rule.retentionDays },
        copyAction: (rule.copyToVaultArns ?? []).map((destinationVaultArn) => ({
          destinationVaultArn,
          lifecycle: { deleteAfter: rule.retentionDays },
        })),
      })),
    });
    stableAddress(this.plan, props.name);
    const selection = new BackupSelection(this, 'selection', {
      name: props.name,
      planId: this.plan.id,
      iamRoleArn: props.roleArn,
      resources: [...props.resourceArns],
    });
    stableAddress(selection, props.name);
  }
}
