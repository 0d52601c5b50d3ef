import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  AllowError,
  MIN_REASON_LENGTH,
  entriesForStack,
  parseAllowArgument,
  parseAllowFile,
  type AllowEntry,
} from '../../src/checks/guard/allow';
import { evaluatePlan, type GuardResult } from '../../src/checks/guard/evaluate';
import { PlanFormatError, parsePlanText, type Plan } from '../../src/checks/guard/plan';
import { PROTECTED_RESOURCE_TYPES } from '../../src/checks/guard/protected';
import { renderMarkdown, renderText } from '../../src/checks/guard/report';
import { FIXTURES, planFixture } from './helpers';

function load(name: string): Plan {
  return parsePlanText(readFileSync(planFixture(name), 'utf8'), `${name}.json`);
}

function guard(name: string, allow: readonly AllowEntry[] = [], stack?: string): GuardResult {
  return evaluatePlan(load(name), allow, stack);
}

const blockedAddresses = (result: GuardResult) => result.blocked.map((item) => item.change.address);
const allow = (address: string, reason = 'data migrated to the new store in this change') => parseAllowArgument(`${address}=${reason}`);

describe('protected resource list', () => {
  it('covers every type the delivery issue names, in one place', () => {
    for (const type of [
      'aws_db_instance',
      'aws_elasticache_replication_group',
      'aws_opensearch_domain',
      'aws_s3_bucket',
      'aws_kms_key',
      'aws_dynamodb_table',
      'aws_eks_cluster',
      'aws_secretsmanager_secret',
      'aws_cloudwatch_log_group',
      'aws_codeconnections_connection',
    ]) {
      assert.ok(PROTECTED_RESOURCE_TYPES[type], `${type} is protected`);
    }
  });
});

describe('plan corpus', () => {
  const valid = readdirSync(join(FIXTURES, 'plans')).filter((file) => !file.startsWith('malformed-'));

  it('parses every well-formed plan of the corpus', () => {
    assert.ok(valid.length >= 10);
    for (const file of valid) assert.doesNotThrow(() => load(file.replace(/\.json$/, '')), file);
  });

  it('reads format and Terraform version', () => {
    const plan = load('create');
    assert.equal(plan.formatVersion, '1.2');
    assert.equal(plan.terraformVersion, '1.13.5');
  });
});

describe('guard verdicts', () => {
  it('passes a plan that only creates resources, grouped under create', () => {
    const result = guard('create');
    assert.equal(result.passed, true);
    assert.deepEqual([...result.groups.keys()], ['create']);
    assert.equal(result.groups.get('create')!.length, 2);
  });

  it('passes in-place updates of protected resources', () => {
    const result = guard('update-in-place');
    assert.equal(result.passed, true);
    assert.deepEqual(
      result.groups.get('update')!.map((c) => c.type),
      ['aws_db_instance', 'aws_cloudwatch_log_group'],
    );
  });

  it('fails on deleting protected resources, including for_each instances and deposed objects, but not other types', () => {
    const result = guard('delete');
    assert.equal(result.passed, false);
    assert.deepEqual(blockedAddresses(result), [
      'aws_s3_bucket.media_bucket_4F2A9C1D',
      'aws_secretsmanager_secret.service_secret["svc-feed"]',
      'aws_dynamodb_table.legacy_lock_11223344',
    ]);
    assert.ok(!blockedAddresses(result).some((a) => a.startsWith('aws_vpc_security_group_ingress_rule')));
    assert.equal(result.blocked[2].change.deposed, '00000001');
  });

  it('reports a create-before-destroy replacement of a protected resource', () => {
    const result = guard('replace-create-before-destroy');
    assert.equal(result.passed, false);
    assert.deepEqual(blockedAddresses(result), ['aws_db_instance.postgres_db_7C1E55AB']);
    assert.equal(result.blocked[0].change.kind, 'replace-create-first');
    assert.equal(result.blocked[0].change.actionReason, 'replace_because_cannot_update');
    assert.match(renderText(result, 'plan.json'), /BLOCKED aws_db_instance\.postgres_db_7C1E55AB: replace \(create, then destroy\)/);
  });

  it('reports delete-first replacements (including tainted ones) of protected resources only', () => {
    const result = guard('replace-delete-first');
    assert.deepEqual(blockedAddresses(result), ['aws_elasticache_replication_group.cache_rg_2B9D4F11', 'aws_kms_key.data_key_3C4D5E6F']);
    assert.ok(result.blocked.every((item) => item.change.kind === 'replace-delete-first'));
    assert.equal(result.groups.get('replace-delete-first')!.length, 3);
  });

  it('blocks updates that remove protection, and passes updates that keep it', () => {
    const result = guard('destructive-updates', [], 'prod-data');
    assert.deepEqual(blockedAddresses(result), [
      'aws_s3_bucket_versioning.state_state_versioning_1A2B3C4D',
      'aws_db_instance.postgres_instance_7C1E55AB',
      'aws_kms_key.data_key_3C4D5E6F',
      'aws_s3_bucket_public_access_block.media_block_9A8B7C6D',
      'aws_s3_bucket_policy.media_policy_5E6F7A8B',
      'aws_cloudtrail.audit',
    ]);
    const reasons = new Map(result.blocked.map((item) => [item.change.address, item.protection]));
    assert.match(reasons.get('aws_s3_bucket_versioning.state_state_versioning_1A2B3C4D')!, /suspends versioning/);
    assert.match(reasons.get('aws_db_instance.postgres_instance_7C1E55AB')!, /deletion protection; sets backup retention to 0/);
    assert.match(reasons.get('aws_kms_key.data_key_3C4D5E6F')!, /replaces the key policy/);
    assert.match(reasons.get('aws_s3_bucket_policy.media_policy_5E6F7A8B')!, /public/);
    assert.equal(reasons.get('aws_cloudtrail.audit'), 'update stops the trail logging; turns off log file validation');
    // The same policy with its keys reordered, and a longer backup retention, are not destructive.
    assert.ok(!blockedAddresses(result).includes('aws_kms_key.platform_key_0A1B2C3D'));
    assert.ok(!blockedAddresses(result).includes('aws_db_instance.replica_instance_11223344'));
    assert.ok(!blockedAddresses(result).includes('aws_cloudtrail.audit-adds-topic'), 'a trail that keeps logging');
    const text = renderText(result, 'plan.json');
    const line = 'BLOCKED aws_kms_key.data_key_3C4D5E6F: update in place of a protected aws_kms_key (update replaces the key policy)';
    assert.ok(text.includes(line), text);
  });

  it('fails on updates AWS refuses (a version downgrade or a skipped step), which no entry can approve', () => {
    const entry = parseAllowArgument('aws_eks_cluster.skips=the cluster will be rebuilt next week anyway');
    const result = guard('refused-updates', [entry]);
    assert.deepEqual(blockedAddresses(result), []);
    assert.deepEqual(
      result.refused.map((item) => item.change.address),
      ['aws_eks_cluster.skips', 'aws_elasticache_replication_group.older', 'aws_opensearch_domain.past_bridge'],
    );
    const reasons = new Map(result.refused.map((item) => [item.change.address, item.reasons.join('; ')]));
    assert.match(reasons.get('aws_eks_cluster.skips')!, /^EKS upgrades the control plane one minor version .*apply 1\.35 first/);
    assert.match(reasons.get('aws_elasticache_replication_group.older')!, /cannot downgrade an engine version \(8\.1 → 8\.0\)/);
    assert.match(reasons.get('aws_opensearch_domain.past_bridge')!, /upgrades to 2\.19 before 3\.x/);
    assert.deepEqual(result.allowed, [], 'the entry approves nothing');
    assert.equal(result.passed, false);
    const text = renderText(result, 'plan.json');
    assert.match(text, /^REFUSED aws_eks_cluster\.skips: AWS refuses this update: EKS upgrades/m);
    assert.match(text, /^guard failed: 3 updates AWS refuses$/m);
    assert.match(text, /no allow entry approves what AWS refuses/);
    assert.doesNotMatch(text, /approve each one with a reason/);
    assert.match(renderMarkdown(result, 'plan.json'), /#### Refused by AWS: the apply would fail\n\n\| resource \| why \|/);
  });

  it('lets an allow entry approve a destructive update like a replacement', () => {
    const entries = parseAllowFile(
      JSON.stringify([
        { stack: 'prod-data', address: 'aws_kms_key.data_key_3C4D5E6F', reason: 'key policy rewrite reviewed by security in SEC-77' },
      ]),
      'guard-allow.json',
    );
    const result = guard('destructive-updates', entriesForStack(entries, 'prod-data'), 'prod-data');
    assert.equal(result.allowed.map((item) => item.change.address).join(), 'aws_kms_key.data_key_3C4D5E6F');
    assert.ok(!blockedAddresses(result).includes('aws_kms_key.data_key_3C4D5E6F'));
  });

  it('protects the recovery resources against deletion', () => {
    const recoveryTypes = ['aws_backup_vault', 'aws_backup_vault_lock_configuration', 'aws_backup_plan', 'aws_backup_selection'];
    for (const type of [...recoveryTypes, 'aws_s3_bucket_versioning', 'aws_s3_bucket_replication_configuration']) {
      assert.ok(PROTECTED_RESOURCE_TYPES[type], type);
    }
  });

  it('ignores data reads and no-ops', () => {
    const reads = guard('data-reads');
    assert.equal(reads.passed, true);
    assert.equal(reads.groups.get('read')!.length, 2);
    assert.equal(reads.groups.get('no-op')!.length, 1);
    const noop = guard('no-op');
    assert.equal(noop.passed, true);
    assert.deepEqual([...noop.groups.keys()], ['no-op']);
  });

  it('treats moved resources as moves, and still guards a moved resource that is replaced', () => {
    const result = guard('moved');
    const move = result.groups.get('move')!;
    assert.deepEqual(
      move.map((c) => [c.address, c.previousAddress]),
      [['aws_s3_bucket.media_4F2A9C1D', 'aws_s3_bucket.media_bucket_4F2A9C1D']],
    );
    assert.equal(result.groups.get('update')![0].previousAddress, 'aws_cloudwatch_log_group.eks_logs_1F2E3D4C');
    assert.deepEqual(blockedAddresses(result), ['aws_kms_key.data']);
    // Moves of protected resources are reported as such, whatever else the plan does to them.
    assert.deepEqual(
      result.moved.map((c) => `${c.previousAddress} -> ${c.address}`),
      [
        'aws_s3_bucket.media_bucket_4F2A9C1D -> aws_s3_bucket.media_4F2A9C1D',
        'aws_cloudwatch_log_group.eks_logs_1F2E3D4C -> aws_cloudwatch_log_group.eks_control_plane',
        'aws_kms_key.data_key_3C4D5E6F -> aws_kms_key.data',
      ],
    );
    const moved = /^MOVED aws_s3_bucket\.media_bucket_4F2A9C1D -> aws_s3_bucket\.media_4F2A9C1D: a protected aws_s3_bucket changes/m;
    assert.match(renderText(result, 'plan.json'), moved);
    const section = /#### Protected resources moved to a new address\n\nA `moved` block carries their state over/;
    assert.match(renderMarkdown(result, 'plan.json'), section);
  });

  it('accepts an allow entry written for the address before the move', () => {
    const result = guard('moved', [allow('aws_kms_key.data_key_3C4D5E6F', 'key spec change approved by security, ticket SEC-42')]);
    assert.equal(result.passed, true);
    assert.equal(result.allowed[0].change.address, 'aws_kms_key.data');
  });

  it('treats imports as imports, not as creations', () => {
    const result = guard('imported');
    assert.equal(result.passed, true);
    assert.deepEqual(
      result.groups.get('import')!.map((c) => c.address),
      ['aws_s3_bucket.legacy_assets'],
    );
    assert.equal(result.groups.get('update')![0].importing, true);
    assert.equal(result.groups.has('create'), false);
  });

  it('passes a plan without changes (Terraform omits resource_changes)', () => {
    const result = guard('no-changes');
    assert.equal(result.passed, true);
    assert.equal(result.groups.size, 0);
    assert.match(renderMarkdown(result, 'plan.json'), /No resource changes\./);
  });

  it('reports changes made outside Terraform', () => {
    const result = guard('drift', [], 'dev-network');
    assert.equal(result.plan.drift.length, 2);
    const markdown = renderMarkdown(result, 'plan.json');
    assert.match(markdown, /Changed outside Terraform since the last apply \(2\)/);
    assert.match(markdown, /`aws_cloudwatch_log_group\.flow_logs_5D0B9E21`: deleted outside Terraform/);
  });
});

describe('allow entries', () => {
  it('let a protected deletion through when they carry a reason, and only that one', () => {
    const entry = allow('aws_s3_bucket.media_bucket_4F2A9C1D', 'media moved to the shared bucket in change 123');
    const result = guard('delete', [entry]);
    assert.equal(result.passed, false);
    assert.deepEqual(
      result.allowed.map((item) => [item.change.address, item.allow.reason]),
      [['aws_s3_bucket.media_bucket_4F2A9C1D', 'media moved to the shared bucket in change 123']],
    );
    assert.ok(!blockedAddresses(result).includes('aws_s3_bucket.media_bucket_4F2A9C1D'));
  });

  it('pass the run when every protected change is approved', () => {
    const result = guard('replace-create-before-destroy', [allow('aws_db_instance.postgres_db_7C1E55AB')]);
    assert.equal(result.passed, true);
    assert.deepEqual(result.stale, []);
    const markdown = renderMarkdown(result, 'plan.json');
    assert.match(markdown, /Approved destructive changes/);
    assert.match(markdown, /data migrated to the new store in this change/);
  });

  it('are reported as stale when they match nothing', () => {
    const entry = allow('aws_db_instance.gone_1234', 'removed last week, entry should have been deleted');
    const result = guard('create', [entry]);
    assert.equal(result.passed, true);
    assert.deepEqual(result.stale, [entry]);
    assert.match(renderText(result, 'plan.json'), /STALE allow entry for aws_db_instance\.gone_1234/);
    assert.match(renderText(result, 'plan.json'), /^guard passed \(1 stale allow entry\)$/m);
  });

  it('fail the verdict, in every report, when stale entries must fail the run', () => {
    const entry = allow('aws_db_instance.gone_1234', 'removed last week, entry should have been deleted');
    const result = evaluatePlan(load('create'), [entry], 'dev-data', { failOnStale: true });
    assert.equal(result.passed, false);
    const text = renderText(result, 'plan.json');
    assert.match(text, /^guard failed: 1 stale allow entry \(--fail-on-stale\)$/m);
    assert.doesNotMatch(text, /guard passed/);
    assert.match(renderMarkdown(result, 'plan.json'), /\*\*:x: guard failed: 1 stale allow entry \(--fail-on-stale\)\*\*/);
  });

  it('are rejected without a reason, or with a reason too short to mean anything', () => {
    assert.throws(
      () => parseAllowArgument('aws_s3_bucket.media'),
      (error: unknown) => error instanceof AllowError && /needs a reason/.test(error.message),
    );
    assert.throws(() => parseAllowArgument('aws_s3_bucket.media=   '), /needs a reason/);
    assert.throws(() => parseAllowArgument('aws_s3_bucket.media=ok'), new RegExp(`at least ${MIN_REASON_LENGTH} characters`));
    const reason = 'a perfectly long reason here';
    assert.throws(() => parseAllowArgument(`=${reason}`), /not a resource address: expected a resource type at position 1/);
  });

  it('approve any legal Terraform address, for_each keys with spaces, "=" and quotes included', () => {
    const spaced = 'aws_s3_bucket.archive["media 2024"]';
    const nested = 'module.stores["eu=west"].aws_dynamodb_table.lock["a \\"quoted\\" key"]';
    const fromArgument = parseAllowArgument(`${nested}=old lock table retired in CHG-77, state moved`);
    assert.equal(fromArgument.address, nested);
    assert.equal(fromArgument.reason, 'old lock table retired in CHG-77, state moved');
    const archive = { stack: 'dev-data', address: spaced, reason: 'the 2024 archive moved to Glacier, CHG-12' };
    const fromFile = parseAllowFile(JSON.stringify([archive]), 'a.json');
    const result = guard('for-each-keys', [fromArgument, ...fromFile]);
    assert.equal(result.passed, true, renderText(result, 'plan.json'));
    assert.deepEqual(result.allowed.map((item) => item.change.address).sort(), [nested, spaced].sort());
  });

  it('reject what is not a resource address, saying where', () => {
    const why = '=a perfectly long reason here';
    assert.throws(() => parseAllowArgument(`aws_s3_bucket${why}`), /not a resource address: expected "\." after resource type/);
    assert.throws(() => parseAllowArgument(`aws_s3_bucket.b["open${why}`), /unterminated string key/);
    assert.throws(() => parseAllowArgument(`aws_s3_bucket.b[x]${why}`), /an index must be a number or a quoted string/);
    assert.throws(() => parseAllowArgument(`aws_s3_bucket.b extra${why}`), /unexpected " extra=.*" after the address aws_s3_bucket\.b/);
    const file = (address: string) => JSON.stringify([{ stack: 'dev-data', address, reason: 'a perfectly long reason here' }]);
    const tail = /a\.json\[0\]: "aws_s3_bucket\.b\[\\"k\\"\] tail" is not a resource address: unexpected " tail"/;
    assert.throws(() => parseAllowFile(file('aws_s3_bucket.b["k"] tail'), 'a.json'), tail);
    const trimmed = parseAllowFile(file('  data.aws_iam_policy_document.p[0]  '), 'a.json').map((e) => e.address);
    assert.deepEqual(trimmed, ['data.aws_iam_policy_document.p[0]']);
  });

  it('keep "=" inside the reason', () => {
    assert.equal(
      parseAllowArgument('aws_kms_key.data=rotate: old key=compromised, see INC-7').reason,
      'rotate: old key=compromised, see INC-7',
    );
  });

  it('from a file must name their stack, and apply only to it', () => {
    const file = JSON.stringify([
      { stack: 'prod-data', address: 'aws_db_instance.postgres_db_7C1E55AB', reason: 'restore from snapshot drill, CHG-981' },
      { stack: 'dev-data', address: 'aws_s3_bucket.media_bucket_4F2A9C1D', reason: 'dev media bucket is recreated empty' },
    ]);
    const entries = parseAllowFile(file, 'guard-allow.json');
    assert.deepEqual(
      entries.map((e) => e.source),
      ['guard-allow.json[0]', 'guard-allow.json[1]'],
    );
    const devOnly = entriesForStack(entries, 'dev-data');
    assert.deepEqual(
      devOnly.map((e) => e.stack),
      ['dev-data'],
    );
    // The prod approval must not let the same address through in dev.
    const result = guard('replace-create-before-destroy', devOnly, 'dev-data');
    assert.equal(result.passed, false);

    assert.throws(
      () => parseAllowFile(JSON.stringify([{ address: 'aws_s3_bucket.x', reason: 'long enough reason text' }]), 'a.json'),
      /a\.json\[0\]: "stack" is required/,
    );
    assert.throws(
      () => parseAllowFile(JSON.stringify([{ stack: 'dev-data', address: 'aws_s3_bucket.x' }]), 'a.json'),
      /a\.json\[0\]: allowing aws_s3_bucket\.x needs a reason/,
    );
    assert.throws(
      () =>
        parseAllowFile(
          JSON.stringify([{ stack: 'dev-data', address: 'aws_s3_bucket.x', reason: 'long enough reason text', expires: 'x' }]),
          'a.json',
        ),
      /unknown field\(s\) expires/,
    );
    assert.throws(() => parseAllowFile('{"stack": "dev-data"}', 'a.json'), /a\.json: expected a JSON array/);
    assert.throws(() => parseAllowFile('[', 'a.json'), /a\.json: is not valid JSON/);
  });
});

describe('malformed plans', () => {
  const cases: ReadonlyArray<readonly [string, RegExp]> = [
    ['malformed-truncated', /malformed-truncated\.json: is not valid JSON/],
    ['malformed-log-stream', /looks like the log stream of `terraform plan -json`/],
    ['malformed-array', /expected a JSON object/],
    ['malformed-no-format-version', /format_version: expected a string/],
    ['malformed-format-version', /format_version: "2\.0" is not supported/],
    ['malformed-state', /this is a state representation, not a plan/],
    ['malformed-errored', /the plan errored/],
    ['malformed-missing-address', /resource_changes\[0\]\.address: expected a non-empty string, got nothing/],
    [
      'malformed-actions',
      new RegExp(
        [
          /resource_changes\[0\] \(aws_s3_bucket\.media_bucket_4F2A9C1D\)\.change\.actions: /.source,
          /expected a non-empty array of strings.*got string "delete"/.source,
        ].join(''),
      ),
    ],
    ['malformed-unknown-action', /unsupported combination \["destroy"\]/],
  ];
  for (const [name, message] of cases) {
    it(`rejects ${name} with a message naming the file and the problem`, () => {
      assert.throws(
        () => load(name),
        (error: unknown) => {
          assert.ok(error instanceof PlanFormatError);
          assert.match(error.message, new RegExp(`^${name}\\.json: `));
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('reports', () => {
  it('list changes grouped by action, destructive ones first, without listing no-ops one by one', () => {
    const text = renderText(guard('data-reads'), 'plan.json');
    assert.match(text, /read data source: 2 \(not listed\)/);
    assert.match(text, /no change: 1 \(not listed\)/);
    const del = renderText(guard('delete'), 'plan.json').split('\n');
    assert.equal(del[1], 'destroy (4):');
  });

  it('escape Markdown table cells taken from allow reasons', () => {
    const entry = allow('aws_db_instance.postgres_db_7C1E55AB', 'a | b <script> split | across cells');
    const markdown = renderMarkdown(guard('replace-create-before-destroy', [entry]), 'plan.json');
    assert.match(markdown, /a \\\| b &lt;script&gt; split \\\| across cells/);
  });

  it('tell how to approve a blocked change for the stack being checked', () => {
    const markdown = renderMarkdown(guard('replace-create-before-destroy', [], 'dev-data'), 'plan.json');
    assert.match(markdown, /:x: guard failed/);
    assert.match(markdown, /\{"stack":"dev-data","address":"aws_db_instance\.postgres_db_7C1E55AB","reason":"<why this is intended>"\}/);
  });
});
