import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct, type IConstruct } from 'constructs';
import { invalidProp } from '../invalid-prop';

/** Where every alarm of an environment notifies, and where its runbook lives. */
/** How every alert ends, alarm or event: `Runbook: <url>` of `runbook` (a file of docs/runbooks/alarms). */
export function runbookLink(destination: AlarmDestination, runbook: string): string {
  return `Runbook: ${destination.runbookBaseUrl}/${runbook}.md`;
}

export interface AlarmDestination {
  /** The environment's alarm topic (AlarmTopic), notified when an alarm fires and when it recovers. */
  readonly topicArn: string;
  /** URL of `docs/runbooks/alarms/` in this repository; each alarm's description links `<url>/<runbook>.md`. */
  readonly runbookBaseUrl: string;
}

/** One CloudWatch metric: what an alarm watches, or one input of its math expression. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Average`, `Maximum`, `Minimum`, `Sum`, `SampleCount`, or a percentile such as `p99`. */
  readonly statistic: string;
}

/** A metric math expression over named metrics, e.g. `100 * errors / requests`. */
export interface MetricExpression {
  readonly expression: string;
  readonly label: string;
  /** Metric id (lower-case letter first, as CloudWatch requires) → metric. */
  readonly metrics: Readonly<Record<string, MetricSpec>>;
}

export type AlarmComparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type MissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export interface MetricAlarmProps {
  /** Alarm name, derived from the owning resource's name (so it carries the `<project>-<env>-` prefix). */
  readonly name: string;
  /** Slug of the runbook, `docs/runbooks/alarms/<runbook>.md`. */
  readonly runbook: string;
  /** What the alarm means, in one sentence; the description adds the runbook link. */
  readonly summary: string;
  readonly destination: AlarmDestination;
  /** The metric watched; give either this or `expression`. */
  readonly metric?: MetricSpec;
  readonly expression?: MetricExpression;
  readonly comparison: AlarmComparison;
  readonly threshold: number;
  /** Seconds per datapoint: 10, 30 or a multiple of 60. */
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /**
   * Breaching datapoints among `evaluationPeriods` that fire the alarm.
   * @default evaluationPeriods
   */
  readonly datapointsToAlarm?: number;
  /** What a period without data counts as: a deliberate decision per signal, so it has no default. */
  readonly treatMissingData: MissingData;
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;
const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;
/** CloudWatch evaluates at most one day of periods for alarms on periods of a minute or more. */
const MAX_EVALUATION_SECONDS = 24 * 60 * 60;

/**
 * A CloudWatch alarm that always notifies the environment's alarm topic, on ALARM and on OK, and whose
 * description says what it means and links its runbook. Constructs that own a resource create these
 * from their `addAlarms`; the environment dashboard finds them in the construct tree.
 */
export class MetricAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly name: string;
  readonly summary: string;
  readonly runbook: string;

  /** Every MetricAlarm in the scopes' construct trees, in tree order. */
  static within(...scopes: readonly IConstruct[]): MetricAlarm[] {
    return scopes.flatMap((scope) => scope.node.findAll().filter((node): node is MetricAlarm => node instanceof MetricAlarm));
  }

  constructor(scope: Construct, id: string, props: MetricAlarmProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`MetricAlarm ${props.name}`, prop, allowed, got);
    if (props.name.length === 0 || props.name.length > 255) fail('name', '1–255 characters', props.name);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.runbook)) fail('runbook', 'a lowercase slug of docs/runbooks/alarms/', props.runbook);
    if ((props.metric === undefined) === (props.expression === undefined)) fail('metric', 'given, or else expression', props.metric);
    if (!Number.isFinite(props.threshold)) fail('threshold', 'a finite number', props.threshold);
    if (!(props.periodSeconds === 10 || props.periodSeconds === 30 || (props.periodSeconds > 0 && props.periodSeconds % 60 === 0))) {
      fail('periodSeconds', '10, 30 or a multiple of 60', props.periodSeconds);
    }
    const periods = props.evaluationPeriods;
    if (!Number.isInteger(periods) || periods < 1) fail('evaluationPeriods', 'a whole number ≥ 1', periods);
    if (props.periodSeconds * periods > MAX_EVALUATION_SECONDS) {
      fail('evaluationPeriods', `at most ${MAX_EVALUATION_SECONDS / props.periodSeconds} periods of ${props.periodSeconds} s`, periods);
    }
    const datapoints = props.datapointsToAlarm ?? props.evaluationPeriods;
    if (!Number.isInteger(datapoints) || datapoints < 1 || datapoints > props.evaluationPeriods) {
      fail('datapointsToAlarm', `1–${props.evaluationPeriods} (evaluationPeriods)`, datapoints);
    }
    for (const id of Object.keys(props.expression?.metrics ?? {})) {
      if (!METRIC_ID.test(id)) fail('expression.metrics', 'ids starting with a lower-case letter', id);
    }
    this.name = props.name;
    this.summary = props.summary;
    this.runbook = props.runbook;

    const description = `${props.summary} ${runbookLink(props.destination, props.runbook)}`;
    if (description.length > 1024) fail('summary', 'short enough for a 1024-character description', props.summary.length);
    const actions = [props.destination.topicArn];
    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: props.name,
      alarmDescription: description,
      actionsEnabled: true,
      alarmActions: actions,
      // Recovery is news too: whoever was paged learns it is over without opening the console.
      okActions: actions,
      comparisonOperator: props.comparison,
      threshold: props.threshold,
      evaluationPeriods: props.evaluationPeriods,
      datapointsToAlarm: datapoints,
      treatMissingData: props.treatMissingData,
      ...(props.metric
        ? singleMetric(props.metric, props.periodSeconds)
        : { metricQuery: expressionQueries(props.expression!, props.periodSeconds) }),
    });
  }
}

function singleMetric(metric: MetricSpec, period: number) {
  const statistic = PERCENTILE.test(metric.statistic) ? { extendedStatistic: metric.statistic } : { statistic: metric.statistic };
  return { namespace: metric.namespace, metricName: metric.metricName, dimensions: { ...metric.dimensions }, period, ...statistic };
}

function expressionQueries(expression: MetricExpression, period: number): CloudwatchMetricAlarmMetricQuery[] {
  return [
    { id: 'expression', expression: expression.expression, label: expression.label, returnData: true },
    ...Object.entries(expression.metrics).map(([id, metric]) => ({
      id,
      returnData: false,
      metric: {
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: { ...metric.dimensions },
        period,
        stat: metric.statistic,
      },
    })),
  ];
}
