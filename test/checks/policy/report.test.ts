import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRules, runPolicies } from '../../../src/checks/policy/engine';
import { outcome, render, type CheckReport } from '../../../src/checks/policy/report';
import { parseSuppressions } from '../../../src/checks/policy/suppressions';
import type { SchemaProblem } from '../../../src/checks/schema/validate';
import { readFixture, stackOf } from '../fixtures';

const rules = loadRules();
const stack = stackOf(readFixture('policy', 'kms-keys.json'), 'dev-bootstrap');
const reason = 'imported legacy key; rotation enabled by the key owner in Q3';
const { active } = parseSuppressions(
  [{ rule: 'KMS_001', address: 'dev-*/aws_kms_key.unrotated', reason }],
  'policy/suppressions.json',
  new Set(rules.map((r) => r.id)),
);
const { findings, issues } = runPolicies([stack], rules, { suppressions: active });
const schemaProblem: SchemaProblem = {
  kind: 'unknown-argument',
  stack: 'dev-bootstrap',
  file: stack.file,
  path: 'resource.aws_kms_key.rotated.colour',
  address: 'aws_kms_key.rotated',
  line: 3,
  message: 'unknown argument "colour" in aws_kms_key.rotated',
};

function report(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    stacks: [{ name: stack.name, file: stack.file }],
    ran: { schema: true, policy: true },
    schemaProblems: [],
    findings,
    issues,
    rules,
    failOn: 'low',
    ...overrides,
  };
}

describe('report', () => {
  it('fails on an unsuppressed finding at or above the threshold only', () => {
    assert.equal(outcome(report()).failed, true);
    assert.equal(outcome(report({ failOn: 'high' })).failed, false, 'KMS_001 is medium');
    assert.equal(outcome(report({ failOn: 'high', schemaProblems: [schemaProblem] })).failed, true, 'schema problems always fail');
    assert.equal(outcome(report({ failOn: 'high', issues: [{ level: 'error', message: 'bad suppression' }] })).failed, true);
    assert.equal(outcome(report({ findings: findings.filter((f) => f.suppressedBy) })).failed, false, 'suppressed findings do not fail');
    assert.equal(outcome(report({ stacks: [], findings: [] })).failed, true, 'no stacks is a failure');
  });

  it('summarizes in one line', () => {
    assert.equal(
      outcome(report()).summary,
      'check FAILED: 1 stack, 0 schema problems, 1 finding (1 medium), 1 suppressed (fail on low and above)',
    );
  });

  it('lists suppressed findings with their reason in the table', () => {
    const text = render(report({ schemaProblems: [schemaProblem] }), 'table');
    assert.match(text, /Schema problems \(1\)/);
    assert.match(text, /Policy findings \(1\)\n.*\n.*\nmedium\s+KMS_001\s+dev-bootstrap\s+aws_kms_key\.disabled/);
    assert.match(text, /Suppressed findings \(1\)[\s\S]*aws_kms_key\.unrotated[\s\S]*suppressed: imported legacy key/);
    assert.match(text, /check FAILED/);
  });

  it('renders JSON with suppressed findings and a summary', () => {
    const json = JSON.parse(render(report(), 'json'));
    assert.equal(json.summary.failed, true);
    assert.equal(json.summary.suppressed, 1);
    const suppressed = json.findings.filter((f: { suppressed: unknown }) => f.suppressed !== null);
    assert.deepEqual(
      suppressed.map((f: { address: string; suppressed: { reason: string } }) => [f.address, f.suppressed.reason]),
      [['aws_kms_key.unrotated', reason]],
    );
  });

  it('renders SARIF 2.1.0 that GitHub code scanning accepts', () => {
    const sarif = JSON.parse(render(report({ schemaProblems: [schemaProblem] }), 'sarif'));
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    const driverRules: { id: string; shortDescription: { text: string }; properties: Record<string, unknown> }[] = run.tool.driver.rules;
    assert.equal(typeof run.tool.driver.name, 'string');
    assert.ok(driverRules.some((r) => r.id === 'KMS_001' && r.shortDescription.text.length > 0));
    assert.ok(driverRules.some((r) => r.id === 'schema/unknown-argument'));
    assert.equal(new Set(driverRules.map((r) => r.id)).size, driverRules.length, 'rule ids are unique');
    assert.equal(run.results.length, 2, 'the schema problem and the open finding; the suppressed one stays out');
    for (const result of run.results) {
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      assert.equal(typeof result.message.text, 'string');
      assert.equal(driverRules[result.ruleIndex]!.id, result.ruleId);
      const [location] = result.locations;
      assert.equal(location.physicalLocation.artifactLocation.uri, 'cdktf.out/stacks/dev-bootstrap/cdk.tf.json');
      assert.ok(location.physicalLocation.region.startLine >= 1);
      assert.match(location.logicalLocations[0].fullyQualifiedName, /^dev-bootstrap\/aws_kms_key\./);
      assert.equal(typeof Object.values(result.partialFingerprints)[0], 'string');
    }
    const kms = run.results.filter((r: { ruleId: string }) => r.ruleId === 'KMS_001');
    assert.deepEqual(
      kms.map((r: { locations: { logicalLocations: { name: string }[] }[] }) => r.locations[0]!.logicalLocations[0]!.name),
      ['aws_kms_key.disabled'],
    );
    assert.ok(run.results.every((r: { suppressions?: unknown }) => r.suppressions === undefined));
    const notes = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    assert.ok(
      notes.some((text: string) => /^1 suppressed finding not uploaded/.test(text)),
      notes.join('; '),
    );
    const schema = run.results.find((r: { ruleId: string }) => r.ruleId === 'schema/unknown-argument');
    assert.equal(schema.level, 'error');
    assert.equal(schema.locations[0].physicalLocation.region.startLine, 3);
  });

  it('points SARIF locations at tracked source when it knows them, with the config and the synthesized file related', () => {
    const sourceLocations = new Map([
      ['dev-bootstrap|aws_kms_key.disabled', { uri: 'src/stacks/bootstrap-stack.ts', line: 42, configUri: 'config/environments/dev.json' }],
    ]);
    const run = JSON.parse(render(report({ sourceLocations }), 'sarif')).runs[0];
    const [result] = run.results;
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/stacks/bootstrap-stack.ts' },
      region: { startLine: 42 },
    });
    assert.deepEqual(
      result.relatedLocations.map(
        (l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri,
      ),
      ['config/environments/dev.json', 'cdktf.out/stacks/dev-bootstrap/cdk.tf.json'],
    );
  });
});
