// Container Insights in the cluster layer: the add-on at the pinned version with its own Pod Identity
// role, its log groups created first with a key and a retention, and the node and pod alarms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUDWATCH_OBSERVABILITY_ADDON, CONTAINER_INSIGHTS_LOG_KINDS } from '../../src/constructs/observability/container-insights';
import { exampleEnvironments, exampleStacks, policyOf, resourcesOf, stack, projectPrefix } from '../support/synth';

const PREFIX = projectPrefix();

const stacks = exampleStacks();

describe('Container Insights', () => {
  for (const env of exampleEnvironments()) {
    const doc = stack(stacks, `${env.name}-cluster`);
    const cluster = `${PREFIX}-${env.name}-eks`;
    const [addonName, addon] = resourcesOf(doc, 'aws_eks_addon').find(([, a]) => a.addon_name === 'amazon-cloudwatch-observability')!;
    const [roleName, role] = resourcesOf(doc, 'aws_iam_role').find(([, r]) => r.name === `${PREFIX}-${env.name}-cloudwatch-agent`)!;

    it(`${env.name}: the add-on runs at the configured build, its service account bound to its own role`, () => {
      assert.ok(addonName);
      assert.equal(addon.addon_version, env.platform.addons.cloudwatchObservability);
      assert.equal(addon.cluster_name, cluster);
      // Application Signals stays opt-in per workload: builds from v5.0.0 would otherwise monitor every service.
      assert.deepEqual(JSON.parse(addon.configuration_values as string), {
        manager: { applicationSignals: { autoMonitor: { monitorAllServices: false } } },
      });
      assert.deepEqual(addon.pod_identity_association, [
        { service_account: 'cloudwatch-agent', role_arn: `\${aws_iam_role.${roleName}.arn}` },
      ]);
      // The DaemonSets need nodes; the agent writes into the groups and with the role's policies from the start.
      const waitsFor = addon.depends_on as string[];
      assert.ok(
        waitsFor.some((d) => d.startsWith('kubernetes_manifest.node-pool-workload')),
        waitsFor.join(', '),
      );
      const logGroups = resourcesOf(doc, 'aws_cloudwatch_log_group').map(([name]) => `aws_cloudwatch_log_group.${name}`);
      assert.equal(logGroups.length, CONTAINER_INSIGHTS_LOG_KINDS.length);
      for (const group of logGroups) assert.ok(waitsFor.includes(group), `${group} before the add-on`);
      assert.ok(waitsFor.some((d) => d.startsWith('aws_iam_role_policy_attachment.container-insights')));
    });

    it(`${env.name}: only that service account of that cluster can use the role, which has AWS's agent policies and the boundary`, () => {
      const [trust] = policyOf(role.assume_role_policy).Statement;
      assert.deepEqual(trust.Principal, { Service: 'pods.eks.amazonaws.com' });
      assert.deepEqual(trust.Action, ['sts:AssumeRole', 'sts:TagSession']);
      assert.deepEqual(trust.Condition.StringEquals, {
        'aws:SourceAccount': env.accountId,
        'aws:RequestTag/eks-cluster-name': cluster,
        'aws:RequestTag/kubernetes-namespace': CLOUDWATCH_OBSERVABILITY_ADDON.namespace,
        'aws:RequestTag/kubernetes-service-account': CLOUDWATCH_OBSERVABILITY_ADDON.serviceAccount,
      });
      const attached = resourcesOf(doc, 'aws_iam_role_policy_attachment').filter(([, a]) => a.role === `\${aws_iam_role.${roleName}.name}`);
      assert.deepEqual(attached.map(([, a]) => a.policy_arn).sort(), [
        'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
        'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
      ]);
      assert.equal(role.permissions_boundary, `arn:aws:iam::${env.accountId}:policy/${PREFIX}-${env.name}-permissions-boundary`);
    });

    it(`${env.name}: the log groups exist first, encrypted with the cluster layer's logs key, kept defaultLogRetentionDays`, () => {
      const groups = resourcesOf(doc, 'aws_cloudwatch_log_group').map(([, g]) => g);
      const expected = CONTAINER_INSIGHTS_LOG_KINDS.map((kind) => `/aws/containerinsights/${cluster}/${kind}`);
      assert.deepEqual(groups.map((g) => g.name).sort(), expected.sort());
      const [keyName] = resourcesOf(doc, 'aws_kms_key').find(([, key]) => key['//'].metadata.path.endsWith('/logs-key/key'))!;
      for (const group of groups) {
        assert.equal(group.kms_key_id, `\${aws_kms_key.${keyName}.arn}`);
        assert.equal(group.retention_in_days, env.defaultLogRetentionDays);
      }
    });

    it(`${env.name}: node and pod alarms on the cluster's aggregates`, () => {
      const alarms = resourcesOf(doc, 'aws_cloudwatch_metric_alarm').map(([, a]) => a);
      assert.deepEqual(alarms.map((a) => a.metric_name).sort(), [
        'cluster_failed_node_count',
        'node_cpu_utilization',
        'node_filesystem_utilization',
        'node_memory_utilization',
        'pod_container_status_waiting_reason_crash_loop_back_off',
        'pod_memory_utilization_over_pod_limit',
      ]);
      for (const alarm of alarms) {
        assert.equal(alarm.namespace, 'ContainerInsights');
        assert.deepEqual(alarm.dimensions, { ClusterName: cluster });
      }
      // Without data the cluster is unobserved: that pages too.
      assert.equal(alarms.find((a) => a.metric_name === 'cluster_failed_node_count').treat_missing_data, 'breaching');
    });
  }
});
