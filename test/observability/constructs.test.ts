// The observability constructs on their own: what a MetricAlarm synthesizes, and the props each one
// refuses at synth time, naming the prop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktn';
import { AlarmTopic, type AlarmTopicProps } from '../../src/constructs/observability/alarm-topic';
import { EnvironmentDashboard } from '../../src/constructs/observability/environment-dashboard';
import { MetricAlarm, type MetricAlarmProps } from '../../src/constructs/observability/metric-alarm';
import { MonthlyBudget } from '../../src/constructs/observability/monthly-budget';
import { OutOfBandChangeAlert, type OutOfBandChangeAlertProps } from '../../src/constructs/observability/out-of-band-change-alert';
import { resourcesOf, synthOneStack } from '../support/synth';

const destination = { topicArn: 'arn:aws:sns:eu-west-1:111111111111:x-dev-alarms', runbookBaseUrl: 'https://example.com/runbooks' };
const cpu: MetricAlarmProps = {
  name: 'x-dev-db-cpu',
  runbook: 'postgres-cpu',
  summary: 'CPU is high.',
  destination,
  metric: { namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: 'x-dev-db' }, statistic: 'Average' },
  comparison: 'GreaterThanThreshold',
  threshold: 80,
  periodSeconds: 300,
  evaluationPeriods: 3,
  treatMissingData: 'missing',
};
const topic: AlarmTopicProps = {
  name: 'x-dev-alarms',
  accountId: '111111111111',
  region: 'eu-west-1',
  keyAdministratorArns: ['arn:aws:iam::111111111111:role/admin'],
  publisherNamePrefix: 'x-dev-',
  emails: ['oncall@example.com'],
};
const alert: OutOfBandChangeAlertProps = {
  namePrefix: 'x-dev',
  accountId: '111111111111',
  region: 'eu-west-1',
  eventSources: ['ec2.amazonaws.com'],
  automationRoleNamePrefix: 'x-dev-',
  breakGlassRoleArns: [],
  destination,
};
/** A stack with the AWS provider, as every layer has. */
const synth = (name: string, build: (stack: TerraformStack) => void) =>
  synthOneStack(name, (stack) => {
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    build(stack);
  });
const scope = () => new TerraformStack(new App({ outdir: '/tmp/unused-observability-constructs', skipValidation: true }), 'test');

describe('MetricAlarm', () => {
  it('notifies the destination on ALARM and on OK and links its runbook; percentiles become extended statistics', () => {
    const doc = synth('alarm', (stack) => {
      new MetricAlarm(stack, 'cpu', cpu);
      new MetricAlarm(stack, 'latency', {
        ...cpu,
        name: 'x-dev-api-latency',
        runbook: 'alb-target-latency',
        metric: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: {}, statistic: 'p99' },
        datapointsToAlarm: 2,
      });
    });
    const byName = Object.fromEntries(resourcesOf(doc, 'aws_cloudwatch_metric_alarm').map(([, a]) => [a.alarm_name, a]));
    const db = byName['x-dev-db-cpu'];
    assert.deepEqual([db.alarm_actions, db.ok_actions, db.actions_enabled], [[destination.topicArn], [destination.topicArn], true]);
    assert.equal(db.alarm_description, 'CPU is high. Runbook: https://example.com/runbooks/postgres-cpu.md');
    assert.deepEqual([db.statistic, db.extended_statistic, db.datapoints_to_alarm], ['Average', undefined, 3]);
    const latency = byName['x-dev-api-latency'];
    assert.deepEqual([latency.statistic, latency.extended_statistic, latency.datapoints_to_alarm], [undefined, 'p99', 2]);
  });

  it('an expression alarm returns only the expression, and its inputs carry the period and statistic', () => {
    const doc = synth('expression', (stack) => {
      const { metric: _metric, ...rest } = cpu;
      const input = (metricName: string) => ({
        namespace: 'AWS/ApplicationELB',
        metricName,
        dimensions: { LoadBalancer: 'lb' },
        statistic: 'Sum',
      });
      new MetricAlarm(stack, 'errors', {
        ...rest,
        expression: {
          expression: '100 * errors / requests',
          label: 'share',
          metrics: { errors: input('HTTPCode_ELB_5XX_Count'), requests: input('RequestCount') },
        },
      });
    });
    const [[, alarm]] = resourcesOf(doc, 'aws_cloudwatch_metric_alarm');
    assert.equal(alarm.metric_name, undefined);
    const queries = alarm.metric_query;
    assert.deepEqual(
      queries.map((q: any) => [q.id, q.return_data]),
      [
        ['expression', true],
        ['errors', false],
        ['requests', false],
      ],
    );
    for (const query of queries.slice(1)) assert.deepEqual([query.metric.period, query.metric.stat], [300, 'Sum']);
  });

  const cases: [string, () => unknown, RegExp][] = [
    ['an empty name', () => new MetricAlarm(scope(), 'a', { ...cpu, name: '' }), /name must be 1–255 characters/],
    [
      'a runbook path instead of a slug',
      () => new MetricAlarm(scope(), 'a', { ...cpu, runbook: 'alarms/cpu.md' }),
      /runbook must be a lowercase slug/,
    ],
    [
      'both a metric and an expression',
      () => new MetricAlarm(scope(), 'a', { ...cpu, expression: { expression: 'm', label: 'm', metrics: {} } }),
      /metric must be given, or else expression/,
    ],
    [
      'neither a metric nor an expression',
      () => new MetricAlarm(scope(), 'a', { ...cpu, metric: undefined }),
      /metric must be given, or else expression/,
    ],
    [
      'an infinite threshold',
      () => new MetricAlarm(scope(), 'a', { ...cpu, threshold: Number.POSITIVE_INFINITY }),
      /threshold must be a finite number/,
    ],
    [
      'a 90-second period',
      () => new MetricAlarm(scope(), 'a', { ...cpu, periodSeconds: 90 }),
      /periodSeconds must be 10, 30 or a multiple of 60 \(got 90\)/,
    ],
    [
      'no evaluation period',
      () => new MetricAlarm(scope(), 'a', { ...cpu, evaluationPeriods: 0 }),
      /evaluationPeriods must be a whole number ≥ 1/,
    ],
    [
      'more than a day of periods',
      () => new MetricAlarm(scope(), 'a', { ...cpu, evaluationPeriods: 289 }),
      /evaluationPeriods must be at most 288 periods of 300 s/,
    ],
    [
      'more datapoints than periods',
      () => new MetricAlarm(scope(), 'a', { ...cpu, datapointsToAlarm: 4 }),
      /datapointsToAlarm must be 1–3/,
    ],
    [
      'a metric id CloudWatch rejects',
      () =>
        new MetricAlarm(scope(), 'a', {
          ...cpu,
          metric: undefined,
          expression: { expression: 'E1', label: 'e', metrics: { E1: cpu.metric! } },
        }),
      /expression.metrics must be ids starting with a lower-case letter \(got "E1"\)/,
    ],
    [
      'a description over 1024 characters',
      () => new MetricAlarm(scope(), 'a', { ...cpu, summary: 'x'.repeat(1000) }),
      /summary must be short enough/,
    ],
    [
      'a topic nobody receives',
      () => new AlarmTopic(scope(), 't', { ...topic, emails: [] }),
      /AlarmTopic x-dev-alarms: emails must be at least one address, or slack given/,
    ],
    [
      'a publisher prefix without its dash',
      () => new AlarmTopic(scope(), 't', { ...topic, publisherNamePrefix: 'x-dev' }),
      /publisherNamePrefix must be a name prefix ending in "-"/,
    ],
    [
      'a budget of nothing',
      () => new MonthlyBudget(scope(), 'b', { name: 'x-dev-monthly', limitUsd: 0, forecastAlertPercents: [80], topicArn: 't' }),
      /limitUsd must be an amount greater than 0/,
    ],
    [
      'a budget without alerts',
      () => new MonthlyBudget(scope(), 'b', { name: 'x-dev-monthly', limitUsd: 10, forecastAlertPercents: [], topicArn: 't' }),
      /forecastAlertPercents must be at least one share/,
    ],
    [
      'a change alert on no service',
      () => new OutOfBandChangeAlert(scope(), 'o', { ...alert, eventSources: [] }),
      /eventSources must be at least one event source/,
    ],
    [
      'an automation prefix that also matches other roles',
      () => new OutOfBandChangeAlert(scope(), 'o', { ...alert, automationRoleNamePrefix: 'x-dev' }),
      /automationRoleNamePrefix must be a role name prefix ending in "-"/,
    ],
    [
      'forwarding without a role',
      () => new OutOfBandChangeAlert(scope(), 'o', { ...alert, forwardFromRegions: ['us-east-1'] }),
      /forwarderRoleName must be given with forwardFromRegions/,
    ],
    [
      'a dashboard of nothing',
      () => new EnvironmentDashboard(scope(), 'd', { name: 'x-dev-overview', region: 'eu-west-1', alarms: [] }),
      /alarms must be at least one alarm/,
    ],
    [
      'a dashboard listing an alarm twice',
      () => {
        const one = { name: 'x-dev-db-cpu', arn: 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:x-dev-db-cpu', section: 'postgres' };
        return new EnvironmentDashboard(scope(), 'd', { name: 'x-dev-overview', region: 'eu-west-1', alarms: [one, one] });
      },
      /alarms must be alarms with unique names/,
    ],
  ];
  for (const [what, build, message] of cases) {
    it(`refuses ${what}`, () => assert.throws(build, message));
  }

  it('forwards from no region when the only one given is the home region', () => {
    const doc = synth('home-only', (stack) => new OutOfBandChangeAlert(stack, 'o', { ...alert, forwardFromRegions: ['eu-west-1'] }));
    assert.equal(resourcesOf(doc, 'aws_cloudwatch_event_rule').length, 1);
    assert.deepEqual(resourcesOf(doc, 'aws_iam_role'), []);
  });
});
