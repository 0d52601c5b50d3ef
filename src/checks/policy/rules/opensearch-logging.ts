import { blocks, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'OS_006',
  title: 'OpenSearch domains publish slow, application and (in production) audit logs',
  severity: 'medium',
  description: 'log_publishing_options enables INDEX_SLOW_LOGS, SEARCH_SLOW_LOGS and ES_APPLICATION_LOGS, plus AUDIT_LOGS in production.',
  resourceTypes: ['aws_opensearch_domain'],
  check: ({ body, doc }) => {
    const published = blocks(body.log_publishing_options)
      .filter((option) => option.enabled === undefined || isTrue(option.enabled))
      .map((option) => option.log_type);
    const required = [
      'INDEX_SLOW_LOGS',
      'SEARCH_SLOW_LOGS',
      'ES_APPLICATION_LOGS',
      ...(tierOf(body, doc) === 'production' ? ['AUDIT_LOGS'] : []),
    ];
    return required.filter((type) => !published.includes(type)).map((type) => `log_publishing_options does not publish ${type}`);
  },
});
