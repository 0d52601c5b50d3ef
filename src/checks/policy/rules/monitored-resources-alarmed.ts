import { blocks, dig, type JsonObject, type TerraformJson, referenced } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';
import { alarmCount, alarmsOf, forwardedTargetGroups, targetGroupTarget, type DimensionTarget, type StackAlarm } from './_alarms';

/** Metrics every resource of a type must be alarmed on, and the metrics some of them need. */
const RDS = ['CPUUtilization', 'FreeStorageSpace', 'FreeableMemory', 'DatabaseConnections', 'ReadLatency', 'WriteLatency'];
const CACHE = ['EngineCPUUtilization', 'CurrConnections', 'Evictions'];
const SEARCH = ['ClusterStatus.red', 'FreeStorageSpace', 'JVMMemoryPressure', 'ClusterIndexWritesBlocked', 'MasterReachableFromNode'];
const TARGET_GROUP = ['HTTPCode_Target_5XX_Count', 'TargetResponseTime', 'UnHealthyHostCount', 'HealthyHostCount'];

interface Expected {
  readonly namespace: string;
  readonly metrics: readonly string[];
  readonly target: DimensionTarget;
  /** What the target is, for the message. */
  readonly what: string;
  /** Alarms each metric needs (one per node of a cache). @default 1 */
  readonly times?: number;
  /** The dimension that must name the target. @default - any */
  readonly dimension?: string;
}

/** One violation naming every metric without enough alarms on the target. */
function missing(alarms: readonly StackAlarm[], expected: Expected): RuleViolation[] {
  const { namespace, target, dimension } = expected;
  const absent = expected.metrics.filter((metric) => alarmCount(alarms, namespace, metric, target, dimension) < (expected.times ?? 1));
  return absent.length === 0 ? [] : [`no alarm on ${namespace} ${absent.join(', ')} names ${expected.what} in its dimensions`];
}

/** True when the group's parameter group sets maxmemory-policy noeviction (ElastiCache's default evicts). */
function neverEvicts(doc: TerraformJson, body: JsonObject): boolean {
  const group = referenced(doc, 'aws_elasticache_parameter_group', body.parameter_group_name);
  return blocks(group?.body.parameter).some((p) => p.name === 'maxmemory-policy' && p.value === 'noeviction');
}

export default definePolicyRule({
  id: 'OBS_001',
  title: 'Every store, load balancer, routed target group and NAT gateway has its alarms',
  severity: 'medium',
  description:
    'An aws_cloudwatch_metric_alarm of the same stack must watch each signal, with a dimension that references the resource: ' +
    'RDS instances CPU, free storage, freeable memory, connections, read and write latency; ElastiCache replication groups, per ' +
    'node (num_cache_clusters), engine CPU, connections and evictions, memory use when they never evict, replication lag with ' +
    'replicas; OpenSearch domains cluster status red (and yellow with more than one node), free storage, JVM memory pressure, ' +
    'blocked writes and master reachability; NAT gateways port allocation errors; application load balancers ELB 5xx; every ' +
    'target group a listener rule forwards to target 5xx, response time, unhealthy and healthy hosts. Target groups are checked ' +
    'where a load balancer routes to them: ALB target metrics exist only per load balancer. ' +
    "Add them with the owning construct's addAlarms.",
  resourceTypes: [
    'aws_db_instance',
    'aws_elasticache_replication_group',
    'aws_opensearch_domain',
    'aws_nat_gateway',
    'aws_lb',
    'aws_lb_listener_rule',
  ],
  check: ({ doc, type, address, body }) => {
    const alarms = alarmsOf(doc);
    const target: DimensionTarget = { address };
    switch (type) {
      case 'aws_db_instance':
        return missing(alarms, { namespace: 'AWS/RDS', metrics: RDS, target, what: 'this instance' });
      case 'aws_elasticache_replication_group': {
        const times = typeof body.num_cache_clusters === 'number' ? body.num_cache_clusters : 1;
        const memory = neverEvicts(doc, body) ? ['DatabaseMemoryUsagePercentage'] : [];
        const metrics = [...CACHE, ...memory, ...(times > 1 ? ['ReplicationLag'] : [])];
        return missing(alarms, { namespace: 'AWS/ElastiCache', metrics, target, times, what: `each of the group's ${times} node(s)` });
      }
      case 'aws_opensearch_domain': {
        const count = dig(body, 'cluster_config', 'instance_count')[0];
        const metrics = [...SEARCH, ...(typeof count === 'number' && count > 1 ? ['ClusterStatus.yellow'] : [])];
        return missing(alarms, { namespace: 'AWS/ES', metrics, target, what: 'this domain' });
      }
      case 'aws_nat_gateway':
        return missing(alarms, { namespace: 'AWS/NATGateway', metrics: ['ErrorPortAllocation'], target, what: 'this NAT gateway' });
      case 'aws_lb':
        if (body.load_balancer_type !== undefined && body.load_balancer_type !== 'application') return [];
        return missing(alarms, {
          namespace: 'AWS/ApplicationELB',
          metrics: ['HTTPCode_ELB_5XX_Count'],
          target,
          dimension: 'LoadBalancer',
          what: 'this load balancer',
        });
      default:
        return forwardedTargetGroups(body).flatMap((arn) =>
          missing(alarms, {
            namespace: 'AWS/ApplicationELB',
            metrics: TARGET_GROUP,
            target: targetGroupTarget(arn),
            dimension: 'TargetGroup',
            what: `target group ${arn}`,
          }),
        );
    }
  },
});
