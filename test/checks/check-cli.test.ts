import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/command';
import { fixturePath } from './fixtures';

const temp = mkdtempSync(join(tmpdir(), 'check-cli-'));
after(() => rmSync(temp, { recursive: true, force: true }));
const noSuppressions = join(temp, 'suppressions.json');
writeFileSync(noSuppressions, '[]');

const clean = {
  terraform: {
    required_providers: { aws: { source: 'hashicorp/aws', version: '6.66.0' } },
    backend: {
      s3: {
        bucket: 'state',
        key: 'dev-data.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/x',
        use_lockfile: true,
      },
    },
  },
  provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['111111111111'] }] },
  resource: {
    aws_dynamodb_table: {
      sessions: {
        name: 'sessions',
        hash_key: 'id',
        billing_mode: 'PAY_PER_REQUEST',
        attribute: [{ name: 'id', type: 'S' }],
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true, kms_key_arn: 'arn:aws:kms:eu-west-1:111111111111:key/x' },
        lifecycle: { prevent_destroy: true },
      },
    },
  },
};

function outDir(stacks: Record<string, unknown>): string {
  const dir = mkdtempSync(join(temp, 'out-'));
  for (const [name, doc] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(doc, null, 2));
  }
  return dir;
}

function check(...args: string[]) {
  // The fixture schema stands in for the AWS schema, so the result does not depend on the committed subset.
  return runCli('check', ['--schema', fixturePath('schema', 'aws-provider-schema.json'), '--suppressions', noSuppressions, ...args]);
}

describe('npm run check', () => {
  it('passes clean stacks with exit 0 and a one-line summary', async () => {
    const { status, stdout } = await check('--dir', outDir({ 'dev-data': clean }));
    assert.equal(status, 0, stdout);
    assert.match(stdout, /^check passed: 1 stack, 0 schema problems, 0 findings, 0 suppressed/m);
  });

  it('fails on a schema problem and on a policy finding', async () => {
    const broken = structuredClone(clean) as any;
    broken.resource.aws_dynamodb_table.sessions.colour = 'red';
    broken.resource.aws_dynamodb_table.sessions.point_in_time_recovery.enabled = false;
    const dir = outDir({ 'dev-data': broken });
    const both = await check('--dir', dir);
    assert.equal(both.status, 1);
    assert.match(both.stdout, /unknown argument "colour"/);
    assert.match(both.stdout, /DDB_001/);
    const schemaOnly = await check('--dir', dir, '--only', 'schema');
    assert.equal(schemaOnly.status, 1);
    assert.doesNotMatch(schemaOnly.stdout, /DDB_001/);
    assert.match(schemaOnly.stdout, /policy skipped/);
    const policyOnly = await check('--dir', dir, '--only', 'policy', '--fail-on', 'high');
    assert.equal(policyOnly.status, 0, 'DDB_001 is medium, below --fail-on high');
    assert.match(policyOnly.stdout, /schema skipped/);
  });

  it('writes SARIF to --output', async () => {
    const broken = structuredClone(clean) as any;
    delete broken.provider.aws[0].allowed_account_ids;
    const file = join(temp, 'reports', 'check.sarif');
    const { status, stdout } = await check('--dir', outDir({ 'dev-data': broken }), '--format', 'sarif', '--output', file);
    assert.equal(status, 1);
    assert.match(stdout, /sarif report written to/);
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(
      sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId),
      ['PROVIDER_001'],
    );
  });

  it('fails on a kubernetes_manifest that its custom resource schema rejects, and reports it in SARIF', async () => {
    const nodeClass = (spec: Record<string, unknown>) => {
      const manifest = { apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass', metadata: { name: 'workload' }, spec };
      return { ...clean, resource: { kubernetes_manifest: { workload: { manifest } } } };
    };
    const spec = { role: 'node', subnetSelectorTerms: [{ id: 'subnet-0a1b' }], securityGroupSelectorTerms: [{ id: 'sg-0a1b' }] };
    assert.equal((await check('--dir', outDir({ 'dev-cluster': nodeClass(spec) }), '--only', 'schema')).status, 0);
    const file = join(temp, 'reports', 'manifest.sarif');
    const brokenDir = outDir({ 'dev-cluster': nodeClass({ ...spec, snatPolicy: 'Off' }) });
    const broken = await check('--dir', brokenDir, '--only', 'schema', '--format', 'sarif', '--output', file);
    assert.equal(broken.status, 1);
    const [result] = JSON.parse(readFileSync(file, 'utf8')).runs[0].results;
    assert.equal(result.ruleId, 'schema/manifest-invalid-value');
    assert.match(result.message.text, /spec\.snatPolicy of NodeClass \(eks\.amazonaws\.com\/v1\) must be one of "Random", "Disabled"/);
  });

  it('fails when there is nothing to check', async () => {
    const { status, stdout } = await check('--dir', join(temp, 'missing'));
    assert.equal(status, 1);
    assert.match(stdout, /No stacks found: run `npm run synth` first/);
  });

  it('fails on an invalid suppressions file', async () => {
    const bad = join(temp, 'bad-suppressions.json');
    writeFileSync(bad, JSON.stringify([{ rule: 'DDB_001', address: 'aws_dynamodb_table.sessions' }]));
    const { status, stdout } = await check('--dir', outDir({ 'dev-data': clean }), '--suppressions', bad);
    assert.equal(status, 1);
    assert.match(stdout, /error: .*"reason" is required/);
  });

  it('exits 2 on a usage error', async () => {
    const { status, stderr } = await check('--format', 'xml');
    assert.equal(status, 2);
    assert.match(stderr, /--format must be one of table, json, sarif/);
  });
});
