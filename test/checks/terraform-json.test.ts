import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allResources,
  findReferencing,
  lineOf,
  locateJsonPaths,
  referenced,
  referencedName,
  references,
  resolvePolicyDocument,
  stackDocument,
  type TerraformJson,
} from '../../src/checks/terraform-json';

describe('terraform-json helpers', () => {
  it('names the resource a whole-value reference points at, and nothing for anything else', () => {
    assert.equal(referencedName('${aws_iam_policy.ci-apply_data_B47C05FA.arn}', 'aws_iam_policy', 'arn'), 'ci-apply_data_B47C05FA');
    for (const value of [
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      '${aws_iam_policy.x.id}',
      '${aws_iam_role.x.arn}',
      'prefix-${aws_iam_policy.x.arn}',
      '${aws_iam_policy.x.arn}-suffix',
      42,
      undefined,
    ])
      assert.equal(referencedName(value, 'aws_iam_policy', 'arn'), undefined, String(value));
  });

  it('finds the resource a whole-value reference points at, through any attribute unless one is named', () => {
    const doc: TerraformJson = { resource: { aws_s3_bucket: { logs: { bucket: 'logs-bucket' } } } };
    assert.deepEqual(referenced(doc, 'aws_s3_bucket', '${aws_s3_bucket.logs.id}'), { name: 'logs', body: { bucket: 'logs-bucket' } });
    assert.equal(referenced(doc, 'aws_s3_bucket', '${aws_s3_bucket.logs.id}', 'bucket'), undefined, 'another attribute');
    assert.equal(referenced(doc, 'aws_s3_bucket', '${aws_s3_bucket.other.id}'), undefined, 'not in the document');
    assert.equal(referenced(doc, 'aws_s3_bucket', 'logs-bucket'), undefined, 'a literal');
  });

  it("reads a stack's environment and layer from its name; a name that ends in no layer is all environment", () => {
    const named = (name: string) => {
      const { environment, layer } = stackDocument(name, {});
      return { environment, layer };
    };
    assert.deepEqual(named('prod-bootstrap'), { environment: 'prod', layer: 'bootstrap' });
    assert.deepEqual(named('cf'), { environment: 'cf', layer: undefined });
  });

  it('matches references to one resource only', () => {
    assert.equal(references('${aws_s3_bucket.logs.id}', 'aws_s3_bucket.logs'), true);
    assert.equal(references('${aws_s3_bucket.logs}', 'aws_s3_bucket.logs'), true);
    assert.equal(references('${aws_s3_bucket.logs_archive.id}', 'aws_s3_bucket.logs'), false);
    assert.equal(references('${data.aws_s3_bucket.logs.id}', 'aws_s3_bucket.logs'), false);
    assert.equal(references('aws_s3_bucket.logs', 'aws_s3_bucket.logs'), false);
  });

  it('lists resources of every mode with addresses and finds the ones pointing at a resource', () => {
    const doc: TerraformJson = {
      resource: { aws_vpc: { a: {} }, aws_flow_log: { x: { vpc_id: '${aws_vpc.a.id}' }, y: { vpc_id: '${aws_vpc.b.id}' } } },
      data: { aws_caller_identity: { me: {} } },
    };
    assert.deepEqual(
      allResources(doc).map((r) => r.address),
      ['aws_vpc.a', 'aws_flow_log.x', 'aws_flow_log.y', 'data.aws_caller_identity.me'],
    );
    assert.deepEqual(
      findReferencing(doc, 'aws_flow_log', 'vpc_id', 'aws_vpc.a').map((r) => r.address),
      ['aws_flow_log.x'],
    );
  });

  it('resolves policies given as JSON strings (with interpolations) and as policy document data sources', () => {
    const doc: TerraformJson = {
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['*'] }] },
          full: {
            source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
            statement: [
              {
                effect: 'Deny',
                actions: ['s3:*'],
                principals: [{ type: '*', identifiers: ['*'] }],
                condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
              },
            ],
          },
        },
      },
    };
    const fromData = resolvePolicyDocument(doc, '${data.aws_iam_policy_document.full.json}')!;
    assert.deepEqual(
      fromData.map((s) => [s.effect, s.actions]),
      [
        ['Allow', ['s3:GetObject']],
        ['Deny', ['s3:*']],
      ],
    );
    assert.deepEqual(fromData[1]!.conditions, [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }]);
    const fromJson = resolvePolicyDocument(
      doc,
      JSON.stringify({
        Statement: {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: '${aws_s3_bucket.x.arn}/*',
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      }),
    )!;
    assert.deepEqual(fromJson[0]!.principals, [{ type: '*', identifiers: ['*'] }]);
    assert.deepEqual(fromJson[0]!.resources, ['${aws_s3_bucket.x.arn}/*']);
    assert.deepEqual(fromJson[0]!.conditions[0]!.values, ['false']);
    assert.equal(resolvePolicyDocument(doc, '${jsonencode({})}'), undefined);
    assert.equal(resolvePolicyDocument(doc, '${data.aws_iam_policy_document.missing.json}'), undefined);
  });

  it('locates JSON paths to lines', () => {
    const text = JSON.stringify({ resource: { aws_vpc: { a: { tags: { x: '1' }, list: [{ k: 1 }] } } } }, null, 2);
    const located = locateJsonPaths(text);
    assert.equal(located.get('resource.aws_vpc.a'), 4);
    assert.equal(located.get('resource.aws_vpc.a.list[0].k'), 10);
    assert.equal(lineOf(located, 'resource.aws_vpc.a.tags.missing'), 5);
  });
});
