import type { ITerraformDependable } from 'cdktn';
import { Construct } from 'constructs';
import type { ClusterThresholds } from '../../config/schema/observability';
import { ClusterAddon } from '../compute/cluster-addon';
import { PodIdentityRole } from '../security/pod-identity-role';
import { EncryptedLogGroup } from './encrypted-log-group';
import { MetricAlarm, type AlarmDestination, type MetricAlarmProps } from './metric-alarm';
import { awsManagedPolicyArn } from '../../naming';

/**
 * The add-on, and the namespace and service account its CloudWatch agent and Fluent Bit run as,
 * with the policies AWS documents for it (X-Ray for Application Signals, which the add-on turns on):
 * https://docs.aws.amazon.com/eks/latest/userguide/amazon-cloudwatch-observability.html
 */
export const CLOUDWATCH_OBSERVABILITY_ADDON = {
  name: 'amazon-cloudwatch-observability',
  namespace: 'amazon-cloudwatch',
  serviceAccount: 'cloudwatch-agent',
  managedPolicies: ['CloudWatchAgentServerPolicy', 'AWSXrayWriteOnlyAccess'],
} as const;

/**
 * The add-on's configuration: Application Signals instruments only workloads annotated for it. From
 * v5.0.0 the add-on "Enable[s] Application Signals AutoMonitor by default" (aws-observability/helm-charts
 * RELEASE_NOTES), that is `monitorAllServices` true, which injects the ADOT SDK into every Java, Python,
 * .NET and Node.js workload as it next starts; v4 builds default to false. Pinned false so a build
 * upgrade does not switch application tracing on for every service.
 */
const CLOUDWATCH_OBSERVABILITY_CONFIGURATION = {
  manager: { applicationSignals: { autoMonitor: { monitorAllServices: false } } },
} as const;

/**
 * The log groups Container Insights writes to, `/aws/containerinsights/<cluster>/<kind>`: container
 * logs (application), node and system logs (host, dataplane) and the performance events its metrics
 * come from. Created here first, so they are encrypted and expire instead of never.
 */
export const CONTAINER_INSIGHTS_LOG_KINDS = ['application', 'dataplane', 'host', 'performance'] as const;

/** The name pattern of a cluster's Container Insights log groups, for key policies. */
export function containerInsightsLogGroups(clusterName: string): string {
  return `/aws/containerinsights/${clusterName}/*`;
}

export interface ContainerInsightsProps {
  /** The EKS cluster's name, known at synth time: it also names the log groups and alarms. */
  readonly clusterName: string;
  readonly accountId: string;
  /** ARN partition of the environment's region (`Naming.partition`). */
  readonly partition: string;
  /** Exact add-on build (`platform.addons.cloudwatchObservability`); Pod Identity needs v3.1.0+. */
  readonly addonVersion: string;
  /** Name of the agent's pod-identity role, from `Naming.roleName(...)`. */
  readonly roleName: string;
  /** Key whose policy admits CloudWatch Logs for `containerInsightsLogGroups(clusterName)`. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /**
   * What the add-on waits for: its DaemonSets and operator need nodes.
   * @default - nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Container Insights (enhanced observability) through the EKS add-on: node, pod and container metrics
 * in the `ContainerInsights` namespace and container logs in KMS-encrypted, expiring log groups, with a
 * pod-identity role only the add-on's service account can use.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-setup-EKS-addon.html
 */
export class ContainerInsights extends Construct {
  readonly addon: ClusterAddon;
  readonly role: PodIdentityRole;
  readonly logGroups: readonly EncryptedLogGroup[];
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: ContainerInsightsProps) {
    super(scope, id);
    this.clusterName = props.clusterName;
    this.role = new PodIdentityRole(this, 'role', {
      roleName: props.roleName,
      description: `CloudWatch agent and Fluent Bit of ${props.clusterName} (Container Insights)`,
      accountId: props.accountId,
      clusterName: props.clusterName,
      namespace: CLOUDWATCH_OBSERVABILITY_ADDON.namespace,
      serviceAccount: CLOUDWATCH_OBSERVABILITY_ADDON.serviceAccount,
      managedPolicyArns: CLOUDWATCH_OBSERVABILITY_ADDON.managedPolicies.map((policy) => awsManagedPolicyArn(props.partition, policy)),
    });
    this.logGroups = CONTAINER_INSIGHTS_LOG_KINDS.map(
      (kind) =>
        new EncryptedLogGroup(this, `log-${kind}`, {
          name: `/aws/containerinsights/${props.clusterName}/${kind}`,
          kmsKeyArn: props.kmsKeyArn,
          retentionInDays: props.logRetentionDays,
        }),
    );
    this.addon = new ClusterAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: CLOUDWATCH_OBSERVABILITY_ADDON.name,
      addonVersion: props.addonVersion,
      configuration: CLOUDWATCH_OBSERVABILITY_CONFIGURATION,
      podIdentityAssociations: [{ serviceAccount: CLOUDWATCH_OBSERVABILITY_ADDON.serviceAccount, roleArn: this.role.arn }],
      // The agent writes into the groups from its first minute, and needs its role's policies for that.
      dependsOn: [...(props.dependsOn ?? []), ...this.logGroups.map((group) => group.logGroup), ...this.role.grants],
    });
  }

  /**
   * Node and pod alarms from Container Insights, each to `destination`: failed nodes (which also fires
   * when Container Insights stops reporting), node CPU, memory and filesystem, the pod closest to its
   * memory limit, and containers in CrashLoopBackOff. All are cluster-wide aggregates (dimension
   * ClusterName): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-enhanced-EKS.html
   */
  addAlarms(destination: AlarmDestination, thresholds: ClusterThresholds): MetricAlarm[] {
    const cluster = this.clusterName;
    const dimensions = { ClusterName: cluster };
    const metric = (metricName: string, statistic: string) => ({ namespace: 'ContainerInsights', metricName, dimensions, statistic });
    const alarm = (signal: string, props: Omit<MetricAlarmProps, 'name' | 'runbook' | 'destination'>) =>
      new MetricAlarm(this, `alarm-${signal}`, { name: `${cluster}-${signal}`, runbook: `cluster-${signal}`, destination, ...props });
    const node = (signal: string, metricName: string, statistic: 'Average' | 'Maximum', percent: number, what: string) =>
      alarm(`node-${signal}`, {
        summary: `${what} of the nodes of ${cluster} has been above ${percent} % for 15 minutes.`,
        metric: metric(metricName, statistic),
        comparison: 'GreaterThanThreshold',
        threshold: percent,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: 'missing',
      });
    return [
      alarm('failed-nodes', {
        summary: `More than ${thresholds.failedNodes} node(s) of ${cluster} report a failed condition, or Container Insights stopped.`,
        metric: metric('cluster_failed_node_count', 'Maximum'),
        comparison: 'GreaterThanThreshold',
        threshold: thresholds.failedNodes,
        periodSeconds: 300,
        evaluationPeriods: 2,
        // Without data the cluster is not observed at all, which is worth a page too.
        treatMissingData: 'breaching',
      }),
      node('cpu', 'node_cpu_utilization', 'Average', thresholds.nodeCpuPercent, 'Average CPU'),
      node('memory', 'node_memory_utilization', 'Maximum', thresholds.nodeMemoryPercent, 'Memory use of the fullest'),
      node('filesystem', 'node_filesystem_utilization', 'Maximum', thresholds.nodeFilesystemPercent, 'Filesystem use of the fullest'),
      alarm('pod-memory', {
        summary: `A pod of ${cluster} has used over ${thresholds.podMemoryOverLimitPercent} % of its memory limit for 10 minutes.`,
        metric: metric('pod_memory_utilization_over_pod_limit', 'Maximum'),
        comparison: 'GreaterThanThreshold',
        threshold: thresholds.podMemoryOverLimitPercent,
        periodSeconds: 300,
        evaluationPeriods: 2,
        treatMissingData: 'notBreaching',
      }),
      alarm('crash-looping', {
        // Each pod reports once a minute, so a one-minute sum counts the crash-looping containers.
        summary: `More than ${thresholds.crashLoopingContainers} container(s) of ${cluster} have been in CrashLoopBackOff for 5 minutes.`,
        metric: metric('pod_container_status_waiting_reason_crash_loop_back_off', 'Sum'),
        comparison: 'GreaterThanThreshold',
        threshold: thresholds.crashLoopingContainers,
        periodSeconds: 60,
        evaluationPeriods: 5,
        treatMissingData: 'notBreaching',
      }),
    ];
  }
}
