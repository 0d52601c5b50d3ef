import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing, TerraformStack } from 'cdktn';
import { AccessLogBucket } from '../../src/constructs/storage/access-log-bucket';
import { policyOf } from '../support/synth';

const outdir = mkdtempSync(join(tmpdir(), 'access-log-bucket-'));
after(() => rmSync(outdir, { recursive: true, force: true }));

function synthBucket(props: Partial<ConstructorParameters<typeof AccessLogBucket>[2]> = {}) {
  const stack = new TerraformStack(Testing.app({ outdir }), 'test');
  new AccessLogBucket(stack, 'logs', {
    bucketName: 'x-dev-logs',
    accountId: '111111111111',
    retentionDays: 90,
    s3AccessLogPrefix: 'state/',
    ...props,
  });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe('AccessLogBucket', () => {
  it("uses SSE-S3, expires logs after the retention and admits only this account's S3 log delivery under its prefix", () => {
    const resources = synthBucket();
    const [sse] = Object.values<any>(resources.aws_s3_bucket_server_side_encryption_configuration);
    assert.equal(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm, 'AES256');
    const [lifecycle] = Object.values<any>(resources.aws_s3_bucket_lifecycle_configuration);
    assert.equal(lifecycle.rule.find((r: any) => r.id === 'expire-access-logs').expiration[0].days, 90);
    const statements = policyOf(Object.values<any>(resources.aws_s3_bucket_policy)[0].policy).Statement;
    const delivery = statements.find((s) => s.Sid === 'S3ServerAccessLogDelivery');
    assert.match(delivery.Resource, /\.arn\}\/state\/\*$/);
    assert.deepEqual(delivery.Condition, { StringEquals: { 'aws:SourceAccount': '111111111111' } });
    assert.equal(resources.aws_s3_bucket_logging, undefined, 'a log bucket does not log into itself');
  });

  it('adds further delivery statements', () => {
    const resources = synthBucket({
      deliveryStatements: (bucket) => [
        {
          sid: 'ElbLogs',
          principals: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          actions: ['s3:PutObject'],
          resources: [`${bucket.arn}/alb/*`],
        },
      ],
    });
    const statements = policyOf(Object.values<any>(resources.aws_s3_bucket_policy)[0].policy).Statement;
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ['DenyInsecureTransport', 'S3ServerAccessLogDelivery', 'ElbLogs'],
    );
  });

  it('rejects a prefix without a trailing slash', () => {
    assert.throws(() => synthBucket({ s3AccessLogPrefix: 'state' }), /s3AccessLogPrefix must be a prefix ending with "\/" \(got "state"\)/);
  });
});
