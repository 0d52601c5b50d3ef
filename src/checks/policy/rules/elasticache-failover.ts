import { isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'EC_002',
  title: 'Production ElastiCache replication groups fail over automatically across zones',
  severity: 'high',
  description:
    'In production: at least one replica (num_cache_clusters ≥ 2 or replicas_per_node_group ≥ 1), ' +
    'automatic_failover_enabled = true and multi_az_enabled = true.',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: ({ body, doc }) => {
    if (tierOf(body, doc) !== 'production') return [];
    const nodes = typeof body.num_cache_clusters === 'number' ? body.num_cache_clusters : 1;
    const replicas = typeof body.replicas_per_node_group === 'number' ? body.replicas_per_node_group : nodes - 1;
    return [
      ...(replicas >= 1 ? [] : ['no replica: a production cache needs at least one in another zone']),
      ...(isTrue(body.automatic_failover_enabled) ? [] : ['automatic_failover_enabled is not true']),
      ...(isTrue(body.multi_az_enabled) ? [] : ['multi_az_enabled is not true']),
    ];
  },
});
