import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SCHEMAS_DIR } from '../../../src/cli/check';
import { KNOWN_NEWER_CRD_FIELDS, type KnownNewerCrdField } from '../../../src/checks/schema/known-newer-crd-fields';
import { CRD_SCHEMAS_DIR_NAME, CustomResourceSchemas, validateManifests } from '../../../src/checks/schema/manifest';
import type { SchemaProblem } from '../../../src/checks/schema/validate';
import type { TerraformJson } from '../../../src/checks/terraform-json';
import { clone, readFixture, stackOf } from '../fixtures';

const CRD_DIR = join(SCHEMAS_DIR, CRD_SCHEMAS_DIR_NAME);
const schemas = CustomResourceSchemas.fromDir(CRD_DIR);
const valid = readFixture('schema', 'kubernetes-manifests-valid.json');
const BASE = 'resource.kubernetes_manifest';
/** `<kind> <path>` of a problem at `field` (empty for the manifest itself) of one resource's manifest. */
const at = (kind: string, resource: string, field = '') => `${kind} ${BASE}.${resource}.manifest${field ? `.${field}` : ''}`;

function mutated(change: (resources: any) => void): TerraformJson {
  const doc = clone(valid) as any;
  change(doc.resource.kubernetes_manifest);
  return doc;
}

function problems(doc: TerraformJson, set = schemas): SchemaProblem[] {
  return validateManifests(stackOf(doc, 'dev-cluster'), set);
}

/** The problems as `kind path`, so a test states exactly which ones it expects. */
function summary(doc: TerraformJson, set = schemas): string[] {
  return problems(doc, set).map((p) => `${p.kind} ${p.path}`);
}

function only(doc: TerraformJson): SchemaProblem {
  const found = problems(doc);
  assert.equal(found.length, 1, `expected one problem, got ${JSON.stringify(found, null, 2)}`);
  return found[0]!;
}

describe('kubernetes_manifest validation against the custom resource schemas', () => {
  it('accepts a NodeClass, NodePool and TargetGroupBinding with expressions in places, and skips other API groups', () => {
    assert.deepEqual(problems(valid), []);
  });

  it('reports an unknown field in spec with its path, address, line and the known fields', () => {
    const p = only(mutated((r) => (r.node_class.manifest.spec.subnetSelector = [{ id: 'subnet-1' }])));
    assert.equal(p.kind, 'manifest-unknown-field');
    assert.equal(p.path, `${BASE}.node_class.manifest.spec.subnetSelector`);
    assert.equal(p.address, 'kubernetes_manifest.node_class');
    assert.equal(p.stack, 'dev-cluster');
    assert.equal(p.file, 'cdktf.out/stacks/dev-cluster/cdk.tf.json');
    assert.equal(typeof p.line, 'number');
    assert.match(p.message, /unknown field "subnetSelector" in spec of NodeClass \(eks\.amazonaws\.com\/v1\)/);
    assert.match(p.message, /\(known: .*subnetSelectorTerms/);
  });

  it('reports unknown fields deep inside arrays and nested objects', () => {
    const doc = mutated((r) => {
      r.node_pool.manifest.spec.template.spec.requirements[1].minValue = 2;
      r.target_group_binding.manifest.spec.networking.ingress[0].from[0].securityGroup.groupId = 'sg-1';
    });
    assert.deepEqual(summary(doc), [
      at('manifest-unknown-field', 'node_pool', 'spec.template.spec.requirements[1].minValue'),
      at('manifest-unknown-field', 'target_group_binding', 'spec.networking.ingress[0].from[0].securityGroup.groupId'),
    ]);
  });

  it('reports a wrong enum value', () => {
    const p = only(mutated((r) => (r.node_class.manifest.spec.networkPolicy = 'DenyAll')));
    assert.equal(p.kind, 'manifest-invalid-value');
    assert.equal(p.path, `${BASE}.node_class.manifest.spec.networkPolicy`);
    assert.match(p.message, /must be one of "DefaultAllow", "DefaultDeny", got the string "DenyAll"/);
  });

  it('reports a missing required field, also when rendered as null', () => {
    const noRole = mutated((r) => delete r.node_class.manifest.spec.role);
    assert.deepEqual(summary(noRole), [at('manifest-missing-field', 'node_class', 'spec.role')]);
    const p = only(mutated((r) => (r.target_group_binding.manifest.spec.serviceRef.port = null)));
    assert.equal(p.kind, 'manifest-missing-field');
    assert.equal(p.path, `${BASE}.target_group_binding.manifest.spec.serviceRef.port`);
    assert.deepEqual(summary(mutated((r) => delete r.node_pool.manifest.spec)), [at('manifest-missing-field', 'node_pool', 'spec')]);
  });

  it('reports a kind not in the schemas of an API group that has schemas, and names the kinds it has', () => {
    const p = only(mutated((r) => (r.node_pool.manifest.kind = 'NodeClaim')));
    assert.equal(p.kind, 'manifest-unknown-kind');
    assert.equal(p.path, `${BASE}.node_pool.manifest.kind`);
    assert.match(p.message, /no schema for kind "NodeClaim" of karpenter\.sh\/v1; the karpenter\.sh schemas cover NodePool/);
    assert.equal(only(mutated((r) => (r.node_pool.manifest.apiVersion = 'karpenter.sh/v1beta1'))).kind, 'manifest-unknown-kind');
  });

  it('checks types, patterns, lengths and ranges, and converts numbers given for strings as Terraform does', () => {
    const doc = mutated((r) => {
      const spec = r.node_class.manifest.spec;
      spec.ephemeralStorage.iops = '3000';
      spec.ephemeralStorage.throughput = 2000;
      spec.ephemeralStorage.size = '80GB';
      spec.role = 'r'.repeat(65);
      r.node_pool.manifest.spec.weight = 1.5;
      r.node_pool.manifest.spec.disruption.budgets[0].nodes = 10;
      r.target_group_binding.manifest.spec.serviceRef.port = { number: 8080 };
    });
    assert.deepEqual(summary(doc), [
      at('manifest-invalid-value', 'node_class', 'spec.role'),
      at('manifest-invalid-value', 'node_class', 'spec.ephemeralStorage.size'),
      at('manifest-invalid-value', 'node_class', 'spec.ephemeralStorage.iops'),
      at('manifest-invalid-value', 'node_class', 'spec.ephemeralStorage.throughput'),
      at('manifest-invalid-value', 'node_pool', 'spec.weight'),
      at('manifest-invalid-value', 'target_group_binding', 'spec.serviceRef.port'),
    ]);
    const messages = problems(doc)
      .map((p) => p.message)
      .join('\n');
    assert.match(messages, /spec\.ephemeralStorage\.iops of NodeClass \(eks\.amazonaws\.com\/v1\) must be an integer, got the string/);
    assert.match(messages, /throughput .* must be at most 1000, got the number 2000/);
    assert.match(messages, /serviceRef\.port .* must be an integer or a string, got an object/);
  });

  it('reports a repeated item of a set-typed list', () => {
    const p = only(mutated((r) => (r.node_pool.manifest.spec.disruption.budgets[1].reasons = ['Drifted', 'Drifted'])));
    assert.equal(p.path, `${BASE}.node_pool.manifest.spec.disruption.budgets[1].reasons[1]`);
    assert.match(p.message, /repeats an item/);
  });

  it('checks metadata: name, namespace by scope, labels, and fields the API server owns', () => {
    const doc = mutated((r) => {
      delete r.node_class.manifest.metadata.name;
      r.node_pool.manifest.metadata.namespace = 'kube-system';
      r.node_pool.manifest.metadata.resourceVersion = '1';
      delete r.target_group_binding.manifest.metadata.namespace;
      r.target_group_binding.manifest.metadata.name = 'App_Web';
      r.target_group_binding.manifest.metadata.labels = { team: 'web platform' };
    });
    assert.deepEqual(summary(doc), [
      at('manifest-missing-field', 'node_class', 'metadata.name'),
      at('manifest-unknown-field', 'node_pool', 'metadata.resourceVersion'),
      at('manifest-invalid-value', 'node_pool', 'metadata.namespace'),
      at('manifest-invalid-value', 'target_group_binding', 'metadata.name'),
      at('manifest-missing-field', 'target_group_binding', 'metadata.namespace'),
      at('manifest-invalid-value', 'target_group_binding', 'metadata.labels.team'),
    ]);
    const messages = problems(doc)
      .map((p) => p.message)
      .join('\n');
    assert.match(messages, /NodePool is cluster-scoped: metadata\.namespace must not be set/);
    assert.match(messages, /TargetGroupBinding is namespaced: metadata\.namespace is required/);
    const noMetadata = mutated((r) => delete r.node_class.manifest.metadata);
    assert.deepEqual(summary(noMetadata), [at('manifest-missing-field', 'node_class', 'metadata')]);
  });

  it('rejects status and unknown top-level fields', () => {
    const doc = mutated((r) => {
      r.node_class.manifest.status = { instanceProfile: 'x' };
      r.node_class.manifest.data = {};
    });
    const unknown = (field: string) => at('manifest-unknown-field', 'node_class', field);
    assert.deepEqual(summary(doc), [unknown('status'), unknown('data')]);
  });

  it('reports a manifest it cannot check: an expression, or apiVersion/kind not literal', () => {
    const doc = mutated((r) => {
      r.node_class.manifest = '${yamldecode(file("nodeclass.yaml"))}';
      r.node_pool.manifest.kind = '${local.kind}';
    });
    assert.deepEqual(summary(doc), [at('manifest-unverifiable', 'node_class'), at('manifest-unverifiable', 'node_pool')]);
  });

  it('accepts expressions where objects and arrays go, and for a whole metadata', () => {
    const doc = mutated((r) => {
      r.node_class.manifest.spec.subnetSelectorTerms = '${local.subnet_terms}';
      r.node_class.manifest.spec.tags = '${local.tags}';
      r.node_pool.manifest.metadata = '${local.pool_metadata}';
    });
    assert.deepEqual(problems(doc), []);
  });
});

describe('known newer custom resource fields', () => {
  const kmsKey = (storage: Record<string, unknown>) => mutated((r) => (r.node_class.manifest.spec.ephemeralStorage = storage));

  it('allows each field only at its documented path', () => {
    const entry = KNOWN_NEWER_CRD_FIELDS.find((f) => f.path === 'spec.ephemeralStorage.kmsKeyID');
    assert.ok(entry, 'NodeClass spec.ephemeralStorage.kmsKeyID is listed');
    assert.match(entry.source, /docs\.aws\.amazon\.com\/eks\/latest\/userguide\/auto-kms\.html/);
    assert.deepEqual(problems(kmsKey({ size: '80Gi', kmsKeyID: 'alias/eks-auto-mode-key' })), []);
    const misplaced = mutated((r) => (r.node_class.manifest.spec.kmsKeyID = 'alias/eks-auto-mode-key'));
    assert.deepEqual(summary(misplaced), [at('manifest-unknown-field', 'node_class', 'spec.kmsKeyID')]);
    const misspelt = kmsKey({ size: '80Gi', kmsKeyId: 'alias/eks-auto-mode-key' });
    assert.deepEqual(summary(misspelt), [at('manifest-unknown-field', 'node_class', 'spec.ephemeralStorage.kmsKeyId')]);
  });

  it('checks the value of an allowed field against the schema given with it', () => {
    const p = only(kmsKey({ kmsKeyID: { arn: 'x' } }));
    assert.equal(p.kind, 'manifest-invalid-value');
    assert.equal(p.path, `${BASE}.node_class.manifest.spec.ephemeralStorage.kmsKeyID`);
  });

  it('is not in force without the list', () => {
    const bare = CustomResourceSchemas.fromDir(CRD_DIR, []);
    const expected = [at('manifest-unknown-field', 'node_class', 'spec.ephemeralStorage.kmsKeyID')];
    assert.deepEqual(summary(kmsKey({ kmsKeyID: 'alias/k' }), bare), expected);
  });

  it('fails loading when an entry has no place in the schema or the schema already has it', () => {
    const entry = (path: string): KnownNewerCrdField => ({
      apiVersion: 'eks.amazonaws.com/v1',
      kind: 'NodeClass',
      path,
      schema: { type: 'string' },
      source: 'test',
    });
    assert.throws(() => CustomResourceSchemas.fromDir(CRD_DIR, [entry('spec.ephemeralStorage.size')]), /now defines it; remove the entry/);
    assert.throws(() => CustomResourceSchemas.fromDir(CRD_DIR, [entry('spec.noSuchBlock.field')]), /no object at "noSuchBlock"/);
    const otherKind = { ...entry('spec.x'), kind: 'EC2NodeClass' };
    assert.throws(() => CustomResourceSchemas.fromDir(CRD_DIR, [otherKind]), /no schema for EC2NodeClass/);
  });
});

describe('loading custom resource schemas', () => {
  const temp = mkdtempSync(join(tmpdir(), 'crd-schemas-'));
  after(() => rmSync(temp, { recursive: true, force: true }));
  const dirWith = (name: string, files: Record<string, unknown>) => {
    const dir = join(temp, name);
    mkdirSync(dir);
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), JSON.stringify(content));
    return dir;
  };
  const kinds = [{ apiVersion: 'example.com/v1', kind: 'Widget', namespaced: true }];

  it('needs an entry with the scope for every file, and a file for every entry', () => {
    const extra = dirWith('extra', { 'example.com_widget_v1.json': {}, 'example.com_gadget_v1.json': {} });
    assert.throws(() => CustomResourceSchemas.fromDir(extra, [], kinds), /example\.com_gadget_v1\.json: no entry in CUSTOM_RESOURCE_KINDS/);
    assert.throws(() => CustomResourceSchemas.fromDir(dirWith('none', {}), [], kinds), /lacks example\.com_widget_v1\.json/);
    assert.throws(() => CustomResourceSchemas.fromDir(join(temp, 'absent'), [], kinds), /does not exist/);
  });

  it('fails on a keyword or format the walker does not implement, naming where', () => {
    const schema = { properties: { spec: { type: 'object', properties: { size: { type: 'string', oneOf: [] } } } } };
    const oneOf = dirWith('oneof', { 'example.com_widget_v1.json': schema });
    assert.throws(() => CustomResourceSchemas.fromDir(oneOf, [], kinds), /unsupported keyword "oneOf" at "spec\.size"/);
    const format = { properties: { spec: { type: 'string', format: 'uri' } } };
    const uri = dirWith('format', { 'example.com_widget_v1.json': format });
    assert.throws(() => CustomResourceSchemas.fromDir(uri, [], kinds), /unsupported format "uri" at "spec"/);
  });
});
