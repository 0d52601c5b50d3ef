import type { PolicyStatement } from './policy-document';

/**
 * The operations no CI or workload credential may perform, shared by the permissions boundary (every
 * workload role, and any role the apply role could create) and the CI apply role's explicit denies,
 * so the two lists cannot drift apart. Administrators do these, outside CI (docs/recovery.md).
 */

/**
 * Destroying or shortening recovery data: snapshots, automated backups, recovery points, vaults and
 * their locks and access policies. Sharing a snapshot (its `restore` attribute) hands a whole store to
 * another account, so it is here too. EBS snapshot deletion is not: no recovery copy of this platform
 * is an EBS snapshot, and the EBS CSI driver deletes the snapshots of deleted Kubernetes VolumeSnapshots.
 */
const RECOVERY_DESTRUCTION_ACTIONS = [
  'rds:DeleteDBSnapshot',
  'rds:DeleteDBClusterSnapshot',
  'rds:DeleteDBInstanceAutomatedBackup',
  'rds:DeleteDBClusterAutomatedBackup',
  'rds:ModifyDBSnapshotAttribute',
  'rds:ModifyDBClusterSnapshotAttribute',
  'rds:StopDBInstanceAutomatedBackupsReplication',
  'elasticache:DeleteSnapshot',
  'elasticache:CopySnapshot',
  'dynamodb:DeleteBackup',
  'ec2:ModifySnapshotAttribute',
  'backup:DeleteRecoveryPoint',
  'backup:UpdateRecoveryPointLifecycle',
  'backup:DisassociateRecoveryPoint',
  'backup:DisassociateRecoveryPointFromParent',
  'backup:DeleteBackupVault',
  'backup:PutBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultNotifications',
] as const;

/**
 * Administration of customer-managed keys: only the configured administrator roles may, and only
 * through the key policy (EncryptionKey). Deleting or disabling a key makes every backup it encrypts
 * unreadable; replacing its policy hands the key to anyone.
 */
const KEY_ADMINISTRATION_ACTIONS = [
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
  'kms:DeleteImportedKeyMaterial',
  'kms:ImportKeyMaterial',
  'kms:UpdatePrimaryRegion',
  'kms:ReplicateKey',
  'kms:DisableKeyRotation',
] as const;

/** Reading a secret's value, one or several at once: no CI role needs it, as the layers write secret versions only. */
export const SECRET_VALUE_READS = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'] as const;

/** Who may call the Kubernetes API: access entries and their access policies. */
export const CLUSTER_ACCESS_ACTIONS = [
  'eks:CreateAccessEntry',
  'eks:UpdateAccessEntry',
  'eks:DeleteAccessEntry',
  'eks:AssociateAccessPolicy',
  'eks:DisassociateAccessPolicy',
] as const;

/**
 * Every IAM write, by verb; the wildcards match only write actions (reads are Get*, List*, Generate*,
 * Simulate*). `iam:PassRole` is kept apart so that the one exception Auto Mode needs can be made.
 */
export const IAM_WRITE_ACTIONS = [
  'iam:Add*',
  'iam:Attach*',
  'iam:Change*',
  'iam:Create*',
  'iam:Deactivate*',
  'iam:Delete*',
  'iam:Detach*',
  'iam:Disable*',
  'iam:Enable*',
  'iam:Put*',
  'iam:Remove*',
  'iam:Reset*',
  'iam:Resync*',
  'iam:Set*',
  'iam:Tag*',
  'iam:Untag*',
  'iam:Update*',
  'iam:Upload*',
] as const;

/**
 * State bucket settings that keep old state versions recoverable and record who read or wrote them (access
 * logging); changes go through an administrator. Object versions (`s3:DeleteObjectVersion`) are the history itself.
 */
const STATE_BUCKET_PROTECTION_ACTIONS = [
  's3:PutBucketLogging',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:DeleteBucket',
  's3:PutEncryptionConfiguration',
  's3:PutBucketPublicAccessBlock',
] as const;
const STATE_OBJECT_PROTECTION_ACTIONS = [
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
] as const;

/**
 * What would blind or rewrite the audit record: stopping, deleting or narrowing the trail, and deleting,
 * overwriting or unprotecting its log files. CloudTrail writes them as its service principal, so no
 * role needs to write there; an administrator changes the trail (docs/observability.md).
 */
export const AUDIT_TRAIL_PROTECTION_ACTIONS = [
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:PutInsightSelectors',
] as const;
export const AUDIT_OBJECT_PROTECTION_ACTIONS = ['s3:PutObject', 's3:DeleteObject', ...STATE_OBJECT_PROTECTION_ACTIONS] as const;

/** The audit trail and the buckets holding its log files (AuditTrail). */
export interface AuditRecord {
  readonly trailArns: readonly string[];
  readonly bucketArns: readonly string[];
}

/** Denies, for a role of either kind, every change that would blind or rewrite the audit record. */
export function auditRecordDenies(audit: AuditRecord): PolicyStatement[] {
  return [
    { sid: 'NoAuditTrailChanges', effect: 'Deny', actions: AUDIT_TRAIL_PROTECTION_ACTIONS, resources: audit.trailArns },
    { sid: 'NoAuditBucketProtectionChanges', effect: 'Deny', actions: STATE_BUCKET_PROTECTION_ACTIONS, resources: audit.bucketArns },
    {
      sid: 'NoAuditLogRewrites',
      effect: 'Deny',
      actions: AUDIT_OBJECT_PROTECTION_ACTIONS,
      resources: audit.bucketArns.map((arn) => `${arn}/*`),
    },
  ];
}

/** Organization and account settings: never from a platform credential. */
export const ORGANIZATION_ACTIONS = ['organizations:*', 'account:*'] as const;

/**
 * Grants let their grantee use a key without the key policy naming it; only grants AWS services create
 * for the resources they manage (RDS, EKS, EBS) are allowed. `IfExists`: a request without the key is denied.
 */
function denyGrantsExceptForAwsResources(): PolicyStatement {
  return {
    sid: 'NoKeyGrantsButForAwsResources',
    effect: 'Deny',
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } },
  };
}

/** The denies a role of either kind carries, given the state buckets' ARNs (bucket and `bucket/*`). */
export function recoveryAndKeyDenies(stateBucketArns: readonly string[]): PolicyStatement[] {
  return [
    { sid: 'NoRecoveryDestruction', effect: 'Deny', actions: RECOVERY_DESTRUCTION_ACTIONS, resources: ['*'] },
    { sid: 'NoKeyAdministration', effect: 'Deny', actions: KEY_ADMINISTRATION_ACTIONS, resources: ['*'] },
    denyGrantsExceptForAwsResources(),
    { sid: 'NoStateBucketProtectionChanges', effect: 'Deny', actions: STATE_BUCKET_PROTECTION_ACTIONS, resources: stateBucketArns },
    {
      sid: 'NoStateVersionDeletion',
      effect: 'Deny',
      actions: STATE_OBJECT_PROTECTION_ACTIONS,
      resources: stateBucketArns.map((arn) => `${arn}/*`),
    },
  ];
}
