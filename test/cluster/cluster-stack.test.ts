// The cluster layer, asserted on the synthesized JSON of every example environment; expectations come
// from the config each environment was built from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAMESPACE_SIZING_BY_TIER, namespaceSizing, PLATFORM_NAMESPACES } from '../../src/config/schema/cluster';
import type { EnvironmentConfig } from '../../src/config/load';
import { STORE_PORT_OF_CAPABILITY } from '../../src/constructs/data/store-ports';
import { DEPLOYER_RULES } from '../../src/constructs/kubernetes/namespace-deployer';
import { PLAN_READABLE } from '../../src/stacks/cluster-stack';
import { Naming } from '../../src/naming';
import {
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
} from '../support/synth';

const bodies = (doc: TerraformJson, type: string): any[] => resourcesOf(doc, type).map(([, body]) => body);
const naming = (env: EnvironmentConfig) =>
  new Naming({ project: env.project.project, environment: env.name, accountId: env.accountId, region: env.region });

/** Network policies of one namespace, by name. */
function policiesIn(doc: TerraformJson, namespace: string): Map<string, any> {
  const inNamespace = bodies(doc, 'kubernetes_network_policy_v1').filter((p) => namespaceOf(doc, p.metadata.namespace) === namespace);
  return new Map(inNamespace.map((p) => [p.metadata.name, p]));
}

/** Resolves `${kubernetes_namespace_v1.x.metadata[0].name}` (or a literal) to the namespace's name. */
function namespaceOf(doc: TerraformJson, value: string): string {
  const match = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata/.exec(value);
  if (!match) return value;
  return doc.resource!.kubernetes_namespace_v1![match[1]!].metadata.name;
}

const portsOf = (rule: any) => rule.ports.map((p: any) => `${p.protocol}/${p.port}`).sort();

for (const env of exampleEnvironments()) {
  const doc = stack(exampleStacks(), `${env.name}-cluster`);
  const platform = stack(exampleStacks(), `${env.name}-platform`);
  const names = naming(env);
  const { subnetCidrs } = env.networkPlan;

  describe(`cluster layer: ${env.name}`, () => {
    it('talks to the cluster with the Kubernetes provider pinned exactly and authenticated by the caller role only', () => {
      assert.deepEqual(doc.terraform!.required_providers.kubernetes, { source: 'hashicorp/kubernetes', version: '2.38.0' });
      const [provider] = doc.provider!.kubernetes!;
      assert.deepEqual(Object.keys(provider).sort(), ['cluster_ca_certificate', 'exec', 'host']);
      assert.equal(provider.exec.command, 'aws');
      assert.deepEqual(provider.exec.args.slice(0, 2), ['eks', 'get-token']);
      assert.ok(provider.exec.args.includes(env.region));
      assert.match(provider.host, /terraform_remote_state/);
    });

    it('gives every service a namespace that admits only restricted pods', () => {
      const namespaces = new Map(bodies(doc, 'kubernetes_namespace_v1').map((n) => [n.metadata.name, n]));
      assert.deepEqual([...namespaces.keys()].sort(), [...env.project.services.map((s) => s.name), ...PLATFORM_NAMESPACES].sort());
      for (const namespace of namespaces.values()) {
        for (const mode of ['enforce', 'audit', 'warn'])
          assert.equal(namespace.metadata.labels[`pod-security.kubernetes.io/${mode}`], 'restricted', `${namespace.metadata.name} ${mode}`);
      }
    });

    it('creates every object of a namespace it creates after that namespace (Kubernetes refuses one before)', () => {
      const namespaceAddresses = new Map(resourcesOf(doc, 'kubernetes_namespace_v1').map(([id, n]) => [n.metadata.name, id]));
      const unordered: string[] = [];
      for (const [type, byName] of Object.entries(doc.resource!)) {
        for (const [id, body] of Object.entries(byName as Record<string, any>)) {
          const namespace = (body.manifest ?? body).metadata?.namespace;
          const address = namespaceAddresses.get(namespace);
          if (address && !(body.depends_on ?? []).includes(`kubernetes_namespace_v1.${address}`)) unordered.push(`${type}.${id}`);
        }
      }
      assert.ok(namespaceAddresses.size > env.project.services.length);
      assert.deepEqual(unordered, [], 'named by a literal without depends_on: Terraform may create them before the namespace');
    });

    it('sizes each namespace from the tier and config, and forbids NodePort and LoadBalancer services', () => {
      const quotas = bodies(doc, 'kubernetes_resource_quota_v1');
      const limits = bodies(doc, 'kubernetes_limit_range_v1');
      for (const service of env.project.services) {
        const sizing = namespaceSizing(env.tier, env.cluster, service.name);
        const quota = quotas.find((q) => namespaceOf(doc, q.metadata.namespace) === service.name);
        assert.deepEqual(quota.spec.hard, {
          'requests.cpu': sizing.quota.requestsCpu,
          'requests.memory': sizing.quota.requestsMemory,
          'limits.memory': sizing.quota.limitsMemory,
          pods: String(sizing.quota.pods),
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        });
        const [limit] = limits.find((l) => namespaceOf(doc, l.metadata.namespace) === service.name).spec.limit;
        assert.deepEqual(limit.default_request, {
          cpu: sizing.containerDefaults.cpuRequest,
          memory: sizing.containerDefaults.memoryRequest,
        });
        assert.deepEqual(limit.default, { memory: sizing.containerDefaults.memoryLimit });
        assert.deepEqual(limit.max, { memory: sizing.containerDefaults.maxMemoryLimit });
      }
    });

    it('denies all traffic by default and allows exactly what each service needs', () => {
      for (const service of env.project.services) {
        const policies = policiesIn(doc, service.name);
        assert.deepEqual(policies.get('default-deny').spec.policy_types, ['Ingress', 'Egress']);
        assert.deepEqual(policies.get('default-deny').spec.pod_selector, {});
        const expected = ['default-deny', 'allow-out-dns', 'allow-out-aws-apis', 'allow-out-pod-identity'];
        if (service.publicHost) expected.push('allow-in-load-balancer');
        const ports = [...new Set(service.capabilities.flatMap((c) => STORE_PORT_OF_CAPABILITY[c] ?? []))];
        if (ports.length > 0) expected.push('allow-out-data-stores');
        for (const callee of service.calls) expected.push(`allow-out-to-${callee}`);
        for (const caller of env.project.services.filter((s) => s.calls.includes(service.name)))
          expected.push(`allow-in-from-${caller.name}`);
        assert.deepEqual([...policies.keys()].sort(), expected.sort(), service.name);

        for (const policy of policies.values())
          assert.deepEqual(policy.spec.pod_selector, {}, `${service.name}/${policy.metadata.name} selects every pod`);
        const [dns] = policies.get('allow-out-dns').spec.egress;
        assert.deepEqual(portsOf(dns), ['TCP/53', 'UDP/53']);
        const [apis] = policies.get('allow-out-aws-apis').spec.egress;
        assert.deepEqual(apis.to, [{ ip_block: { cidr: '0.0.0.0/0', except: subnetCidrs.data } }]);
        assert.deepEqual(portsOf(apis), ['TCP/443']);

        if (ports.length > 0) {
          const [data] = policies.get('allow-out-data-stores').spec.egress;
          assert.deepEqual(
            data.to.map((peer: any) => peer.ip_block.cidr),
            subnetCidrs.data,
          );
          assert.deepEqual(
            portsOf(data),
            ports
              .sort((a, b) => a - b)
              .map((p) => `TCP/${p}`)
              .sort(),
          );
        }
        if (service.publicHost) {
          const [lb] = policies.get('allow-in-load-balancer').spec.ingress;
          assert.deepEqual(
            lb.from.map((peer: any) => peer.ip_block.cidr),
            subnetCidrs.public,
          );
          assert.deepEqual(portsOf(lb), [`TCP/${service.port}`]);
        }
        for (const calleeName of service.calls) {
          const callee = env.project.services.find((s) => s.name === calleeName)!;
          const [out] = policies.get(`allow-out-to-${calleeName}`).spec.egress;
          assert.deepEqual(out.to, [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': calleeName } } }]);
          assert.deepEqual(portsOf(out), [`TCP/${callee.port}`]);
          const [inbound] = policiesIn(doc, calleeName).get(`allow-in-from-${service.name}`).spec.ingress;
          assert.deepEqual(inbound.from, [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': service.name } } }]);
        }
      }
    });

    it('creates the service account each pod identity association names, without an API token', () => {
      const accounts = bodies(doc, 'kubernetes_service_account_v1').map(
        (a) => `${namespaceOf(doc, a.metadata.namespace)}/${a.metadata.name}`,
      );
      const associations = bodies(platform, 'aws_eks_pod_identity_association')
        .filter((a) => env.project.services.some((s) => s.name === a.namespace))
        .map((a) => `${a.namespace}/${a.service_account}`);
      assert.deepEqual(accounts.sort(), associations.sort());
      assert.ok(bodies(doc, 'kubernetes_service_account_v1').every((a) => a.automount_service_account_token === false));
    });

    it('binds each deploy role, through its access entry group, to a Role in its own namespace only', () => {
      const entries = bodies(platform, 'aws_eks_access_entry');
      const associations = bodies(platform, 'aws_eks_access_policy_association');
      const roles = bodies(doc, 'kubernetes_role_v1');
      const bindings = bodies(doc, 'kubernetes_role_binding_v1');
      for (const service of env.project.services) {
        const group = names.kubernetesGroup(`deploy-${service.name}`);
        const entry = entries.filter((e) => (e.kubernetes_groups ?? []).includes(group));
        assert.equal(entry.length, 1, `one access entry maps to ${group}`);
        assert.match(entry[0].principal_arn, new RegExp(`deploy-${service.name}_role`));
        assert.equal(
          associations.filter((a) => String(a.principal_arn).includes(`deploy-${service.name}`)).length,
          0,
          `${service.name}: no EKS access policy`,
        );

        const binding = bindings.find((b) => namespaceOf(doc, b.metadata.namespace) === service.name);
        assert.deepEqual(binding.subject, [{ kind: 'Group', name: group, api_group: 'rbac.authorization.k8s.io' }]);
        assert.equal(binding.role_ref.kind, 'Role');
        const role = roles.find((r) => namespaceOf(doc, r.metadata.namespace) === service.name);
        assert.deepEqual(
          role.rule,
          DEPLOYER_RULES.map((r) => ({ api_groups: r.apiGroups, resources: r.resources, verbs: r.verbs })),
        );
      }
      assert.equal(
        bodies(doc, 'kubernetes_cluster_role_binding_v1').filter((b) => b.subject.some((s: any) => s.name.includes(':deploy-'))).length,
        0,
      );
    });

    it('lets no deployer touch Secrets, RBAC, network policies, service accounts, quotas or namespaces', () => {
      const forbidden = [
        'secrets',
        'roles',
        'rolebindings',
        'networkpolicies',
        'serviceaccounts',
        'namespaces',
        'resourcequotas',
        'limitranges',
        '*',
      ];
      for (const rule of DEPLOYER_RULES) {
        const writes = rule.verbs.some((v) => !['get', 'list', 'watch'].includes(v));
        for (const resource of rule.resources) {
          assert.ok(resource !== 'secrets' && resource !== '*', `${resource} readable`);
          if (writes) assert.ok(!forbidden.includes(resource), `${resource} writable`);
        }
      }
    });

    it('maps the plan role to a group that reads exactly the kinds this layer and the data layer manage, never Secrets', () => {
      const group = names.kubernetesGroup('plan-readers');
      const entry = bodies(platform, 'aws_eks_access_entry').find((e) => (e.kubernetes_groups ?? []).includes(group));
      assert.equal(entry.principal_arn, names.roleArn(names.ciRoleName('plan')));
      const [reader] = bodies(doc, 'kubernetes_cluster_role_v1');
      assert.ok(reader.rule.every((r: any) => r.verbs.join() === 'get,list,watch'));
      const readable = new Set(reader.rule.flatMap((r: any) => r.resources));
      assert.ok(!readable.has('secrets'));
      const kindOf: Record<string, string> = {
        kubernetes_namespace_v1: 'namespaces',
        kubernetes_resource_quota_v1: 'resourcequotas',
        kubernetes_limit_range_v1: 'limitranges',
        kubernetes_service_account_v1: 'serviceaccounts',
        kubernetes_network_policy_v1: 'networkpolicies',
        kubernetes_role_v1: 'roles',
        kubernetes_role_binding_v1: 'rolebindings',
        kubernetes_cluster_role_v1: 'clusterroles',
        kubernetes_cluster_role_binding_v1: 'clusterrolebindings',
        kubernetes_priority_class_v1: 'priorityclasses',
      };
      // The data layer's Jobs (kubernetes_manifest) and their service accounts and policies are planned by the same role.
      const manifestKinds: Record<string, string> = {
        Job: 'jobs',
        NodeClass: 'nodeclasses',
        NodePool: 'nodepools',
        TargetGroupBinding: 'targetgroupbindings',
      };
      for (const layer of [doc, stack(exampleStacks(), `${env.name}-data`)]) {
        for (const type of Object.keys(layer.resource!).filter((t) => t.startsWith('kubernetes_') && t !== 'kubernetes_config_map_v1')) {
          const kinds = type === 'kubernetes_manifest' ? bodies(layer, type).map((m) => manifestKinds[m.manifest.kind]) : [kindOf[type]];
          for (const kind of kinds) {
            assert.ok(kind, `${type} is mapped to the kind the plan role must read`);
            assert.ok(readable.has(kind!), `plan role reads ${kind}`);
          }
        }
      }
      // The provider lists every custom resource definition to type any kubernetes_manifest, even a Job.
      assert.ok(readable.has('customresourcedefinitions'), 'plan role lists the custom resource definitions');
      assert.equal(PLAN_READABLE.flatMap((r) => r.resources).length, readable.size);
      for (const kind of ['nodeclasses', 'nodepools', 'targetgroupbindings']) assert.ok(readable.has(kind), kind);
      // The one ConfigMap the layer manages is readable by name, not every ConfigMap of the cluster.
      const role = bodies(doc, 'kubernetes_role_v1').find((r) => r.metadata.namespace === 'kube-system');
      assert.deepEqual(role.rule, [{ api_groups: [''], resources: ['configmaps'], resource_names: ['amazon-vpc-cni'], verbs: ['get'] }]);
      assert.ok(!readable.has('configmaps'));
    });

    it('gives the apply role cluster admin and no one else an unconfigured cluster-wide policy', () => {
      const associations = bodies(platform, 'aws_eks_access_policy_association');
      const clusterWide = associations.filter((a) => a.access_scope.type === 'cluster').map((a) => a.principal_arn);
      const apply = names.roleArn(names.ciRoleName('apply'));
      assert.ok(
        clusterWide.some((arn: string) => arn.includes('ci-apply')),
        'the apply role administers the cluster layer',
      );
      // The apply role, the configured admins and readers, and the Auto Mode node role (AmazonEKSAutoNodePolicy).
      assert.equal(clusterWide.length, 1 + env.platform.adminRoleArns.length + env.platform.readOnlyRoleArns.length + 1);
      assert.equal(associations.filter((a) => a.policy_arn.endsWith('/AmazonEKSAutoNodePolicy')).length, 1);
      assert.ok(bodies(platform, 'aws_eks_access_entry').some((e) => e.principal_arn === apply));
    });

    it('runs Auto Mode nodes from a NodeClass per pool: private subnets, our security groups, volumes on the platform key', () => {
      const manifests = bodies(doc, 'kubernetes_manifest').map((m) => m.manifest);
      const nodeClasses = new Map(manifests.filter((m) => m.kind === 'NodeClass').map((m) => [m.metadata.name, m.spec]));
      assert.deepEqual([...nodeClasses.keys()].sort(), ['system', 'workload']);
      for (const spec of nodeClasses.values()) {
        assert.equal(spec.subnetSelectorTerms.length, env.network.azCount);
        assert.ok(
          spec.subnetSelectorTerms.every((t: any) => /vpc_private-/.test(t.id)),
          'private subnets only',
        );
        assert.match(spec.ephemeralStorage.kmsKeyID, /cross-stack-output-aws_kms_keyplatformarn\}$/);
        assert.equal(spec.ephemeralStorage.size, `${env.cluster.nodeEphemeralStorageGiB}Gi`);
        assert.match(spec.role, /eks_node-role/);
      }
      const groups = (pool: string) =>
        nodeClasses
          .get(pool)
          .securityGroupSelectorTerms.map((t: any) => (/workload-sg/.test(t.id) ? 'workload' : /node-sg/.test(t.id) ? 'node' : t.id));
      assert.deepEqual(groups('workload'), ['node', 'workload'], 'the data stores admit the workload group');
      assert.deepEqual(groups('system'), ['node'], 'system nodes cannot reach the data stores');
    });

    it('sizes and limits the NodePools from config, across every zone, spot only outside production', () => {
      const pools = new Map(
        bodies(doc, 'kubernetes_manifest')
          .filter((m) => m.manifest.kind === 'NodePool')
          .map((m) => [m.manifest.metadata.name, m.manifest.spec]),
      );
      for (const name of ['system', 'workload'] as const) {
        const config = env.cluster.nodePools[name];
        const spec = pools.get(name);
        const requirement = (key: string) => spec.template.spec.requirements.find((r: any) => r.key === key);
        assert.deepEqual(spec.limits, { cpu: String(config.limits.cpu), memory: `${config.limits.memoryGiB}Gi` });
        assert.deepEqual(requirement('kubernetes.io/arch').values, config.architectures);
        assert.deepEqual(requirement('karpenter.sh/capacity-type').values, config.capacityTypes);
        assert.deepEqual(requirement('topology.kubernetes.io/zone').values, env.networkPlan.availabilityZones);
        assert.deepEqual(requirement('eks.amazonaws.com/instance-generation'), {
          key: 'eks.amazonaws.com/instance-generation',
          operator: 'Gt',
          values: [String(config.minInstanceGeneration - 1)],
        });
        assert.equal(spec.template.spec.expireAfter, `${config.expireAfterHours}h`);
        assert.deepEqual(spec.disruption.budgets, [{ nodes: `${config.disruptionBudgetPercent}%` }]);
        assert.equal(spec.template.spec.nodeClassRef.name, name);
        if (env.tier === 'production') {
          assert.ok(!config.capacityTypes.includes('spot'));
          assert.ok(env.networkPlan.availabilityZones.length >= 3);
        }
      }
      assert.deepEqual(pools.get('system').template.spec.taints, [{ key: 'CriticalAddonsOnly', effect: 'NoSchedule' }]);
      assert.equal(pools.get('workload').template.spec.taints, undefined);
    });

    it('binds each public host to its service in its namespace, with readiness gates there', () => {
      const bindings = bodies(doc, 'kubernetes_manifest').filter((m) => m.manifest.kind === 'TargetGroupBinding');
      const publicServices = env.project.services.filter((s) => s.publicHost);
      assert.equal(bindings.length, publicServices.length);
      for (const service of publicServices) {
        const binding = bindings.find((b) => namespaceOf(doc, b.manifest.metadata.namespace) === service.name)!.manifest;
        assert.equal(binding.apiVersion, 'eks.amazonaws.com/v1');
        assert.deepEqual(binding.spec.serviceRef, { name: service.name, port: service.port });
        assert.equal(binding.spec.targetType, 'ip');
        assert.match(binding.spec.targetGroupARN, new RegExp(`target-group-${service.publicHost}`));
        const namespace = bodies(doc, 'kubernetes_namespace_v1').find((n) => n.metadata.name === service.name);
        assert.equal(namespace.metadata.labels['eks.amazonaws.com/pod-readiness-gate-inject'], 'enabled');
      }
      const privateNamespace = bodies(doc, 'kubernetes_namespace_v1').find(
        (n) => n.metadata.name === env.project.services.find((s) => !s.publicHost)!.name,
      );
      assert.equal(privateNamespace.metadata.labels['eks.amazonaws.com/pod-readiness-gate-inject'], undefined);
    });

    it('installs metrics-server after the node pools, and turns on network policy enforcement', () => {
      const [addon] = bodies(doc, 'aws_eks_addon');
      assert.equal(addon.addon_name, 'metrics-server');
      assert.equal(addon.addon_version, env.platform.addons.metricsServer);
      assert.equal(addon.depends_on.filter((d: string) => d.startsWith('kubernetes_manifest.node-pool-')).length, 2);
      const [configMap] = bodies(doc, 'kubernetes_config_map_v1');
      assert.deepEqual(configMap.data, { 'enable-network-policy-controller': 'true' });
      assert.equal(configMap.metadata.namespace, 'kube-system');
    });

    it('defines the priority classes with one global default', () => {
      const classes = bodies(doc, 'kubernetes_priority_class_v1');
      assert.equal(classes.filter((c) => c.global_default).length, 1);
      assert.ok(
        classes.every((c) => c.value < 1_000_000_000),
        'below the system classes',
      );
    });
  });
}

describe('cluster layer: configuration', () => {
  it('applies a service override on top of the environment override and the tier default', () => {
    const config = configOfTier('development', (r) => {
      r.environment.cluster.namespaces = { quota: { pods: 30 } };
      r.environment.cluster.serviceNamespaces = { 'svc-feed': { quota: { requestsCpu: '6' } } };
    });
    const doc = synthesizeLayer(config, 'cluster');
    const quotaOf = (ns: string) =>
      bodies(doc, 'kubernetes_resource_quota_v1').find((q) => namespaceOf(doc, q.metadata.namespace) === ns).spec.hard;
    assert.equal(quotaOf('svc-feed')['requests.cpu'], '6');
    assert.equal(quotaOf('svc-feed').pods, '30');
    assert.equal(quotaOf('svc-idt').pods, '30');
    assert.equal(quotaOf('svc-idt')['requests.cpu'], NAMESPACE_SIZING_BY_TIER.development.quota.requestsCpu);
  });
});
