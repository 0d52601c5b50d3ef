import { isSet, list } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'OBS_002',
  title: 'Every alarm notifies someone',
  severity: 'medium',
  description:
    "aws_cloudwatch_metric_alarm and aws_cloudwatch_composite_alarm need at least one alarm_actions entry (the environment's " +
    'alarm topic) and actions_enabled not false: an alarm without an action changes state where nobody looks. Create alarms ' +
    'with MetricAlarm (src/constructs/observability/metric-alarm.ts), which always notifies its destination.',
  resourceTypes: ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'],
  check: ({ body }) => [
    ...(list(body.alarm_actions).some(isSet) ? [] : ['alarm_actions is empty: the alarm notifies nobody']),
    ...(body.actions_enabled === false || body.actions_enabled === 'false' ? ['actions_enabled is false: the alarm notifies nobody'] : []),
  ],
});
