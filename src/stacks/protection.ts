import type { Tier } from '../config/schema/common';
import type { VaultLock } from '../constructs/recovery/backup-vault';

/**
 * What guards an environment's state against deletion, decided once per tier and passed to the constructs as
 * props. Production outlives a mistaken destroy; development can be torn down without an administrator.
 */
export interface ProtectionProfile {
  /** `lifecycle.prevent_destroy` on stores, buckets, keys and the alarm topic: Terraform refuses a plan that destroys them. */
  readonly preventDestroy: boolean;
  /** The service's own deletion protection on the EKS cluster and the load balancer. */
  readonly deletionProtection: boolean;
  /** RDS deletion protection: also in staging, whose database is the rehearsal of production's migrations. */
  readonly databaseDeletionProtection: boolean;
  /** Vault Lock of the backup vaults (docs/recovery.md). */
  readonly vaultLock: VaultLock;
}

/** Longest retention a backup or copy job may ask of a vault (AWS Backup's maximum is 36500 days). */
const MAX_RETENTION_DAYS = 3650;

export const PROTECTION_BY_TIER: Readonly<Record<Tier, ProtectionProfile>> = {
  development: {
    preventDestroy: false,
    deletionProtection: false,
    databaseDeletionProtection: false,
    vaultLock: { mode: 'governance', minRetentionDays: 1, maxRetentionDays: MAX_RETENTION_DAYS },
  },
  staging: {
    preventDestroy: false,
    deletionProtection: false,
    databaseDeletionProtection: true,
    vaultLock: { mode: 'governance', minRetentionDays: 1, maxRetentionDays: MAX_RETENTION_DAYS },
  },
  production: {
    preventDestroy: true,
    deletionProtection: true,
    databaseDeletionProtection: true,
    // After 3 days (AWS Backup's 72-hour cooling-off) nobody, root included, can delete a recovery point early.
    vaultLock: { mode: 'compliance', changeableForDays: 3, minRetentionDays: 7, maxRetentionDays: MAX_RETENTION_DAYS },
  },
};
