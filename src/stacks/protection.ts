import type { EnvironmentTier } from '../environment-tiers';
import { VAULT_RETENTION_DAYS } from '../config/schema/recovery';
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

export const PROTECTION_BY_TIER: Readonly<Record<EnvironmentTier, ProtectionProfile>> = {
  development: {
    preventDestroy: false,
    deletionProtection: false,
    databaseDeletionProtection: false,
    vaultLock: { mode: 'governance', minRetentionDays: 1, maxRetentionDays: VAULT_RETENTION_DAYS.max },
  },
  staging: {
    preventDestroy: false,
    deletionProtection: false,
    databaseDeletionProtection: true,
    vaultLock: { mode: 'governance', minRetentionDays: 1, maxRetentionDays: VAULT_RETENTION_DAYS.max },
  },
  production: {
    preventDestroy: true,
    deletionProtection: true,
    databaseDeletionProtection: true,
    // After 3 days (AWS Backup's 72-hour cooling-off) nobody, root included, can delete a recovery point early.
    vaultLock: {
      mode: 'compliance',
      changeableForDays: 3,
      minRetentionDays: VAULT_RETENTION_DAYS.productionMin,
      maxRetentionDays: VAULT_RETENTION_DAYS.max,
    },
  },
};
