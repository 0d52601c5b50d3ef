import { isTrue, list } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'RDS_005',
  title: 'RDS PostgreSQL instances export logs and are monitored',
  severity: 'medium',
  description:
    'enabled_cloudwatch_logs_exports includes postgresql and upgrade, ' +
    'Enhanced Monitoring runs (monitoring_interval > 0) and Performance Insights is on.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body }) => {
    if (body.engine !== 'postgres') return [];
    const exports = list(body.enabled_cloudwatch_logs_exports);
    const interval = typeof body.monitoring_interval === 'number' ? body.monitoring_interval : 0;
    return [
      ...['postgresql', 'upgrade'].filter((log) => !exports.includes(log)).map((log) => `enabled_cloudwatch_logs_exports lacks ${log}`),
      ...(interval > 0 ? [] : ['monitoring_interval is 0: Enhanced Monitoring is off']),
      ...(isTrue(body.performance_insights_enabled) ? [] : ['performance_insights_enabled is not true']),
    ];
  },
});
