import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../support/command';
import { CONFIG_DIR, exampleEnvironments, exampleOfTier, exampleOutput } from '../support/synth';
import { synthesizeEnvironments } from '../../src/synthesis/environments';
import { compareEnvironments } from '../../src/environment-tiers';
import { LAYERS, parseStackName } from '../../src/layers';

const work = mkdtempSync(join(tmpdir(), 'platform-infra-cli-'));
const [DEV, PROD] = [exampleOfTier('development').name, exampleOfTier('production').name];
after(() => rmSync(work, { recursive: true, force: true }));

function synth(...args: string[]) {
  return runCli('synth', args, { cwd: work });
}

/**
 * An output folder holding the example as synth writes it, so that a synth into it reuses what is unchanged: the
 * example's output where it is current (a copy), synthesized again where it is not.
 */
function seededOutput(out: string): string {
  synthesizeEnvironments(exampleEnvironments(), out, exampleOutput());
  return out;
}

function brokenConfig(mutate: (prod: any) => void): string {
  const dir = mkdtempSync(join(work, 'config-'));
  cpSync(CONFIG_DIR, dir, { recursive: true });
  const file = join(dir, 'environments', `${PROD}.json`);
  const prod = JSON.parse(readFileSync(file, 'utf8'));
  mutate(prod);
  writeFileSync(file, JSON.stringify(prod));
  return dir;
}

describe('npm run synth', () => {
  it('writes only the environments --env names, and prints a summary per stack', async () => {
    // Over an output of every environment; what synthesizing fresh writes is the next test's.
    const out = seededOutput(join(work, 'one-env'));
    const result = await synth('--config', CONFIG_DIR, '--out', out, '--env', DEV);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(join(out, 'stacks')).sort(), LAYERS.map((layer) => `${DEV}-${layer}`).sort());
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(out, 'synth-inputs.json'), 'utf8'))), [DEV]);
    assert.match(result.stdout, new RegExp(`^${DEV}-network\\s+\\d+\\s+\\S*${DEV}-network/cdk\\.tf\\.json$`, 'm'));
    assert.match(
      result.stdout,
      new RegExp(`^${LAYERS.length} stacks, \\d+ resources \\(${DEV} unchanged since the last synth, copied\\)$`, 'm'),
    );
  });

  it('reuses the output of an environment whose config and code are unchanged, and synthesizes the edited one', async () => {
    const [kept, edited] = exampleEnvironments()
      .sort(compareEnvironments)
      .map((env) => env.name);
    const config = mkdtempSync(join(work, 'config-'));
    cpSync(CONFIG_DIR, config, { recursive: true });
    const out = seededOutput(join(work, 'reuse'));
    const run = () => synth('--config', config, '--out', out, '--env', kept!, '--env', edited!);
    const read = (file: string) => readFileSync(join(out, file), 'utf8');
    const [keptNetwork, editedData] = [`stacks/${kept}-network/cdk.tf.json`, `stacks/${edited}-data/cdk.tf.json`].map(read);
    const manifest = JSON.parse(read('manifest.json'));

    // What `terraform init` leaves in a stack folder is not carried over, as a fresh synth would not have it.
    mkdirSync(join(out, 'stacks', `${kept}-network`, '.terraform'), { recursive: true });
    writeFileSync(join(out, 'stacks', `${kept}-network`, '.terraform.lock.hcl'), '# providers');
    const file = join(config, 'environments', `${edited}.json`);
    const environment = JSON.parse(readFileSync(file, 'utf8'));
    environment.defaultLogRetentionDays = environment.defaultLogRetentionDays === 60 ? 90 : 60;
    writeFileSync(file, JSON.stringify(environment));
    const again = await run();
    assert.equal(again.status, 0, again.stderr);
    assert.match(
      again.stdout,
      new RegExp(`^${2 * LAYERS.length} stacks, \\d+ resources \\(${kept} unchanged since the last synth, copied\\)$`, 'm'),
    );
    assert.equal(read(`stacks/${kept}-network/cdk.tf.json`), keptNetwork);
    assert.deepEqual(readdirSync(join(out, 'stacks', `${kept}-network`)), ['cdk.tf.json']);
    assert.notEqual(read(`stacks/${edited}-data/cdk.tf.json`), editedData);
    assert.match(read(`stacks/${edited}-data/cdk.tf.json`), new RegExp(`"retention_in_days": ${environment.defaultLogRetentionDays}`));
    const both = Object.keys(manifest.stacks).filter((name) => [kept, edited].includes(parseStackName(name)?.environment ?? ''));
    assert.deepEqual(
      JSON.parse(read('manifest.json')),
      { ...manifest, stacks: Object.fromEntries(both.map((name) => [name, manifest.stacks[name]])) },
      'the merged manifest is the one a synth of both writes',
    );
    assert.deepEqual(Object.keys(JSON.parse(read('synth-inputs.json'))).sort(), [kept, edited].sort());
  });

  it('writes formatted HCL for review with --hcl, beside (not inside) the stack folders', async () => {
    const out = join(work, 'hcl');
    const result = await synth('--config', CONFIG_DIR, '--out', out, '--env', DEV, '--hcl', '--quiet');
    assert.equal(result.status, 0, result.stderr);
    const hcl = readFileSync(join(out, 'hcl', `${DEV}-network`, 'cdk.tf'), 'utf8');
    assert.match(hcl, /^resource "aws_vpc" "/m);
    assert.match(hcl, /^\s*required_version\s*= ">= 1\.11\.0"$/m);
    assert.doesNotMatch(hcl, /^\s*\d+ = "required_version"/m);
    assert.ok(!existsSync(join(out, 'stacks', `${DEV}-network`, 'cdk.tf')), 'terraform would load cdk.tf and cdk.tf.json together');
  });

  it('keeps the bootstrap local state next to, not inside, the output folder, and a re-synth leaves it in place', async () => {
    const out = seededOutput(join(work, 'state', 'cdktf.out'));
    assert.equal((await synth('--config', CONFIG_DIR, '--out', out, '--env', DEV, '--quiet')).status, 0);
    const stackDir = join(out, 'stacks', `${DEV}-bootstrap`);
    const backend = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).terraform.backend;
    const stateFile = resolve(stackDir, backend.local.path);
    assert.equal(stateFile, join(work, 'state', 'bootstrap-state', DEV, 'terraform.tfstate'));
    // What `terraform apply` leaves behind: the state, and init's backend cache inside the stack folder.
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, '{"version":4,"serial":7}');
    mkdirSync(join(stackDir, '.terraform'), { recursive: true });
    writeFileSync(join(stackDir, '.terraform', 'terraform.tfstate'), '{"backend":{"type":"local"}}');
    const again = await synth('--config', CONFIG_DIR, '--out', out, '--env', DEV, '--quiet');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(readFileSync(stateFile, 'utf8'), '{"version":4,"serial":7}');
  });

  it('refuses to replace an output folder that holds a state file, and leaves the file in place', async () => {
    const out = join(work, 'legacy', 'cdktf.out');
    const legacy = join(out, 'stacks', `${DEV}-bootstrap`, 'terraform.tfstate');
    mkdirSync(dirname(legacy), { recursive: true });
    writeFileSync(legacy, '{"version":4}');
    const result = await synth('--config', CONFIG_DIR, '--out', out, '--env', DEV, '--quiet');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /synth refused: .*Terraform state/);
    assert.match(result.stderr, new RegExp(`stacks/${DEV}-bootstrap/terraform\\.tfstate`));
    assert.match(result.stderr, /bootstrap-state\/<env>\/terraform\.tfstate/);
    assert.equal(readFileSync(legacy, 'utf8'), '{"version":4}');
  });

  it('rejects invalid config with the field, exits non-zero and leaves the previous output untouched', async () => {
    const out = join(work, 'kept');
    mkdirSync(join(out, 'stacks', `${PROD}-network`), { recursive: true });
    writeFileSync(join(out, 'stacks', `${PROD}-network`, 'cdk.tf.json'), '{"previous":true}');
    const config = brokenConfig((prod) => {
      prod.region = 'eu-west';
      prod.accountId = 'abc';
    });
    const result = await synth('--config', config, '--out', out);
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`${PROD}\\.json: region: must be an AWS region code.*\\(got "eu-west"\\)`));
    assert.match(result.stderr, new RegExp(`${PROD}\\.json: accountId: must be a 12-digit AWS account id.*\\(got "abc"\\)`));
    assert.match(result.stderr, /left untouched/);
    assert.equal(readFileSync(join(out, 'stacks', `${PROD}-network`, 'cdk.tf.json'), 'utf8'), '{"previous":true}');
    assert.deepEqual(
      readdirSync(work).filter((name) => name.includes('.tmp-')),
      [],
    );
  });

  it('reports cross-field problems such as the zone count of production', async () => {
    const result = await synth(
      '--config',
      brokenConfig((prod) => (prod.network.azCount = 2)),
      '--out',
      join(work, 'azs'),
    );
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(`${PROD}\\.json: network\\.azCount: must be at least 3 for a production environment.*\\(got 2\\)`),
    );
    assert.ok(!existsSync(join(work, 'azs')));
  });

  it('names an unknown environment and the ones available', async () => {
    const result = await synth('--config', CONFIG_DIR, '--out', join(work, 'unknown'), '--env', 'no-such-env');
    assert.equal(result.status, 1);
    const available = readdirSync(join(CONFIG_DIR, 'environments'))
      .map((file) => file.replace(/\.json$/, ''))
      .sort()
      .join(', ');
    assert.ok(result.stderr.includes(`no environment file no-such-env.json; available: ${available}`), result.stderr);
  });

  it('rejects unknown options with the usage', async () => {
    const result = await synth('--environment', 'prod');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown option --environment/);
    assert.match(result.stderr, /usage: npm run synth/);
  });
});
