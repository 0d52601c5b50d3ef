import { definePolicyRule } from '../rule';

/** Where the runbooks of alarms live in this repository. */
const RUNBOOK_PATH = 'docs/runbooks/';

export default definePolicyRule({
  id: 'OBS_003',
  title: 'Every alarm links its runbook',
  severity: 'low',
  description:
    `The alarm_description of aws_cloudwatch_metric_alarm and aws_cloudwatch_composite_alarm links a runbook under ${RUNBOOK_PATH}: ` +
    'whoever is notified reads what the alarm means, what to look at first and how to resolve it. MetricAlarm adds the link.',
  resourceTypes: ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'],
  check: ({ body }) => {
    const description = typeof body.alarm_description === 'string' ? body.alarm_description : '';
    const link = /https:\/\/\S+\.md\b/.exec(description)?.[0] ?? '';
    return link.includes(RUNBOOK_PATH) ? [] : [`alarm_description does not link a runbook under ${RUNBOOK_PATH}`];
  },
});
