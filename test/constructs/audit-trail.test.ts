// The account's audit trail in the bootstrap layer: what it records, where, how the record is protected,
// and that config naming the organization's trail replaces it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protectionReason } from '../../src/checks/guard/protected';
import { referenced } from '../../src/checks/terraform-json';
import { AUDIT_OBJECT_PROTECTION_ACTIONS, AUDIT_TRAIL_PROTECTION_ACTIONS } from '../../src/constructs/security/guardrails';
import {
  exampleOfTier,
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  resourceAt,
  resourcesOf,
  stack,
  synthesizeLayer,
  projectPrefix,
} from '../support/synth';
const PROD = exampleOfTier('production').name;

const PREFIX = projectPrefix();

const stacks = exampleStacks();
const only = (doc: any, type: string): [string, any] => {
  const found = resourcesOf(doc, type);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0]!;
};
const boundaryOf = (doc: any) => policyOf(resourceAt(doc, 'aws_iam_policy', 'permissions-boundary/policy').policy).Statement;
const applyPolicies = (doc: any) =>
  resourcesOf(doc, 'aws_iam_policy')
    .filter(([, p]) => String(p['//']?.metadata?.path).includes('/ci-apply-permissions/'))
    .flatMap(([, p]) => policyOf(p.policy).Statement);

describe('audit trail', () => {
  for (const env of exampleEnvironments()) {
    const doc = stack(stacks, `${env.name}-bootstrap`);
    const trailArn = `arn:aws:cloudtrail:${env.region}:${env.accountId}:trail/${PREFIX}-${env.name}-audit`;
    const bucketName = `${PREFIX}-${env.name}-audit-${env.accountId}-${env.region}`;
    const [bucketId] = resourcesOf(doc, 'aws_s3_bucket').find(([, b]) => b.bucket === bucketName)!;
    const bucketRef = `\${aws_s3_bucket.${bucketId}`;
    /** The bucket the audit bucket's access logs go to, followed from its aws_s3_bucket_logging. */
    const accessLogBucketName = (() => {
      const [, logging] = resourcesOf(doc, 'aws_s3_bucket_logging').find(([, l]) => l.bucket === `${bucketRef}.id}`)!;
      return referenced(doc, 'aws_s3_bucket', logging.target_bucket, 'bucket')!.body.bucket as string;
    })();

    it(`${env.name}: one multi-region trail records every management event, with validated log files, KMS-encrypted`, () => {
      const [, trail] = only(doc, 'aws_cloudtrail');
      assert.equal(trail.name, `${PREFIX}-${env.name}-audit`);
      assert.equal(trail.is_multi_region_trail, true);
      assert.equal(trail.include_global_service_events, true, 'IAM, STS and sign-in events');
      assert.equal(trail.enable_log_file_validation, true);
      assert.equal(trail.enable_logging, true);
      assert.deepEqual(trail.event_selector, [{ include_management_events: true, read_write_type: 'All' }]);
      assert.equal(trail.s3_bucket_name, `${bucketRef}.bucket}`);
      const [, alias] = resourcesOf(doc, 'aws_kms_alias').find(([, a]) => a.name === `alias/${PREFIX}-${env.name}-audit`)!;
      assert.equal(trail.kms_key_id, alias.target_key_id.replace(/\.key_id\}$/, '.arn}'));
      const waitsForPolicy = trail.depends_on.some((d: string) => d.startsWith('aws_s3_bucket_policy.'));
      assert.ok(waitsForPolicy, 'CloudTrail checks the bucket policy on creation');
    });

    it(`${env.name}: only this trail may use the key and write to the bucket, and only under AWSLogs/<account>/`, () => {
      const [, alias] = resourcesOf(doc, 'aws_kms_alias').find(([, a]) => a.name === `alias/${PREFIX}-${env.name}-audit`)!;
      const keyId = /^\$\{aws_kms_key\.([^.]+)\.key_id\}$/.exec(alias.target_key_id)![1]!;
      const keyStatements = policyOf(resourcesOf(doc, 'aws_kms_key').find(([id]) => id === keyId)![1].policy).Statement;
      const cloudTrail = keyStatements.filter((s) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
      assert.deepEqual(cloudTrail.flatMap((s) => s.Action).sort(), ['kms:DescribeKey', 'kms:GenerateDataKey*']);
      for (const statement of cloudTrail) assert.equal(statement.Condition.StringEquals['aws:SourceArn'], trailArn);

      const [, policy] = resourcesOf(doc, 'aws_s3_bucket_policy').find(([, p]) => p.bucket === `${bucketRef}.id}`)!;
      const bucketStatements = policyOf(policy.policy).Statement;
      const writes = bucketStatements.find((s) => s.Sid === 'CloudTrailWritesLogFiles')!;
      assert.equal(writes.Resource, `${bucketRef}.arn}/AWSLogs/${env.accountId}/*`);
      assert.deepEqual(writes.Condition, {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn },
      });
      const allows = bucketStatements.filter((s) => s.Effect === 'Allow');
      const fromTheTrail = (s: any) =>
        s.Principal?.Service === 'cloudtrail.amazonaws.com' && s.Condition?.StringEquals?.['aws:SourceArn'] === trailArn;
      assert.ok(allows.length > 0 && allows.every(fromTheTrail));
      assert.ok(bucketStatements.some((s) => s.Sid === 'DenyInsecureTransport' && s.Effect === 'Deny'));
    });

    const retentionDays = env.observability.audit.logRetentionDays;
    it(`${env.name}: the bucket is protected like the state bucket and keeps the logs ${retentionDays} days`, () => {
      const bucket = resourcesOf(doc, 'aws_s3_bucket').find(([id]) => id === bucketId)![1];
      assert.equal(bucket.lifecycle?.prevent_destroy, true);
      const forBucket = (type: string) => resourcesOf(doc, type).find(([, r]) => r.bucket === `${bucketRef}.id}`)![1];
      assert.equal(forBucket('aws_s3_bucket_versioning').versioning_configuration.status, 'Enabled');
      const pab = forBucket('aws_s3_bucket_public_access_block');
      const blocks = [pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets];
      assert.deepEqual(blocks, [true, true, true, true]);
      const sse = forBucket('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default;
      assert.equal(sse.sse_algorithm, 'aws:kms');
      assert.equal(forBucket('aws_s3_bucket_logging').target_prefix, 'audit-bucket/');
      const rules = forBucket('aws_s3_bucket_lifecycle_configuration').rule;
      const expiry = rules.find((r: any) => r.id === 'expire-audit-logs');
      assert.deepEqual(expiry.expiration, [{ days: env.observability.audit.logRetentionDays }]);
      assert.equal(env.observability.audit.logRetentionDays, env.tier === 'production' ? 2557 : 365);
    });

    it(`${env.name}: AWS Backup keeps daily copies of the log files`, () => {
      const selections = resourcesOf(doc, 'aws_backup_selection').map(([, s]) => s);
      assert.ok(selections.some((s) => s.name === `${PREFIX}-${env.name}-backup-audit` && s.resources.includes(`${bucketRef}.arn}`)));
    });

    it(`${env.name}: the CI apply role and every bounded role are denied changing the trail or the log files`, () => {
      for (const [who, statements] of [
        ['permissions boundary', boundaryOf(doc)],
        ['CI apply policies', applyPolicies(doc)],
      ] as const) {
        const trailDeny = statements.find((s) => s.Sid === 'NoAuditTrailChanges');
        const expected = { Sid: 'NoAuditTrailChanges', Effect: 'Deny', Action: [...AUDIT_TRAIL_PROTECTION_ACTIONS], Resource: trailArn };
        assert.deepEqual(trailDeny, expected, who);
        const objectDeny = statements.find((s) => s.Sid === 'NoAuditLogRewrites')!;
        assert.deepEqual([objectDeny.Action].flat().sort(), [...AUDIT_OBJECT_PROTECTION_ACTIONS].sort(), who);
        // The log files and the bucket of their access logs (who read or wrote them).
        const buckets = [bucketName, accessLogBucketName];
        assert.deepEqual(
          objectDeny.Resource,
          buckets.map((bucket) => `arn:aws:s3:::${bucket}/*`),
          who,
        );
        const bucketDeny = statements.find((s) => s.Sid === 'NoAuditBucketProtectionChanges')!;
        assert.deepEqual(
          bucketDeny.Resource,
          buckets.map((bucket) => `arn:aws:s3:::${bucket}`),
          who,
        );
        assert.ok(bucketDeny.Action.includes('s3:PutBucketLogging'), who);
      }
    });
  }

  it('the destructive-change guard protects trails', () => {
    assert.ok(protectionReason('aws_cloudtrail'));
  });

  it("with the organization's trail named in config, the account gets no trail of its own, and still the alert", () => {
    const env = configOfTier('production', (raw) => {
      raw.environment.observability.audit.organizationTrailArn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
    });
    const doc = synthesizeLayer(env, 'bootstrap');
    assert.deepEqual(resourcesOf(doc, 'aws_cloudtrail'), []);
    assert.ok(!resourcesOf(doc, 'aws_s3_bucket').some(([, b]) => String(b.bucket).startsWith(`${PREFIX}-${PROD}-audit-`)));
    assert.ok(!resourcesOf(doc, 'aws_backup_selection').some(([, s]) => s.name === `${PREFIX}-${PROD}-backup-audit`));
    assert.ok(!boundaryOf(doc).some((s) => String(s.Sid).startsWith('NoAudit')), 'nothing of ours to protect');
    const network = synthesizeLayer(env, 'network');
    assert.ok(resourcesOf(network, 'aws_cloudwatch_event_rule').some(([, r]) => r.name === `${PREFIX}-${PROD}-out-of-band-changes`));
  });
});
