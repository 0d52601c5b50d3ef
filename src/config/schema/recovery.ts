import { z } from 'zod';
import { awsAccountId, awsRegion } from './common';

/** Days daily backups are kept when `recovery.retentionDays` is not set (and in environments without `recovery`). */
export const DEFAULT_BACKUP_RETENTION_DAYS = 35;
/**
 * What the backup vaults' locks admit (src/stacks/protection.ts): production keeps every recovery point at least a
 * week, and no job may ask for more than ten years (AWS Backup's own maximum is 36500 days).
 */
export const VAULT_RETENTION_DAYS = { productionMin: 7, max: 3650 } as const;
/**
 * When AWS Backup starts the daily snapshots (UTC, every day), after the databases' backup windows, and how long a job
 * may wait to start. The config rules keep PostgreSQL's maintenance window clear of it (BACKUP_MAINTENANCE_MARGIN_MINUTES
 * says why).
 */
export const DAILY_BACKUP_START = { hourUtc: 3, windowMinutes: 60 } as const;
/** DAILY_BACKUP_START as a daily UTC window "hh:mm-hh:mm", the form the config's windows take. */
export const DAILY_BACKUP_START_WINDOW = [0, DAILY_BACKUP_START.windowMinutes]
  .map((offset) => DAILY_BACKUP_START.hourUtc * 60 + offset)
  .map((minutes) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`)
  .join('-');
/**
 * AWS Backup does not start a database's backup during its maintenance window or this long before it
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html, read through a copy of
 * the page).
 */
export const BACKUP_MAINTENANCE_MARGIN_MINUTES = 60;

export const recoveryConfig = z
  .object({
    region: awsRegion.describe('Second region for backup copies and the state replica; must differ from `region`.'),
    accountId: awsAccountId
      .optional()
      .describe(
        'A second account whose vault (`Naming.recoveryVaultName`, created there by its administrator) also receives every copy; ' +
          'must differ from `accountId` (docs/recovery.md).',
      ),
    retentionDays: z
      .number()
      .int()
      .min(
        VAULT_RETENTION_DAYS.productionMin,
        `must be at least ${VAULT_RETENTION_DAYS.productionMin} days (the production Vault Lock minimum)`,
      )
      .max(VAULT_RETENTION_DAYS.max, `must be at most ${VAULT_RETENTION_DAYS.max} days`)
      .default(DEFAULT_BACKUP_RETENTION_DAYS)
      .describe('Days daily backups and their copies are kept; Vault Lock refuses to delete them earlier.'),
  })
  .strict()
  .describe(
    "Where the protected copies of the environment's stores go (AWS Backup copies, state replication). Required in production; " +
      'omitted, backups stay in the home region.',
  );
