import { KmsAlias } from '@cdktn/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktn/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from './policy-document';

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, from `Naming.name(...)`. */
  readonly aliasName: string;
  readonly description: string;
  readonly accountId: string;
  /**
   * Statements added to the key policy, for AWS services that use the key on the account's behalf
   * (CloudWatch Logs, for example, must be named in the key policy).
   * @default - none: only IAM policies in the account grant use of the key
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /**
   * Days a scheduled deletion waits; the key cannot be used meanwhile, which is the time to notice.
   * @default 30 (the maximum)
   */
  readonly deletionWindowInDays?: number;
  /**
   * Days between automatic rotations of the key material.
   * @default 365
   */
  readonly rotationPeriodInDays?: number;
  /**
   * Refuse `terraform destroy` of the key (lifecycle prevent_destroy): losing it makes everything it
   * encrypted, backups included, unreadable.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** A customer-managed, symmetric KMS key with rotation on and an alias. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(`EncryptionKey ${props.aliasName}: deletionWindowInDays must be 7–30 (got ${deletionWindowInDays})`);
    }
    const rotationPeriodInDays = props.rotationPeriodInDays ?? 365;
    if (rotationPeriodInDays < 90 || rotationPeriodInDays > 2560) {
      throw new Error(`EncryptionKey ${props.aliasName}: rotationPeriodInDays must be 90–2560 (got ${rotationPeriodInDays})`);
    }
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays,
      deletionWindowInDays,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
      policy: policyDocument([
        {
          // Delegates key use to IAM policies in this account; without it the key becomes unmanageable.
          sid: 'AccountAdministersKeyThroughIam',
          principals: { AWS: `arn:aws:iam::${props.accountId}:root` },
          actions: ['kms:*'],
          resources: ['*'],
        },
        ...(props.additionalStatements ?? []),
      ]),
    });
    this.alias = new KmsAlias(this, 'alias', { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
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
  if (logGroupNames.length === 0) throw new Error('allowCloudWatchLogs: logGroupNames must name at least one log group or pattern');
  return {
    sid: 'AllowCloudWatchLogs',
    principals: { Service: `logs.${region}.amazonaws.com` },
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupNames.map((name) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`) } },
  };
}
