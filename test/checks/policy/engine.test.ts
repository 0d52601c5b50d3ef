import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadRules, runPolicies } from '../../../src/checks/policy/engine';
import { definePolicyRule, type PolicyRule } from '../../../src/checks/policy/rule';
import { addressMatches, loadSuppressions, parseSuppressions } from '../../../src/checks/policy/suppressions';
import { readFixture, REPO_ROOT, stackOf } from '../fixtures';

const FOUNDATION = [
  'S3_001',
  'S3_002',
  'S3_003',
  'S3_004',
  'S3_005',
  'KMS_001',
  'DDB_001',
  'DDB_002',
  'VPC_001',
  'VPC_002',
  'SG_001',
  'BACKEND_001',
  'PROVIDER_001',
];
const rules = loadRules();
const known = new Set(rules.map((r) => r.id));
const temp = mkdtempSync(join(tmpdir(), 'policy-engine-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('rule loading', () => {
  it('loads every rule module of the rules folder, ids unique', () => {
    for (const id of FOUNDATION) assert.ok(known.has(id), `missing ${id}`);
    assert.equal(known.size, rules.length);
  });

  it('rejects a rule module without a default-exported rule', () => {
    const dir = mkdtempSync(join(temp, 'bad-'));
    writeFileSync(join(dir, 'not-a-rule.js'), 'exports.rule = { id: "X_001" };');
    assert.throws(() => loadRules(dir), /not-a-rule\.js: must `export default definePolicyRule/);
  });

  it('rejects duplicate rule ids', () => {
    const dir = mkdtempSync(join(temp, 'dup-'));
    const source = 'exports.default = { id: "DUP_001", title: "t", severity: "low", scope: "stack", check: () => [] };';
    writeFileSync(join(dir, 'a.js'), source);
    writeFileSync(join(dir, 'b.js'), source);
    assert.throws(() => loadRules(dir), /duplicate policy rule id DUP_001/);
  });

  it('rejects malformed rules when they are defined', () => {
    const check = () => [];
    assert.throws(() => definePolicyRule({ id: 's3 rule', title: 't', severity: 'low', scope: 'stack', check }), /id must look like/);
    assert.throws(
      () => definePolicyRule({ id: 'X_001', title: 't', severity: 'urgent' as 'low', scope: 'stack', check }),
      /severity must be one of/,
    );
    assert.throws(
      () => definePolicyRule({ id: 'X_001', title: 't', severity: 'low', resourceTypes: [], check } as PolicyRule),
      /either resourceTypes/,
    );
    assert.doesNotThrow(() =>
      definePolicyRule({ id: 'no-public-buckets', title: 't', severity: 'low', resourceTypes: ['aws_s3_bucket'], check }),
    );
  });
});

describe('running rules', () => {
  const doc = readFixture('policy', 'kms-keys.json');

  it('points findings at the resource address, JSON path and line', () => {
    const [finding] = runPolicies([stackOf(doc, 'dev-bootstrap')], rules).findings.filter((f) => f.address === 'aws_kms_key.unrotated');
    assert.equal(finding!.rule, 'KMS_001');
    assert.equal(finding!.path, 'resource.aws_kms_key.unrotated');
    assert.equal(finding!.environment, 'dev');
    assert.equal(typeof finding!.line, 'number');
  });

  it('reports a rule that throws as an error instead of crashing the run', () => {
    const broken = definePolicyRule({
      id: 'BROKEN_001',
      title: 'b',
      severity: 'low',
      resourceTypes: ['aws_kms_key'],
      check: () => {
        throw new Error('boom');
      },
    });
    const { issues } = runPolicies([stackOf(doc)], [broken]);
    assert.equal(issues[0]!.level, 'error');
    assert.match(issues[0]!.message, /rule BROKEN_001 failed on dev-network aws_kms_key\.\w+: Error: boom/);
  });

  it('passes data sources to rules that ask for them with the data. prefix', () => {
    const seen: string[] = [];
    const rule = definePolicyRule({
      id: 'SEE_001',
      title: 's',
      severity: 'low',
      resourceTypes: ['data.aws_iam_policy_document'],
      check: ({ address }) => (seen.push(address), []),
    });
    runPolicies([stackOf(readFixture('policy', 's3-secure-buckets.json'))], [rule]);
    assert.deepEqual(seen.sort(), ['data.aws_iam_policy_document.data_base', 'data.aws_iam_policy_document.data_tls']);
  });
});

describe('suppressions', () => {
  const entry = {
    rule: 'KMS_001',
    address: 'aws_kms_key.unrotated',
    reason: 'imported legacy key; rotation enabled by the key owner in Q3',
  };

  it('rejects a suppression without a reason, or with a token reason', () => {
    const { active, issues } = parseSuppressions(
      [
        { rule: 'KMS_001', address: 'aws_kms_key.x' },
        { ...entry, reason: 'ok' },
      ],
      'policy/suppressions.json',
      known,
    );
    assert.deepEqual(active, []);
    assert.equal(issues.length, 2);
    for (const issue of issues) {
      assert.equal(issue.level, 'error');
      assert.match(issue.message, /"reason" is required/);
    }
  });

  it('rejects unknown rules, unknown keys, bad dates and non-arrays', () => {
    const { issues } = parseSuppressions(
      [
        { ...entry, rule: 'KMS_999' },
        { ...entry, owner: 'me' },
        { ...entry, expires: '2026-02-30' },
      ],
      'f.json',
      known,
    );
    assert.deepEqual(
      issues.map((i) => i.level),
      ['error', 'error', 'error'],
    );
    assert.match(issues[0]!.message, /unknown rule "KMS_999"/);
    assert.match(issues[1]!.message, /unknown key "owner"/);
    assert.match(issues[2]!.message, /"expires" must be a date/);
    assert.equal(parseSuppressions({}, 'f.json', known).issues[0]!.level, 'error');
  });

  it('stops applying an expired suppression and warns about it', () => {
    const { active, expired, issues } = parseSuppressions([{ ...entry, expires: '2024-01-31' }], 'f.json', known, '2024-02-01');
    assert.deepEqual(active, []);
    assert.equal(expired.length, 1);
    assert.equal(issues[0]!.level, 'warning');
    assert.equal(parseSuppressions([{ ...entry, expires: '2024-01-31' }], 'f.json', known, '2024-01-31').active.length, 1);
  });

  it('keeps suppressed findings, marked with the suppression', () => {
    const { active } = parseSuppressions([entry], 'f.json', known);
    const { findings } = runPolicies([stackOf(readFixture('policy', 'kms-keys.json'), 'dev-bootstrap')], rules, { suppressions: active });
    const suppressed = findings.filter((f) => f.suppressedBy);
    assert.deepEqual(
      suppressed.map((f) => f.address),
      ['aws_kms_key.unrotated'],
    );
    assert.equal(suppressed[0]!.suppressedBy!.reason, entry.reason);
    assert.ok(findings.some((f) => f.address === 'aws_kms_key.disabled' && !f.suppressedBy));
  });

  it('matches stack globs and address globs', () => {
    assert.equal(addressMatches('*-bootstrap/aws_s3_bucket.logs', 'prod-bootstrap', 'aws_s3_bucket.logs'), true);
    assert.equal(addressMatches('*-bootstrap/aws_s3_bucket.logs', 'prod-network', 'aws_s3_bucket.logs'), false);
    assert.equal(addressMatches('aws_s3_bucket.logs', 'prod-network', 'aws_s3_bucket.logs'), true);
    assert.equal(addressMatches('prod-*/aws_security_group.alb_*', 'prod-edge', 'aws_security_group.alb_public'), true);
    assert.equal(addressMatches('aws_s3_bucket.logs', 'prod-network', 'aws_s3_bucket.logs_archive'), false);
    assert.equal(addressMatches('aws_x.y["a/b"]', 'dev-data', 'aws_x.y["a/b"]'), true);
  });

  it('warns about suppressions that match nothing', () => {
    const { active } = parseSuppressions([{ ...entry, address: 'aws_kms_key.gone' }], 'f.json', known);
    const { issues } = runPolicies([stackOf(readFixture('policy', 'kms-keys.json'))], rules, { suppressions: active });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.level, 'warning');
    assert.match(issues[0]!.message, /matches no finding/);
  });

  it('the committed policy/suppressions.json is valid', () => {
    const { issues } = loadSuppressions(join(REPO_ROOT, 'policy', 'suppressions.json'), known);
    assert.deepEqual(
      issues.filter((i) => i.level === 'error'),
      [],
    );
  });
});
