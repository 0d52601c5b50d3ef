import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SchemaSet, type ProviderSchemasFile } from '../../../src/checks/schema/provider-schema';
import { buildSubset, selectTypes } from '../../../src/checks/schema/subset';
import { validateStack } from '../../../src/checks/schema/validate';
import { fixturePath, readFixture, stackOf } from '../fixtures';

const full = JSON.parse(readFileSync(fixturePath('schema', 'aws-provider-schema.json'), 'utf8')) as ProviderSchemasFile;
const AWS = 'registry.terraform.io/hashicorp/aws';

describe('schema subset', () => {
  const doc = {
    resource: { aws_vpc: { main: { cidr_block: '10.0.0.0/16' } }, random_id: { x: { byte_length: 2 } } },
    data: { aws_iam_policy_document: { tls: { statement: [] } } },
  };

  it('keeps only the types the stacks use, in the same format', () => {
    const { subset, missing, counts } = buildSubset(full, [stackOf(doc)]);
    assert.equal(subset.format_version, full.format_version);
    assert.deepEqual(Object.keys(subset.provider_schemas[AWS]!.resource_schemas!), ['aws_vpc']);
    assert.deepEqual(Object.keys(subset.provider_schemas[AWS]!.data_source_schemas!), ['aws_iam_policy_document']);
    assert.deepEqual(subset.provider_schemas[AWS]!.ephemeral_resource_schemas, {});
    assert.deepEqual(missing, []);
    assert.equal(counts.resource_schemas, 1);
  });

  it('drops documentation but keeps attributes and object fields named "description"', () => {
    const { subset } = buildSubset(full, [stackOf({ resource: { aws_security_group: { web: {} } } })]);
    const block = subset.provider_schemas[AWS]!.resource_schemas!.aws_security_group!.block;
    assert.ok(block.attributes!.description, 'the description argument of aws_security_group survives');
    assert.equal(JSON.stringify(subset).includes('"description_kind"'), false);
    const ingress = block.attributes!.ingress!.type as [string, [string, Record<string, unknown>]];
    assert.equal(ingress[1][1].description, 'string');
  });

  it('validates the same documents as the full schema', () => {
    const valid = readFixture('schema', 'valid.json');
    const { subset } = buildSubset(full, [stackOf(valid)]);
    const fromSubset = validateStack(stackOf(valid), new SchemaSet().add(subset, 'subset'));
    const fromFull = validateStack(stackOf(valid), new SchemaSet().add(full, 'full'));
    assert.deepEqual(fromSubset, fromFull);
  });

  it('lists types the full schema does not have', () => {
    const { missing } = buildSubset(full, [stackOf({ resource: { aws_not_real: { x: {} } }, ephemeral: { aws_nope: { y: {} } } })]);
    assert.deepEqual(missing, ['ephemeral_resource_schemas.aws_nope', 'resource_schemas.aws_not_real']);
  });

  it('keeps a declared selection of types and the provider block, and lists selected types the schema lacks', () => {
    const provider = { version: 0, block: { attributes: { region: { type: 'string', optional: true, description: 'x' } } } };
    const withProvider = { ...full, provider_schemas: { [AWS]: { ...full.provider_schemas[AWS], provider } } };
    const selection = new Map([[AWS, new Map([['resource_schemas' as const, new Set(['aws_vpc', 'aws_not_real'])]])]]);
    const { subset, missing, counts } = selectTypes(withProvider, selection);
    assert.deepEqual(Object.keys(subset.provider_schemas[AWS]!.resource_schemas!), ['aws_vpc']);
    assert.deepEqual(subset.provider_schemas[AWS]!.data_source_schemas, {});
    assert.deepEqual(subset.provider_schemas[AWS]!.provider, {
      version: 0,
      block: { attributes: { region: { type: 'string', optional: true } } },
    });
    assert.deepEqual(missing, ['resource_schemas.aws_not_real']);
    assert.equal(counts.resource_schemas, 1);
  });
});
