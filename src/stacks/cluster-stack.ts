import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { NAMESPACE_SIZING_BY_TIER, NODE_POOLS, namespaceSizing, PLATFORM_NAMESPACES } from '../config/schema/cluster';
import type { ServiceConfig } from '../config/schema/project';
import { ClusterAddon } from '../constructs/compute/cluster-addon';
import { storePortsFor } from '../constructs/data/store-ports';
import { ClusterReader } from '../constructs/kubernetes/cluster-reader';
import { ContainerInsights, containerInsightsLogGroups } from '../constructs/observability/container-insights';
import { allowCloudWatchLogs, EncryptionKey } from '../constructs/security/kms-key';
import { NODE_CLASS_API, NodeClass } from '../constructs/kubernetes/node-class';
import { NODE_POOL_API, NodePool } from '../constructs/kubernetes/node-pool';
import { POD_IDENTITY_AGENT, RestrictedNamespace, type NetworkPeer } from '../constructs/kubernetes/restricted-namespace';
import { ConfigMapV1 } from '../generated/kubernetes/config-map-v1';
import { Manifest } from '../generated/kubernetes/manifest';
import { PriorityClassV1 } from '../generated/kubernetes/priority-class-v1';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStack } from './platform-stack';

const HTTPS_PORT = 443;
const ANYWHERE = '0.0.0.0/0';

/** Only platform components (tolerating it, as EKS's own do) are scheduled on the system pool. */
const SYSTEM_POOL_TAINT = { key: 'CriticalAddonsOnly', effect: 'NoSchedule' } as const;

/**
 * Auto Mode enforces network policies once this ConfigMap turns the controller on; the NodeClasses'
 * `networkPolicy` then sets the default. https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html
 */
const NETWORK_POLICY_CONTROLLER = {
  name: 'amazon-vpc-cni',
  namespace: 'kube-system',
  data: { 'enable-network-policy-controller': 'true' },
} as const;

/**
 * Namespaces with this label get a readiness gate on each pod that Auto Mode's load balancer
 * controller clears only once the pod is healthy in its target group, so a rollout never removes the
 * last healthy target. The label is Auto Mode's (its webhook's namespace selector), not the upstream
 * controller's `elbv2.k8s.aws/pod-readiness-gate-inject`.
 */
const READINESS_GATE_LABEL = { 'eks.amazonaws.com/pod-readiness-gate-inject': 'enabled' } as const;

const TARGET_GROUP_BINDING_API = { apiVersion: 'eks.amazonaws.com/v1', kind: 'TargetGroupBinding' } as const;

/**
 * Scheduling priorities: platform components first, then services; batch work (migrations, reports)
 * never preempts a running pod. Pods without a class get `service`. All stay below the
 * system-cluster-critical class Kubernetes reserves for its own components.
 * https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
 */
export const PRIORITY_CLASSES = [
  {
    name: 'platform-critical',
    value: 100000,
    globalDefault: false,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Platform components',
  },
  {
    name: 'service',
    value: 1000,
    globalDefault: true,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'Consumer services (the default)',
  },
  {
    name: 'service-batch',
    value: 100,
    globalDefault: false,
    preemptionPolicy: 'Never',
    description: 'Jobs and CronJobs of consumer services',
  },
] as const;

/**
 * What the CI plan role reads to refresh this layer and the data layer (its Jobs, their service
 * accounts and network policies): exactly the kinds they manage, never Secrets, and the definitions
 * of custom resources, which the provider lists to type every `kubernetes_manifest` it plans or reads,
 * a built-in kind's too (hashicorp/kubernetes v2.38.0, manifest/provider/resource.go: TFTypeFromOpenAPI
 * calls lookUpGVKinCRDs, which lists every CustomResourceDefinition and returns the error if it may not).
 * `test/cluster/cluster-stack.test.ts` checks the list against the synthesized resource types.
 */
export const PLAN_READABLE = [
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'] },
  { apiGroups: [''], resources: ['namespaces', 'resourcequotas', 'limitranges', 'serviceaccounts'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] },
  { apiGroups: ['scheduling.k8s.io'], resources: ['priorityclasses'] },
  { apiGroups: [NODE_CLASS_API.apiVersion.split('/')[0]!], resources: ['nodeclasses', 'targetgroupbindings'] },
  { apiGroups: [NODE_POOL_API.apiVersion.split('/')[0]!], resources: ['nodepools'] },
  { apiGroups: ['batch'], resources: ['jobs'] },
] as const;

/**
 * What runs inside the cluster for the platform and for each service of config/project.json: a
 * namespace admitting only `restricted` pods with a quota, container defaults and default-deny
 * network policies plus exactly the connections the service needs, the service account its pod
 * identity association names, and the namespaced Role its deploy role's group is bound to. Applied
 * from the in-VPC runners, as the API endpoint is private.
 */
export class ClusterStack extends LayerStack {
  /** Namespace of each service, by service name. */
  readonly serviceNamespaces: ReadonlyMap<string, RestrictedNamespace>;

  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack, platform: PlatformStack) {
    super(scope, config, 'cluster');
    const { naming } = this;
    platform.kubernetesProvider(this);

    const nodePools = this.nodePools(network, platform);
    new ConfigMapV1(this, 'network-policy-controller', {
      metadata: { name: NETWORK_POLICY_CONTROLLER.name, namespace: NETWORK_POLICY_CONTROLLER.namespace },
      data: { ...NETWORK_POLICY_CONTROLLER.data },
    });
    // Not part of Auto Mode: the resource metrics API HorizontalPodAutoscalers read. The EKS community
    // add-on runs a Deployment, so it waits for the node pools.
    // https://docs.aws.amazon.com/eks/latest/userguide/community-addons.html
    new ClusterAddon(this, 'addon-metrics-server', {
      clusterName: platform.cluster.name,
      addonName: 'metrics-server',
      addonVersion: config.platform.addons.metricsServer,
      dependsOn: nodePools.map((pool) => pool.manifest),
    });

    // Node, pod and container metrics and the containers' logs; its DaemonSets need the node pools.
    const logsKey = new EncryptionKey(this, 'logs-key', {
      aliasName: naming.name('cluster-logs'),
      preventDestroy: this.protection.preventDestroy,
      description: `Encrypts ${config.name} container logs and Container Insights performance events`,
      accountId: config.accountId,
      partition: naming.partition,
      administratorArns: config.platform.adminRoleArns,
      additionalStatements: [allowCloudWatchLogs(config.accountId, config.region, [containerInsightsLogGroups(naming.clusterName)])],
    });
    const insights = new ContainerInsights(this, 'container-insights', {
      clusterName: naming.clusterName,
      accountId: config.accountId,
      partition: naming.partition,
      addonVersion: config.platform.addons.cloudwatchObservability,
      roleName: naming.roleName('cloudwatch-agent'),
      kmsKeyArn: logsKey.arn,
      logRetentionDays: config.defaultLogRetentionDays,
      dependsOn: nodePools.map((pool) => pool.manifest),
    });
    insights.addAlarms(network.alarmTopic.destination(this.runbookBaseUrl), config.observability.thresholds.cluster);

    for (const priority of PRIORITY_CLASSES) {
      const { name, ...rest } = priority;
      new PriorityClassV1(this, `priority-${name}`, { metadata: { name }, ...rest });
    }

    for (const name of PLATFORM_NAMESPACES) {
      const namespace = new RestrictedNamespace(this, `namespace-${name}`, { name, ...NAMESPACE_SIZING_BY_TIER[config.tier] });
      this.allowAwsApis(namespace);
    }

    const services = config.project.services;
    this.serviceNamespaces = new Map(services.map((service) => [service.name, this.serviceNamespace(service)]));
    for (const service of services) {
      const namespace = this.serviceNamespaces.get(service.name)!;
      for (const calleeName of service.calls) {
        const callee = services.find((s) => s.name === calleeName)!;
        const port = [{ port: callee.port }];
        namespace.allowEgress(`to-${callee.name}`, `Calls ${callee.name}`, { namespace: callee.name }, port);
        this.serviceNamespaces
          .get(callee.name)!
          .allowIngress(`from-${service.name}`, `Called by ${service.name}`, { namespace: service.name }, port);
      }
    }

    for (const [host, { service, targetGroup }] of platform.targetGroups) {
      const namespace = this.serviceNamespaces.get(service.name)!;
      new Manifest(namespace, `target-group-binding-${host}`, {
        manifest: {
          ...TARGET_GROUP_BINDING_API,
          metadata: { name: `public-${host}`, namespace: namespace.name },
          spec: { serviceRef: { name: service.name, port: service.port }, targetGroupARN: targetGroup.arn, targetType: 'ip' },
        },
        dependsOn: [namespace.namespace],
      });
    }

    new ClusterReader(this, 'plan-reader', {
      name: naming.name('plan-reader'),
      group: naming.kubernetesGroup('plan-readers'),
      resources: PLAN_READABLE,
      namedObjects: [
        { namespace: NETWORK_POLICY_CONTROLLER.namespace, apiGroup: '', resource: 'configmaps', name: NETWORK_POLICY_CONTROLLER.name },
      ],
    });
  }

  /**
   * The NodeClasses and NodePools of EKS Auto Mode: `system` (tainted; only the node group) and
   * `workload` (node and workload groups, which the data stores admit), both in the private subnets
   * of every zone with the platform key on their volumes, sized and limited by config.
   */
  private nodePools(network: NetworkStack, platform: PlatformStack): NodePool[] {
    const { cluster, networkPlan } = this.config;
    const securityGroups = {
      system: [platform.cluster.nodeSecurityGroup.id],
      workload: [platform.cluster.nodeSecurityGroup.id, platform.workloadSecurityGroup.id],
    };
    return NODE_POOLS.map((name) => {
      const pool = cluster.nodePools[name];
      const nodeClass = new NodeClass(this, `node-class-${name}`, {
        name,
        nodeRoleName: platform.cluster.nodeRole.name,
        subnetIds: network.vpc.subnetIds('private'),
        securityGroupIds: securityGroups[name],
        kmsKeyArn: platform.key.arn,
        ephemeralStorageGiB: cluster.nodeEphemeralStorageGiB,
      });
      return new NodePool(this, `node-pool-${name}`, {
        name,
        nodeClassName: nodeClass.name,
        architectures: pool.architectures,
        capacityTypes: pool.capacityTypes,
        zones: networkPlan.availabilityZones,
        instanceCategories: pool.instanceCategories,
        instanceFamilies: pool.instanceFamilies,
        minInstanceGeneration: pool.minInstanceGeneration,
        limits: pool.limits,
        expireAfterHours: pool.expireAfterHours,
        disruptionBudgetPercent: pool.disruptionBudgetPercent,
        taints: name === 'system' ? [SYSTEM_POOL_TAINT] : [],
        dependsOn: [nodeClass.manifest],
      });
    });
  }

  private serviceNamespace(service: ServiceConfig): RestrictedNamespace {
    const { config, naming } = this;
    const namespace = new RestrictedNamespace(this, `service-${service.name}`, {
      name: service.name,
      ...namespaceSizing(config.tier, config.cluster, service.name),
      labels: {
        'app.kubernetes.io/part-of': config.project.project,
        [`${config.project.project}/service`]: service.name,
        ...(service.publicHost ? READINESS_GATE_LABEL : {}),
      },
    });
    namespace.addServiceAccount(service.name);
    namespace.addDeployer(naming.kubernetesGroup(`deploy-${service.name}`));

    if (service.publicHost) {
      // With IP targets the load balancer connects from its nodes' addresses in the public subnets.
      const albSubnets = config.networkPlan.subnetCidrs.public.map((cidr): NetworkPeer => ({ cidr }));
      namespace.allowIngress('load-balancer', `The public load balancer (${service.publicHost} host)`, albSubnets, [
        { port: service.port },
      ]);
    }
    const storePorts = storePortsFor(service.capabilities);
    if (storePorts.length > 0) {
      const dataSubnets = config.networkPlan.subnetCidrs.data.map((cidr): NetworkPeer => ({ cidr }));
      namespace.allowEgress(
        'data-stores',
        `Data stores of ${service.capabilities.join(', ')}`,
        dataSubnets,
        storePorts.map((port) => ({ port })),
      );
    }
    this.allowAwsApis(namespace);
    return namespace;
  }

  /**
   * AWS APIs over HTTPS (interface endpoints in the VPC, the rest through NAT) and the node's Pod
   * Identity agent for credentials. The data subnets are excepted: OpenSearch also listens on 443,
   * and only a search capability opens that (see `data-stores`).
   */
  private allowAwsApis(namespace: RestrictedNamespace): void {
    namespace.allowEgress(
      'aws-apis',
      'AWS APIs over HTTPS, outside the data subnets',
      { cidr: ANYWHERE, except: this.config.networkPlan.subnetCidrs.data },
      [{ port: HTTPS_PORT }],
    );
    namespace.allowEgress('pod-identity', 'EKS Pod Identity agent (credentials)', { cidr: POD_IDENTITY_AGENT.cidr }, [
      { port: POD_IDENTITY_AGENT.port },
    ]);
  }
}
