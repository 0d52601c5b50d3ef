import { z } from 'zod';
import { awsAccountId, awsRegion } from './common';

/** Days daily backups are kept when `recovery.retentionDays` is not set (and in environments without `recovery`). */
export const DEFAULT_BACKUP_RETENTION_DAYS = 35;

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
      .min(7, 'must be at least 7 days (the production Vault Lock minimum)')
      .max(3650, 'must be at most 3650 days')
      .default(DEFAULT_BACKUP_RETENTION_DAYS)
      .describe('Days daily backups and their copies are kept; Vault Lock refuses to delete them earlier.'),
  })
  .strict()
  .describe(
    "Where the protected copies of the environment's stores go (AWS Backup copies, state replication). Required in production; " +
      'omitted, backups stay in the home region.',
  );
