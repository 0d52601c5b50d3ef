import { findReferencing } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { tierOf } from './_data-stores';

/** AWS Backup enforces a 72-hour cooling-off before a compliance-mode lock becomes immutable. */
const MIN_CHANGEABLE_DAYS = 3;

export default definePolicyRule({
  id: 'BACKUP_001',
  title: 'Backup vaults are locked; in production in compliance mode',
  severity: 'high',
  description:
    'Every aws_backup_vault has an aws_backup_vault_lock_configuration with a minimum retention. In production the lock ' +
    'is in compliance mode (changeable_for_days ≥ 3), so after the lock date no one can delete a recovery point early or ' +
    'remove the lock (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html). That production vaults keep ' +
    'prevent_destroy is PROTECT_001.',
  resourceTypes: ['aws_backup_vault'],
  check: ({ address, body, doc }) => {
    const locks = findReferencing(doc, 'aws_backup_vault_lock_configuration', 'backup_vault_name', address, body.name);
    if (locks.length === 0)
      return ['has no aws_backup_vault_lock_configuration: recovery points can be deleted before their retention ends'];
    const production = tierOf(body, doc) === 'production';
    return locks.flatMap(({ body: lock }) => [
      ...(typeof lock.min_retention_days === 'number' && lock.min_retention_days >= 1 ? [] : ['the vault lock sets no min_retention_days']),
      ...(production && !(typeof lock.changeable_for_days === 'number' && lock.changeable_for_days >= MIN_CHANGEABLE_DAYS)
        ? [`the vault lock is not in compliance mode in production (changeable_for_days must be ≥ ${MIN_CHANGEABLE_DAYS})`]
        : []),
    ]);
  },
});
