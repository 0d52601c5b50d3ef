import { blocks } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'EC_005',
  title: 'ElastiCache replication groups deliver slow and engine logs',
  severity: 'medium',
  description: 'log_delivery_configuration has a slow-log and an engine-log entry, so slow commands and failovers can be investigated.',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: ({ body }) => {
    const types = blocks(body.log_delivery_configuration).map((config) => config.log_type);
    return ['slow-log', 'engine-log'].filter((type) => !types.includes(type)).map((type) => `log_delivery_configuration has no ${type}`);
  },
});
