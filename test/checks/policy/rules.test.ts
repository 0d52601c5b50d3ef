// Every policy rule is exercised by fixture documents in test/fixtures/checks/policy/*.json. Each fixture
// declares in its "//" header the stack it plays, the rules it must pass, and the exact findings it must
// produce per failing rule (address + message fragment). Every loaded rule needs a pass and a fail case.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadRules, runPolicies } from '../../../src/checks/policy/engine';
import { fixturePath, readFixture, stackOf } from '../fixtures';

interface Header {
  readonly stack: string;
  readonly pass?: string[];
  readonly fail?: Record<string, { address: string; message: string }[]>;
}

const rules = loadRules();
const ruleIds = new Set(rules.map((r) => r.id));
const files = readdirSync(fixturePath('policy'))
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('policy rule fixtures', () => {
  const passing = new Set<string>();
  const failing = new Set<string>();

  for (const file of files) {
    const doc = readFixture('policy', file);
    const header = doc['//'] as Header;
    const checks = [...(header.pass ?? []).map((id) => `passes ${id}`), ...Object.keys(header.fail ?? {}).map((id) => `fails ${id}`)];
    it(`${file}: ${checks.join(', ')}`, () => {
      const { findings, issues } = runPolicies([stackOf(doc, header.stack)], rules);
      assert.deepEqual(issues, []);
      for (const id of header.pass ?? []) {
        assert.ok(ruleIds.has(id), `unknown rule ${id} in ${file}`);
        passing.add(id);
        assert.deepEqual(
          findings.filter((f) => f.rule === id).map((f) => `${f.address}: ${f.message}`),
          [],
          `${id} must pass ${file}`,
        );
      }
      for (const [id, expected] of Object.entries(header.fail ?? {})) {
        assert.ok(ruleIds.has(id), `unknown rule ${id} in ${file}`);
        failing.add(id);
        const actual = findings.filter((f) => f.rule === id);
        const described = actual.map((f) => `${f.address}: ${f.message}`).join('\n');
        assert.equal(actual.length, expected.length, `${id} on ${file} found:\n${described}`);
        for (const want of expected) {
          assert.ok(
            actual.some((f) => f.address === want.address && f.message.includes(want.message)),
            `${id} on ${file}: no finding on ${want.address} mentioning "${want.message}"; found:\n${described}`,
          );
        }
        for (const finding of actual) {
          assert.equal(finding.stack, header.stack);
          assert.equal(finding.file, `cdktf.out/stacks/${header.stack}/cdk.tf.json`);
        }
      }
    });
  }

  it('covers every rule with a passing and a failing fixture', () => {
    for (const rule of rules) {
      assert.ok(passing.has(rule.id), `${rule.id} has no passing fixture in test/fixtures/checks/policy`);
      assert.ok(failing.has(rule.id), `${rule.id} has no failing fixture in test/fixtures/checks/policy`);
    }
  });
});
