import { dig, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { preventsDestroy, tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'OS_005',
  title: 'Production OpenSearch domains span three zones with three dedicated masters',
  severity: 'high',
  description:
    'In production: cluster_config { zone_awareness_enabled = true, zone_awareness_config { availability_zone_count = 3 }, ' +
    'dedicated_master_enabled = true, dedicated_master_count = 3 } and lifecycle { prevent_destroy = true }.',
  resourceTypes: ['aws_opensearch_domain'],
  check: ({ body, doc }) => {
    if (tierOf(body, doc) !== 'production') return [];
    const cluster = (...path: string[]) => dig(body, 'cluster_config', ...path);
    return [
      ...(cluster('zone_awareness_enabled').some(isTrue) && cluster('zone_awareness_config', 'availability_zone_count').includes(3)
        ? []
        : ['zone awareness across 3 zones is not configured']),
      ...(cluster('dedicated_master_enabled').some(isTrue) && cluster('dedicated_master_count').includes(3)
        ? []
        : ['3 dedicated master nodes are not configured']),
      ...(preventsDestroy(body) ? [] : ['lifecycle.prevent_destroy is not true in production']),
    ];
  },
});
