// The generated Kubernetes bindings synthesize blocks that the committed subset and the full provider schema
// accept, and `npm run check` dispatches kubernetes_* blocks and the provider block to that schema.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { TerraformStack } from 'cdktn';
import { DEFAULT_FULL_SCHEMA, KUBERNETES_PROVIDER, SUBSET_FILE } from '../../scripts/kubernetes-bindings';
import { SchemaSet } from '../../src/checks/schema/provider-schema';
import { validateStack } from '../../src/checks/schema/validate';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { buildReport, parseArgs, schemaFiles } from '../../src/cli/check';
import { Manifest } from '../../src/generated/kubernetes/manifest';
import { NamespaceV1 } from '../../src/generated/kubernetes/namespace-v1';
import { NetworkPolicyV1 } from '../../src/generated/kubernetes/network-policy-v1';
import { KubernetesProvider } from '../../src/generated/kubernetes/provider';
import { RoleV1 } from '../../src/generated/kubernetes/role-v1';
import { synthOneStack } from '../support/synth';

const EXEC = {
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  command: 'aws',
  args: ['eks', 'get-token', '--cluster-name', 'p-dev', '--region', 'eu-west-1'],
};
const HOST = 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';
const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/p-dev-app/0123456789abcdef';

function tinyClusterStack(stack: TerraformStack): void {
  new KubernetesProvider(stack, 'kubernetes', { host: HOST, clusterCaCertificate: 'ca-pem', exec: EXEC });
  const namespace = new NamespaceV1(stack, 'namespace', {
    metadata: { name: 'svc-feed', labels: { 'app.kubernetes.io/part-of': 'platform' } },
  });
  new NetworkPolicyV1(stack, 'default-deny', {
    metadata: { name: 'default-deny', namespace: namespace.metadata.name },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  new RoleV1(stack, 'config-reader', {
    metadata: { name: 'config-reader', namespace: namespace.metadata.name },
    rule: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
  });
  new Manifest(stack, 'target-group-binding', {
    manifest: {
      apiVersion: 'eks.amazonaws.com/v1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'app', namespace: namespace.metadata.name },
      spec: { serviceRef: { name: 'app', port: 80 }, targetGroupARN: TARGET_GROUP_ARN, targetType: 'ip' },
    },
  });
}

const doc = synthOneStack('dev-cluster', tinyClusterStack);
const subset = SchemaSet.fromFiles([SUBSET_FILE]);
const problems = (document: TerraformJson, schemas: SchemaSet) => validateStack(stackDocument('dev-cluster', document), schemas);
const fullSchemaAbsent = existsSync(DEFAULT_FULL_SCHEMA)
  ? false
  : `${DEFAULT_FULL_SCHEMA} not found (CI has it): not validated against the full schema`;

/** The tiny stack with what the typed bindings would not let anyone write. */
function broken(): TerraformJson {
  const wrong = structuredClone(doc) as any;
  wrong.resource.kubernetes_namespace_v1.namespace.labels = { team: 'feed' }; // labels belong in metadata
  delete wrong.resource.kubernetes_network_policy_v1['default-deny'].spec;
  delete wrong.resource.kubernetes_role_v1['config-reader'].rule[0].verbs;
  wrong.provider.kubernetes[0].kubeconfig = '~/.kube/config';
  delete wrong.provider.kubernetes[0].exec.command;
  return wrong;
}
const BROKEN_PROBLEMS = [
  ['unknown-argument', 'resource.kubernetes_namespace_v1.namespace.labels'],
  ['missing-block', 'resource.kubernetes_network_policy_v1.default-deny.spec'],
  ['missing-argument', 'resource.kubernetes_role_v1.config-reader.rule[0].verbs'],
  ['missing-argument', 'provider.kubernetes[0].exec.command'],
  ['unknown-argument', 'provider.kubernetes[0].kubeconfig'],
];
const kindsAndPaths = (found: readonly { kind: string; path: string }[]) => found.map((p) => [p.kind, p.path]);

describe('generated Kubernetes bindings', () => {
  it('pin hashicorp/kubernetes exactly in required_providers', () => {
    const pinned = { source: 'hashicorp/kubernetes', version: KUBERNETES_PROVIDER.version };
    assert.deepEqual(doc.terraform?.required_providers?.kubernetes, pinned);
  });

  it('render the provider exec block for EKS tokens', () => {
    assert.deepEqual(doc.provider?.kubernetes, [
      {
        host: HOST,
        cluster_ca_certificate: 'ca-pem',
        exec: { api_version: EXEC.apiVersion, command: EXEC.command, args: EXEC.args },
      },
    ]);
  });

  it('render a manifest as given, Kubernetes field names kept and references resolved', () => {
    const { '//': _metadata, ...manifest } = doc.resource!.kubernetes_manifest!['target-group-binding'] as Record<string, unknown>;
    assert.deepEqual(manifest, {
      manifest: {
        apiVersion: 'eks.amazonaws.com/v1',
        kind: 'TargetGroupBinding',
        metadata: { name: 'app', namespace: '${kubernetes_namespace_v1.namespace.metadata[0].name}' },
        spec: { serviceRef: { name: 'app', port: 80 }, targetGroupARN: TARGET_GROUP_ARN, targetType: 'ip' },
      },
    });
  });

  it('snake_case the keys of exec.env (cdktn 0.24 provider rendering), unless set through an override', () => {
    const env = { AWS_STS_REGIONAL_ENDPOINTS: 'regional' };
    const mangled = synthOneStack('env', (stack) => new KubernetesProvider(stack, 'kubernetes', { exec: { ...EXEC, env } }));
    assert.deepEqual((mangled.provider!.kubernetes![0] as any).exec.env, { aws_sts_regional_endpoints: 'regional' });
    const overridden = synthOneStack('env', (stack) => {
      new KubernetesProvider(stack, 'kubernetes', { exec: EXEC }).addOverride('exec.env', env);
    });
    assert.deepEqual((overridden.provider!.kubernetes![0] as any).exec.env, env);
  });

  it('synthesize blocks the committed subset accepts', () => {
    assert.deepEqual(problems(doc, subset), []);
  });

  it('are validated by `npm run check`, which finds the subset in schemas/ through required_providers', () => {
    const options = parseArgs(['--only', 'schema']);
    assert.ok(schemaFiles(options).includes(SUBSET_FILE));
    const check = (document: TerraformJson) => kindsAndPaths(buildReport([stackDocument('dev-cluster', document)], options).schemaProblems);
    assert.deepEqual(check(doc), []);
    assert.deepEqual(check(broken()), BROKEN_PROBLEMS);
  });

  it('report unknown arguments and missing blocks and arguments, in resources and the provider block', () => {
    assert.deepEqual(kindsAndPaths(problems(broken(), subset)), BROKEN_PROBLEMS);
  });

  it('synthesize blocks the full schema accepts, with the subset supplying the provider block', { skip: fullSchemaAbsent }, () => {
    const full = SchemaSet.fromFiles(schemaFiles({ schemasDir: parseArgs([]).schemasDir, schemas: [DEFAULT_FULL_SCHEMA] }));
    assert.equal(full.providers.get('registry.terraform.io/hashicorp/kubernetes')?.origin, DEFAULT_FULL_SCHEMA);
    assert.deepEqual(problems(doc, full), []);
    assert.deepEqual(kindsAndPaths(problems(broken(), full)), BROKEN_PROBLEMS);
  });
});
