import { isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'RDS_003',
  title: 'RDS instances keep point-in-time backups and a final snapshot',
  severity: 'high',
  description:
    'backup_retention_period ≥ 1 (≥ 14 in production), copy_tags_to_snapshot = true, ' +
    'and a final snapshot on delete (skip_final_snapshot not true, final_snapshot_identifier set).',
  resourceTypes: ['aws_db_instance'],
  check: ({ body, doc }) => {
    const minimum = tierOf(body, doc) === 'production' ? 14 : 1;
    const retention = typeof body.backup_retention_period === 'number' ? body.backup_retention_period : 0;
    return [
      ...(retention >= minimum ? [] : [`backup_retention_period is ${retention}; at least ${minimum} days are required`]),
      ...(isTrue(body.copy_tags_to_snapshot) ? [] : ['copy_tags_to_snapshot is not true']),
      ...(isTrue(body.skip_final_snapshot) || !isSet(body.final_snapshot_identifier)
        ? ['no final snapshot on delete (skip_final_snapshot or no final_snapshot_identifier)']
        : []),
    ];
  },
});
