// Shared by the alarm rules (OBS_*). Not a rule: the engine skips files starting with "_". Reads the
// CloudWatch alarms of a stack with every metric each one watches, whether as its own metric or as an
// input of its metric math expression.
import {
  blocks,
  dig,
  isExpression,
  isObject,
  references,
  resourcesOfType,
  type JsonObject,
  type TerraformJson,
} from '../../terraform-json';

export interface WatchedMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface StackAlarm {
  readonly address: string;
  readonly metrics: readonly WatchedMetric[];
}

function dimensionsOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function watched(namespace: unknown, metricName: unknown, dimensions: unknown): WatchedMetric[] {
  if (typeof namespace !== 'string' || typeof metricName !== 'string') return [];
  return [{ namespace, metricName, dimensions: dimensionsOf(dimensions) }];
}

/** Every metric alarm of the document, with the metrics it watches. */
export function alarmsOf(doc: TerraformJson): StackAlarm[] {
  return resourcesOfType(doc, 'aws_cloudwatch_metric_alarm').map(({ address, body }) => ({
    address,
    metrics: [
      ...watched(body.namespace, body.metric_name, body.dimensions),
      ...blocks(body.metric_query)
        .flatMap((query) => blocks(query.metric))
        .flatMap((metric: JsonObject) => watched(metric.namespace, metric.metric_name, metric.dimensions)),
    ],
  }));
}

/**
 * How an alarm's dimension names a resource: by a reference to the resource (`${aws_db_instance.x.identifier}`,
 * or any expression that contains one), or by the literal value given.
 */
export type DimensionTarget = { readonly address: string } | { readonly literal: string } | { readonly expression: string };

function dimensionNames(value: string, target: DimensionTarget): boolean {
  if ('address' in target) return references(value, target.address);
  if ('literal' in target) return value === target.literal;
  return references(value, target.expression);
}

/**
 * How many alarms watch `metricName` in `namespace` with a dimension that names the target; `dimension`
 * limits the check to one dimension key.
 */
export function alarmCount(
  alarms: readonly StackAlarm[],
  namespace: string,
  metricName: string,
  target: DimensionTarget,
  dimension?: string,
): number {
  const names = (dimensions: Readonly<Record<string, string>>) =>
    Object.entries(dimensions).some(([key, value]) => (dimension === undefined || key === dimension) && dimensionNames(value, target));
  return alarms.filter((alarm) =>
    alarm.metrics.some((metric) => metric.namespace === namespace && metric.metricName === metricName && names(metric.dimensions)),
  ).length;
}

/**
 * The target group a forward action sends to, as an alarm's TargetGroup dimension names it: a reference
 * to an aws_lb_target_group of the document, another expression (a target group of another stack, whose
 * ARN the alarm splits), or a literal ARN (whose last part, `targetgroup/<name>/<id>`, is the dimension).
 */
export function targetGroupTarget(targetGroupArn: string): DimensionTarget {
  if (!isExpression(targetGroupArn as unknown)) return { literal: targetGroupArn.split(':').slice(5).join(':') };
  const inner = /^\$\{(.+)\}$/.exec(targetGroupArn.trim())?.[1] ?? targetGroupArn;
  const resource = /^(aws_lb_target_group\.[A-Za-z0-9_-]+)\.[a-z_]+$/.exec(inner)?.[1];
  return resource ? { address: resource } : { expression: inner };
}

/** Target group ARNs a listener rule forwards to: `action[].target_group_arn` and `action[].forward.target_group[].arn`. */
export function forwardedTargetGroups(body: JsonObject): string[] {
  return blocks(body.action)
    .filter((action) => action.type === 'forward')
    .flatMap((action) => [...dig(action, 'target_group_arn'), ...dig(action, 'forward', 'target_group', 'arn')])
    .filter((arn): arn is string => typeof arn === 'string');
}
