import { BackupVault as BackupVaultResource } from '@cdktn/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktn/provider-aws/lib/backup-vault-lock-configuration';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { EncryptionKey } from '../security/kms-key';
import type { PolicyStatement } from '../security/policy-document';
import { stableAddress } from '../stable-address';

/**
 * AWS Backup Vault Lock (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html):
 * - `compliance`: after `changeableForDays` (at least 3: AWS Backup's 72-hour cooling-off) the lock
 *   and every recovery point's retention are immutable, for everyone including the root user and AWS;
 * - `governance`: no lock date; principals with IAM permission may remove the lock (tiers that are torn down).
 * `minRetentionDays` (at least 1) and `maxRetentionDays` bound the retention of every backup or copy
 * job into the vault; a job outside them fails.
 */
export type VaultLock =
  | {
      readonly mode: 'compliance';
      readonly changeableForDays: number;
      readonly minRetentionDays: number;
      readonly maxRetentionDays: number;
    }
  | { readonly mode: 'governance'; readonly minRetentionDays: number; readonly maxRetentionDays: number };

/** AWS Backup enforces a 72-hour cooling-off period before a compliance lock takes effect. */
const MIN_CHANGEABLE_DAYS = 3;

export interface BackupVaultProps {
  /** Vault name, from `Naming.backupVaultName`; the copies in the recovery region use the same name. */
  readonly name: string;
  readonly accountId: string;
  /** ARN partition of the environment's region (`Naming.partition`). */
  readonly partition: string;
  /** Administrators of the vault's key (EncryptionKey.administratorArns). */
  readonly keyAdministratorArns: readonly string[];
  readonly lock: VaultLock;
  /**
   * Region of the vault, for the copy destination in the recovery region.
   * @default - the provider's region
   */
  readonly region?: string;
  /**
   * Statements added to the vault key's policy, e.g. a recovery account that copies from this vault.
   * @default - none
   */
  readonly keyStatements?: readonly PolicyStatement[];
}

/**
 * A backup vault encrypted with its own customer-managed key and locked. Recovery points of services
 * AWS Backup fully manages (S3) are encrypted with the vault's key; copies of RDS snapshots into
 * another region are re-encrypted with the destination vault's key.
 */
export class BackupVault extends Construct {
  readonly vault: BackupVaultResource;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: BackupVaultProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`BackupVault ${props.name}`, prop, allowed, got);
    const { lock } = props;
    if (!Number.isInteger(lock.minRetentionDays) || lock.minRetentionDays < 1)
      fail('lock.minRetentionDays', 'a whole number of days ≥ 1 (AWS Backup minimum)', lock.minRetentionDays);
    if (lock.maxRetentionDays < lock.minRetentionDays)
      fail('lock.maxRetentionDays', `at least minRetentionDays (${lock.minRetentionDays})`, lock.maxRetentionDays);
    if (lock.mode === 'compliance' && (!Number.isInteger(lock.changeableForDays) || lock.changeableForDays < MIN_CHANGEABLE_DAYS)) {
      fail(
        'lock.changeableForDays',
        `a whole number ≥ ${MIN_CHANGEABLE_DAYS} (AWS Backup's 72-hour cooling-off period)`,
        lock.changeableForDays,
      );
    }

    this.key = new EncryptionKey(this, 'key', {
      aliasName: props.name,
      description: `Encrypts the recovery points in backup vault ${props.name}`,
      accountId: props.accountId,
      partition: props.partition,
      administratorArns: props.keyAdministratorArns,
      region: props.region,
      additionalStatements: props.keyStatements,
    });
    this.vault = new BackupVaultResource(this, 'vault', {
      region: props.region,
      name: props.name,
      kmsKeyArn: this.key.arn,
      // Never delete a vault that still holds recovery points.
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    stableAddress(this.vault, props.name, { region: props.region });
    const vaultLock = new BackupVaultLockConfiguration(this, 'lock', {
      region: props.region,
      backupVaultName: this.vault.name,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
      // Without a lock date the lock stays in governance mode.
      changeableForDays: lock.mode === 'compliance' ? lock.changeableForDays : undefined,
      lifecycle: { preventDestroy: lock.mode === 'compliance' },
    });
    stableAddress(vaultLock, props.name, { region: props.region });
  }

  get arn(): string {
    return this.vault.arn;
  }

  get name(): string {
    return this.vault.name;
  }
}
