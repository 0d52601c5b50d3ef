import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaSet } from '../../../src/checks/schema/provider-schema';
import { validateStack, type SchemaProblem } from '../../../src/checks/schema/validate';
import type { TerraformJson } from '../../../src/checks/terraform-json';
import { clone, fixturePath, readFixture, stackOf } from '../fixtures';

const AWS = fixturePath('schema', 'aws-provider-schema.json');
const CLOUDFLARE = fixturePath('schema', 'cloudflare-provider-schema.json');
const schemas = SchemaSet.fromFiles([AWS, CLOUDFLARE]);
const valid = readFixture('schema', 'valid.json');

/** The valid fixture with one change applied. */
function mutated(change: (doc: any) => void): TerraformJson {
  const doc = clone(valid) as any;
  change(doc);
  return doc;
}

function problems(doc: TerraformJson, set: SchemaSet = schemas): SchemaProblem[] {
  return validateStack(stackOf(doc), set);
}

function only(doc: TerraformJson): SchemaProblem {
  const found = problems(doc);
  assert.equal(found.length, 1, `expected one problem, got ${JSON.stringify(found, null, 2)}`);
  return found[0]!;
}

describe('schema validation', () => {
  it('accepts the valid fixture: meta-arguments, comments, expressions, dynamic blocks, nulls in objects', () => {
    assert.deepEqual(problems(valid), []);
  });

  it('reports an unknown argument with its path', () => {
    const p = only(mutated((d) => (d.resource.aws_vpc.main.enable_dns_magic = true)));
    assert.equal(p.kind, 'unknown-argument');
    assert.equal(p.path, 'resource.aws_vpc.main.enable_dns_magic');
    assert.equal(p.address, 'aws_vpc.main');
    assert.equal(p.file, 'cdktf.out/stacks/dev-network/cdk.tf.json');
    assert.match(p.message, /unknown argument "enable_dns_magic"/);
    assert.equal(typeof p.line, 'number');
  });

  it('reports an unknown argument inside a nested block', () => {
    const p = only(mutated((d) => (d.resource.aws_s3_bucket_versioning.state.versioning_configuration.mode = 'x')));
    assert.equal(p.kind, 'unknown-argument');
    assert.equal(p.path, 'resource.aws_s3_bucket_versioning.state.versioning_configuration.mode');
  });

  it('reports a computed-only argument that is set', () => {
    const p = only(mutated((d) => (d.resource.aws_vpc.main.arn = 'arn:aws:ec2:eu-west-1:1:vpc/x')));
    assert.equal(p.kind, 'computed-argument');
    assert.equal(p.path, 'resource.aws_vpc.main.arn');
  });

  it('reports a missing required argument, also when rendered as null', () => {
    assert.equal(only(mutated((d) => delete d.resource.aws_s3_bucket_versioning.state.bucket)).kind, 'missing-argument');
    const p = only(mutated((d) => (d.resource.aws_s3_bucket_versioning.state.bucket = null)));
    assert.equal(p.kind, 'missing-argument');
    assert.equal(p.path, 'resource.aws_s3_bucket_versioning.state.bucket');
  });

  it('reports a missing required argument inside a block', () => {
    const p = only(mutated((d) => (d.resource.aws_s3_bucket_versioning.state.versioning_configuration = { mfa_delete: 'Disabled' })));
    assert.equal(p.kind, 'missing-argument');
    assert.equal(p.path, 'resource.aws_s3_bucket_versioning.state.versioning_configuration.status');
  });

  it('reports a missing required block (min_items)', () => {
    const p = only(mutated((d) => delete d.resource.aws_s3_bucket_versioning.state.versioning_configuration));
    assert.equal(p.kind, 'missing-block');
    assert.equal(p.path, 'resource.aws_s3_bucket_versioning.state.versioning_configuration');
    assert.match(p.message, /at least 1/);
  });

  it('reports an attribute value given where a block is expected', () => {
    const p = only(mutated((d) => (d.resource.aws_s3_bucket_versioning.state.versioning_configuration = 'Enabled')));
    assert.equal(p.kind, 'block-expected');
    assert.match(p.message, /is a block/);
  });

  it('reports a block given where an attribute is expected', () => {
    const p = only(mutated((d) => (d.resource.aws_vpc.main.cidr_block = { value: '10.0.0.0/16' })));
    assert.equal(p.kind, 'attribute-expected');
    assert.equal(p.path, 'resource.aws_vpc.main.cidr_block');
  });

  it('reports more blocks than max_items', () => {
    const p = only(
      mutated(
        (d) => (d.resource.aws_s3_bucket_versioning.state.versioning_configuration = [{ status: 'Enabled' }, { status: 'Suspended' }]),
      ),
    );
    assert.equal(p.kind, 'too-many-blocks');
    assert.match(p.message, /at most 1 block, found 2/);
  });

  it('reports primitive type mismatches', () => {
    const cases: [(d: any) => void, string][] = [
      [(d) => (d.resource.aws_vpc.main.enable_dns_support = 'yes'), 'resource.aws_vpc.main.enable_dns_support'],
      [(d) => (d.resource.aws_vpc.main.ipv4_netmask_length = '16'), 'resource.aws_vpc.main.ipv4_netmask_length'],
      [(d) => (d.resource.aws_vpc.main.tags = { Name: ['a'] }), 'resource.aws_vpc.main.tags'],
      [(d) => (d.resource.aws_vpc.main.tags = ['Name']), 'resource.aws_vpc.main.tags'],
      [(d) => (d.resource.aws_security_group.web.ingress[0].from_port = '443'), 'resource.aws_security_group.web.ingress'],
      [(d) => (d.resource.aws_security_group.web.ingress[0].cidr_blocks = '10.0.0.0/8'), 'resource.aws_security_group.web.ingress'],
      [(d) => delete d.resource.aws_security_group.web.ingress[0].self, 'resource.aws_security_group.web.ingress'],
      [(d) => (d.resource.cloudflare_dns_record.www.ttl = 'auto'), 'resource.cloudflare_dns_record.www.ttl'],
    ];
    for (const [change, path] of cases) {
      const p = only(mutated(change));
      assert.equal(p.kind, 'type-mismatch', JSON.stringify(p));
      assert.equal(p.path, path);
    }
  });

  it('accepts numbers and booleans for string attributes (Terraform converts them)', () => {
    assert.deepEqual(problems(mutated((d) => (d.resource.aws_vpc.main.tags = { Port: 443, Enabled: true }))), []);
  });

  it('reports an unknown dynamic block', () => {
    const p = only(mutated((d) => (d.resource.aws_dynamodb_table.locks.dynamic.no_such_block = { for_each: '${var.x}', content: {} })));
    assert.equal(p.kind, 'unknown-argument');
    assert.equal(p.path, 'resource.aws_dynamodb_table.locks.dynamic.no_such_block');
  });

  it('validates the content of dynamic blocks', () => {
    const p = only(mutated((d) => (d.resource.aws_dynamodb_table.locks.dynamic.global_secondary_index.content.colour = 'red')));
    assert.equal(p.kind, 'unknown-argument');
  });

  it('reports a resource type unknown to a loaded provider schema, pointing at the subset command for subsets', () => {
    const p = only(mutated((d) => (d.resource.aws_no_such_thing = { x: { name: 'x' } })));
    assert.equal(p.kind, 'unknown-type');
    assert.equal(p.path, 'resource.aws_no_such_thing.x');
    const subsetNamed = new SchemaSet().add(
      JSON.parse(JSON.stringify(readFixture('schema', 'aws-provider-schema.json'))),
      'schemas/aws-provider-subset.json',
    );
    const [fromSubset] = problems(
      mutated((d) => (d.data.aws_no_such_source = { x: {} })),
      subsetNamed,
    );
    assert.equal(fromSubset!.kind, 'unknown-type');
    assert.match(fromSubset!.message, /unknown data source type "aws_no_such_source".*npm run schema:subset/);
  });

  it('validates each provider against its own schema and skips providers without one', () => {
    const awsOnly = SchemaSet.fromFiles([AWS]);
    assert.deepEqual(
      problems(
        mutated((d) => (d.resource.cloudflare_dns_record.www.colour = 'red')),
        awsOnly,
      ),
      [],
    );
    const p = only(mutated((d) => (d.resource.cloudflare_dns_record.www.colour = 'red')));
    assert.equal(p.kind, 'unknown-argument');
    assert.equal(p.address, 'cloudflare_dns_record.www');
  });

  it('lets a later schema file win for a provider but keeps the earlier provider block when it has none', () => {
    const K8S = 'registry.terraform.io/hashicorp/kubernetes';
    const block = { attributes: { host: { type: 'string', optional: true } } };
    const withBlock = { format_version: '1.0', provider_schemas: { [K8S]: { provider: { block }, resource_schemas: {} } } };
    const types = { kubernetes_namespace_v1: { block: {} } };
    const withoutBlock = { format_version: '1.0', provider_schemas: { [K8S]: { resource_schemas: types } } };
    const set = new SchemaSet().add(withBlock, 'subset.json').add(withoutBlock, 'full.json');
    const doc: TerraformJson = {
      terraform: { required_providers: { kubernetes: { source: 'hashicorp/kubernetes', version: '2.38.0' } } },
      provider: { kubernetes: [{ host: 'https://x', hots: 'typo' }] },
      resource: { kubernetes_namespace_v1: { ns: {} } },
    };
    assert.deepEqual(
      problems(doc, set).map((p) => [p.kind, p.path]),
      [['unknown-argument', 'provider.kubernetes[0].hots']],
    );
    assert.equal(problems(doc, new SchemaSet().add(withoutBlock, 'full.json')).length, 0, 'no provider block loaded: not validated');
  });

  it('validates plugin-framework nested attributes', () => {
    const p = only(mutated((d) => (d.resource.cloudflare_dns_record.www.data = { priority: 10 })));
    assert.equal(p.kind, 'missing-argument');
    assert.equal(p.path, 'resource.cloudflare_dns_record.www.data.target');
  });

  it('honours the known-newer-arguments allow-list', () => {
    const doc = mutated((d) => (d.resource.aws_vpc.main.future_flag = true));
    assert.equal(validateStack(stackOf(doc), schemas).length, 1);
    assert.deepEqual(validateStack(stackOf(doc), schemas, { allowNewer: new Set(['aws_vpc.future_flag']) }), []);
  });

  it('rejects a file that is not a provider schema', () => {
    assert.throws(() => new SchemaSet().add({ provider_schemas: {} }, 'x.json'), /x\.json: not a provider schema file/);
  });
});
