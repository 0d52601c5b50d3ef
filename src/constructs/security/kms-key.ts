import { KmsAlias } from '@cdktn/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktn/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { policyDocument, type PolicyStatement } from './policy-document';
import { stableAddress } from '../stable-address';
import { formatArn, partitionOf, iamArn } from '../../naming';

/**
 * What the configured administrators may do with a key: AWS's default key-administrator statement
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html), which includes no
 * use of the key (no Encrypt/Decrypt).
 */
const KEY_ADMINISTRATOR_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/**
 * What IAM policies in the account can grant on a key: using it, reading and tagging it, rotation on,
 * aliases; never its policy, deletion, disabling, rotation off or imported material. Terraform (the
 * CI apply role) creates, tags and uses keys with these.
 */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:ListKeyRotations',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:RetireGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:EnableKeyRotation',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
] as const;

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, from `Naming.name(...)`. */
  readonly aliasName: string;
  readonly description: string;
  /**
   * Region the key lives in, for keys of copies kept in the recovery region.
   * @default - the provider's region
   */
  readonly region?: string;
  readonly accountId: string;
  /** ARN partition of the environment's region (`Naming.partition`). */
  readonly partition: string;
  /**
   * Roles that administer the key (policy, deletion, disabling) and nothing else: they cannot use it.
   * KMS refuses a key policy naming a principal that does not exist, so these must exist first.
   */
  readonly administratorArns: readonly string[];
  /**
   * Statements added to the key policy, for AWS services that use the key on the account's behalf
   * (CloudWatch Logs, for example, must be named in the key policy).
   * @default - none: only IAM policies in the account grant use of the key
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /**
   * Refuse `terraform destroy` of the key (lifecycle prevent_destroy): losing it makes everything it
   * encrypted, backups included, unreadable.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** Days a scheduled deletion waits (the maximum); the key cannot be used meanwhile, which is the time to notice. */
const DELETION_WINDOW_IN_DAYS = 30;
/** Days between automatic rotations of the key material. */
const ROTATION_PERIOD_IN_DAYS = 365;

/**
 * A customer-managed, symmetric KMS key with rotation on and an alias, whose policy separates
 * administration (the named administrator roles) from use (IAM policies of the account).
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    if (props.administratorArns.length === 0) {
      const allowed = 'at least one role ARN (without one, nobody can change the key policy)';
      invalidProp(`EncryptionKey ${props.aliasName}`, 'administratorArns', allowed, props.administratorArns);
    }
    const accountRoot = iamArn(props.partition, props.accountId, 'root');
    this.key = new KmsKey(this, 'key', {
      region: props.region,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: ROTATION_PERIOD_IN_DAYS,
      deletionWindowInDays: DELETION_WINDOW_IN_DAYS,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
      // The creator (the CI apply role) is deliberately not an administrator, so KMS's check that the
      // creator can still change the policy must be skipped; the administrators can.
      // https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#KMS-CreateKey-request-BypassPolicyLockoutSafetyCheck
      bypassPolicyLockoutSafetyCheck: true,
      policy: policyDocument([
        {
          sid: 'AdministratorsAdministerKey',
          principals: { AWS: [...props.administratorArns] },
          actions: KEY_ADMINISTRATOR_ACTIONS,
          resources: ['*'],
        },
        // Delegates use (not administration) to IAM policies in this account; each role's policy decides.
        { sid: 'AccountUsesKeyThroughIam', principals: { AWS: accountRoot }, actions: KEY_USE_ACTIONS, resources: ['*'] },
        {
          // Grants only for AWS resources (RDS, EKS, EBS create them for the resources they encrypt).
          sid: 'AccountGrantsOnlyForAwsResources',
          principals: { AWS: accountRoot },
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
        ...(props.additionalStatements ?? []),
      ]),
    });
    stableAddress(this.key, props.aliasName, { region: props.region });
    this.alias = new KmsAlias(this, 'alias', { region: props.region, name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
  }

  get arn(): string {
    return this.key.arn;
  }
}

/**
 * Key-policy statement letting CloudWatch Logs use the key, only for the log groups whose names
 * match `logGroupNames` (wildcards allowed), so no other log group of the account can borrow it.
 */
export function allowCloudWatchLogs(accountId: string, region: string, logGroupNames: readonly string[]): PolicyStatement {
  if (logGroupNames.length === 0) invalidProp('allowCloudWatchLogs', 'logGroupNames', 'at least one log group or pattern', logGroupNames);
  return {
    sid: 'AllowCloudWatchLogs',
    principals: { Service: `logs.${region}.amazonaws.com` },
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': logGroupNames.map((name) =>
          formatArn(partitionOf(region), 'logs', region, accountId, `log-group:${name}`),
        ),
      },
    },
  };
}

/**
 * Key-policy statements for copies into a vault of the recovery account: AWS Backup in that account
 * reads the source recovery point (RDS snapshots keep the database's key; S3 recovery points use the
 * vault's) and re-encrypts it with the destination vault's key. kms:CallerAccount pins the caller to
 * that account; grants only for AWS resources.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
 */
export function allowRecoveryAccountCopies(partition: string, recoveryAccountId: string): PolicyStatement[] {
  const principals = { AWS: iamArn(partition, recoveryAccountId, 'root') };
  return [
    {
      sid: 'RecoveryAccountReadsCopies',
      principals,
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:CallerAccount': recoveryAccountId } },
    },
    {
      sid: 'RecoveryAccountGrantsForCopies',
      principals,
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:CallerAccount': recoveryAccountId }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ];
}
