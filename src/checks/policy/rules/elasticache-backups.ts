import { isSet } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { preventsDestroy, tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'EC_004',
  title: 'ElastiCache replication groups keep snapshots and a final snapshot',
  severity: 'medium',
  description:
    'snapshot_retention_limit ≥ 1 (≥ 7 in production), final_snapshot_identifier set, ' +
    'and in production lifecycle { prevent_destroy = true }.',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: ({ body, doc }) => {
    const production = tierOf(body, doc) === 'production';
    const minimum = production ? 7 : 1;
    const retention = typeof body.snapshot_retention_limit === 'number' ? body.snapshot_retention_limit : 0;
    return [
      ...(retention >= minimum ? [] : [`snapshot_retention_limit is ${retention}; at least ${minimum} days are required`]),
      ...(isSet(body.final_snapshot_identifier) ? [] : ['final_snapshot_identifier is not set: deleting the group would lose its data']),
      ...(production && !preventsDestroy(body) ? ['lifecycle.prevent_destroy is not true in production'] : []),
    ];
  },
});
