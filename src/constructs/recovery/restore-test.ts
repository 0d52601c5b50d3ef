import { BackupRestoreTestingPlan } from '@cdktn/provider-aws/lib/backup-restore-testing-plan';
import { BackupRestoreTestingSelection } from '@cdktn/provider-aws/lib/backup-restore-testing-selection';
import { Fn } from 'cdktn';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';

export interface PostgresRestoreTestProps {
  /** Plan name: letters, digits and "_" only (AWS Backup restore testing names). */
  readonly name: string;
  /** ARN of the vault whose latest recovery point is restored. */
  readonly vaultArn: string;
  /** Role AWS Backup restores with (`Naming.backupRoleName`). */
  readonly roleArn: string;
  /** The DB instance whose recovery points are tested. */
  readonly dbInstanceArn: string;
  /** Where the restored instance goes: the data subnets and the database's own security group, never the default VPC. */
  readonly dbSubnetGroupName: string;
  readonly securityGroupIds: readonly string[];
}

/** Weekly, Tuesdays at 05:00 UTC (AWS Backup cron). */
const SCHEDULE = 'cron(0 5 ? * TUE *)';
/** Hours the restored instance is kept for validation before AWS Backup deletes it. */
const VALIDATION_WINDOW_HOURS = 24;

/**
 * AWS Backup restore testing for PostgreSQL: on a schedule, the latest recovery point in the vault is
 * restored into the data subnets, kept for the validation window, then deleted by AWS Backup. A failed
 * restore job fails the test. `PostgresRestoreValidation` (restore-validation.ts) checks the data of each
 * completed restore within the validation window and reports the result to AWS Backup.
 */
export class PostgresRestoreTest extends Construct {
  readonly plan: BackupRestoreTestingPlan;
  readonly selection: BackupRestoreTestingSelection;

  constructor(scope: Construct, id: string, props: PostgresRestoreTestProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`PostgresRestoreTest ${props.name}`, prop, allowed, got);
    if (!/^[A-Za-z0-9_]{1,50}$/.test(props.name)) fail('name', '1–50 letters, digits or "_"', props.name);
    this.plan = new BackupRestoreTestingPlan(this, 'plan', {
      name: props.name,
      scheduleExpression: SCHEDULE,
      startWindowHours: 24,
      recoveryPointSelection: [
        {
          algorithm: 'LATEST_WITHIN_WINDOW',
          includeVaults: [props.vaultArn],
          recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
          selectionWindowDays: 7,
        },
      ],
    });
    this.selection = new BackupRestoreTestingSelection(this, 'selection', {
      name: props.name,
      restoreTestingPlanName: this.plan.name,
      protectedResourceType: 'RDS',
      protectedResourceArns: [props.dbInstanceArn],
      iamRoleArn: props.roleArn,
      validationWindowHours: VALIDATION_WINDOW_HOURS,
      // Overridable restore metadata of RDS: https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html
      restoreMetadataOverrides: {
        dbsubnetgroupname: props.dbSubnetGroupName,
        vpcsecuritygroupids: Fn.jsonencode(props.securityGroupIds),
        publiclyaccessible: 'false',
        multiaz: 'false',
      },
    });
  }
}
