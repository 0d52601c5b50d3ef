// The data-store rules (RDS_*, EC_*, OS_*, SECRETS_001) against the stacks the data layer really
// synthesizes, and the config risk acceptance that turns a single-AZ production database into an
// accepted (reported, not failing) finding. Pass/fail fixtures for every rule live in
// test/fixtures/checks/policy/{rds,elasticache,opensearch,secrets}-*.json.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRules, runPolicies } from '../../../src/checks/policy/engine';
import { stackDocument, type TerraformJson as CheckedJson } from '../../../src/checks/terraform-json';
import {
  configOfTier,
  exampleStacks,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
  exampleEnvironmentNames,
} from '../../support/synth';

const rules = loadRules();
const DATA_RULE = /^(RDS|EC|OS|SECRETS)_\d{3}$/;
const dataRules = rules.filter((rule) => DATA_RULE.test(rule.id));
const ACCEPTANCE = {
  reason: 'Single-AZ during the 2026 migration window; restores tested weekly',
  acceptedBy: 'cto@example.com',
  expires: '2099-12-31',
};

function findingsOf(name: string, doc: TerraformJson) {
  return runPolicies([stackDocument(name, doc as CheckedJson)], dataRules);
}

function prodDataWithSingleAz(acceptance: object | undefined): TerraformJson {
  const config = configOfTier('production', (raw) => {
    raw.environment.data.postgres.multiAz = false;
    if (acceptance) raw.environment.data.postgres.singleAzRiskAcceptance = acceptance;
  });
  return synthesizeLayer(config, 'data');
}

describe('data policy rules on the synthesized data layer', () => {
  it('has rules for RDS, ElastiCache, OpenSearch and secrets', () => {
    const prefixes = new Set(dataRules.map((rule) => rule.id.split('_')[0]));
    assert.deepEqual([...prefixes].sort(), ['EC', 'OS', 'RDS', 'SECRETS']);
  });

  for (const env of exampleEnvironmentNames()) {
    it(`${env}-data passes every data rule`, () => {
      const { findings, issues } = findingsOf(`${env}-data`, stack(exampleStacks(), `${env}-data`));
      assert.deepEqual(issues, []);
      assert.deepEqual(
        findings.map((f) => `${f.rule} ${f.address}: ${f.message}`),
        [],
      );
    });
  }

  it('a production database without Multi-AZ fails RDS_002 when the acceptance has expired', () => {
    const doc = prodDataWithSingleAz({ ...ACCEPTANCE, expires: '2020-01-01' });
    const multiAz = findingsOf('prod-data', doc).findings.filter((f) => f.rule === 'RDS_002');
    assert.equal(multiAz.length, 1);
    assert.equal(multiAz[0].suppressedBy, undefined);
  });

  it(
    'a production database without Multi-AZ but with a config risk acceptance ' + 'is reported as accepted, with reason, owner and expiry',
    () => {
      const doc = prodDataWithSingleAz(ACCEPTANCE);
      const [[, instance]] = resourcesOf(doc, 'aws_db_instance');
      assert.equal(instance.multi_az, false);
      assert.deepEqual(instance['//'].riskAcceptances, { RDS_002: ACCEPTANCE });
      assert.ok(instance['//'].metadata, 'the acceptance is merged into the comment, not replacing the metadata');
      const { findings } = findingsOf('prod-data', doc);
      const multiAz = findings.filter((f) => f.rule === 'RDS_002');
      assert.equal(multiAz.length, 1);
      assert.match(multiAz[0].suppressedBy?.reason ?? '', /risk accepted by cto@example\.com: Single-AZ during the 2026 migration window/);
      assert.equal(multiAz[0].suppressedBy?.expires, '2099-12-31');
      assert.deepEqual(
        findings.filter((f) => !f.suppressedBy).map((f) => f.rule),
        [],
        'the acceptance covers RDS_002 only and nothing else fails',
      );
    },
  );
});
