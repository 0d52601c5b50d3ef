import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ProviderPinError,
  lockFileFor,
  lockMismatches,
  parseLockFile,
  requiredProviders,
  stackProviders,
  versionsModule,
} from '../../src/checks/providers/lock';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { exampleStacks } from '../support/synth';
import { FIXTURES, runCli } from './helpers';

const LOCK = join(FIXTURES, 'providers', 'terraform.lock.hcl');
const lockText = readFileSync(LOCK, 'utf8');
const stack = (name: string, providers: Record<string, { source: string; version: string }>) =>
  stackDocument(name, { terraform: { required_providers: providers } } as TerraformJson);
const AWS = { aws: { source: 'hashicorp/aws', version: '6.66.0' } };

const work = mkdtempSync(join(tmpdir(), 'providers-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('provider pins', () => {
  it('pin every provider of every synthesized stack to one exact version', () => {
    const required = requiredProviders([...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as TerraformJson)));
    assert.deepEqual(required.map((p) => p.source).sort(), ['cloudflare/cloudflare', 'hashicorp/aws', 'hashicorp/kubernetes']);
    for (const provider of required) assert.match(provider.version, /^\d+\.\d+\.\d+$/, provider.source);
  });

  it('refuse a version range, and two stacks pinning one provider differently', () => {
    assert.throws(
      () => requiredProviders([stack('dev-edge', { cloudflare: { source: 'cloudflare/cloudflare', version: '~> 5.0' } })]),
      (error: unknown) =>
        error instanceof ProviderPinError &&
        /dev-edge: provider cloudflare\/cloudflare is required as "~> 5\.0"; pin one exact version/.test(error.message),
    );
    assert.throws(
      () => requiredProviders([stack('dev-data', AWS), stack('prod-data', { aws: { source: 'hashicorp/aws', version: '6.67.0' } })]),
      /registry\.terraform\.io\/hashicorp\/aws is pinned to different versions: 6\.66\.0 in dev-data; 6\.67\.0 in prod-data/,
    );
  });

  it('write the root module terraform providers lock runs in', () => {
    const module = JSON.parse(versionsModule(requiredProviders([stack('dev-data', AWS)])));
    assert.deepEqual(module, { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.66.0' } } } });
  });
});

describe('the dependency lock file', () => {
  const required = requiredProviders([
    stack('dev-data', { ...AWS, kubernetes: { source: 'hashicorp/kubernetes', version: '2.38.0' } }),
    stack('dev-edge', { ...AWS, cloudflare: { source: 'cloudflare/cloudflare', version: '5.27.0' } }),
  ]);

  it('matches the pins: same providers, same versions, package checksums', () => {
    const locked = parseLockFile(lockText, 'lock');
    assert.deepEqual(
      locked.map((p) => [p.address, p.version]),
      [
        ['registry.terraform.io/cloudflare/cloudflare', '5.27.0'],
        ['registry.terraform.io/hashicorp/aws', '6.66.0'],
        ['registry.terraform.io/hashicorp/kubernetes', '2.38.0'],
      ],
    );
    assert.deepEqual(lockMismatches(required, locked, 'lock'), []);
  });

  it('fails on a different version, a missing or extra provider, or no checksum', () => {
    const mismatched = lockText.replace('version     = "6.66.0"', 'version     = "6.65.0"').replace(/"h1:CCCC[^"]*",/, '');
    assert.deepEqual(lockMismatches(required, parseLockFile(mismatched, 'lock'), 'lock'), [
      'lock: registry.terraform.io/hashicorp/aws is locked at 6.65.0, pinned at 6.66.0',
      'lock: registry.terraform.io/hashicorp/kubernetes has no h1: package checksum',
    ]);
    const onlyAws = requiredProviders([stack('dev-network', AWS)]);
    assert.deepEqual(lockMismatches(onlyAws, parseLockFile(lockText, 'lock'), 'lock'), [
      'lock: registry.terraform.io/cloudflare/cloudflare is locked but no stack requires it',
      'lock: registry.terraform.io/hashicorp/kubernetes is locked but no stack requires it',
    ]);
    const withoutAws = lockFileFor(
      lockText,
      new Set(['registry.terraform.io/cloudflare/cloudflare', 'registry.terraform.io/hashicorp/kubernetes']),
    );
    assert.deepEqual(lockMismatches(required, parseLockFile(withoutAws, 'lock'), 'lock'), [
      'lock: no entry for registry.terraform.io/hashicorp/aws 6.66.0 (required by dev-data, dev-edge)',
    ]);
    assert.throws(() => parseLockFile('terraform {}\n', 'x.hcl'), /x\.hcl: no provider blocks/);
  });

  it('gives each stack exactly the blocks of its providers', () => {
    const forNetwork = lockFileFor(lockText, stackProviders(stack('dev-network', AWS)));
    assert.deepEqual(
      parseLockFile(forNetwork, 'lock').map((p) => p.address),
      ['registry.terraform.io/hashicorp/aws'],
    );
    assert.match(forNetwork, /^# Test fixture/);
  });
});

describe('npm run providers', () => {
  const out = join(work, 'out');
  for (const [name, providers] of [
    ['dev-network', AWS],
    ['dev-edge', { ...AWS, cloudflare: { source: 'cloudflare/cloudflare', version: '5.27.0' } }],
  ] as const) {
    mkdirSync(join(out, 'stacks', name), { recursive: true });
    writeFileSync(join(out, 'stacks', name, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: providers } }));
  }

  it('check fails on a lock file that does not match, naming the difference', async () => {
    const wrong = join(work, 'wrong.hcl');
    writeFileSync(wrong, lockText.replace('version     = "5.27.0"', 'version     = "5.26.0"'));
    const run = await runCli('providers', ['check', '--out', out, '--lock', wrong]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cloudflare\/cloudflare is locked at 5\.26\.0, pinned at 5\.27\.0/);
    assert.match(run.stderr, /hashicorp\/kubernetes is locked but no stack requires it/);
  });

  it('versions writes the lock module, install the per-stack lock files', async () => {
    assert.equal((await runCli('providers', ['versions', '--out', out])).status, 0);
    assert.deepEqual(
      Object.keys(JSON.parse(readFileSync(join(out, 'providers', 'versions.tf.json'), 'utf8')).terraform.required_providers),
      ['cloudflare', 'aws'],
    );
    const lock = join(work, 'lock.hcl');
    writeFileSync(
      lock,
      lockFileFor(lockText, new Set(['registry.terraform.io/hashicorp/aws', 'registry.terraform.io/cloudflare/cloudflare'])),
    );
    const run = await runCli('providers', ['install', '--out', out, '--lock', lock]);
    assert.equal(run.status, 0, run.stderr);
    const network = readFileSync(join(out, 'stacks', 'dev-network', '.terraform.lock.hcl'), 'utf8');
    assert.deepEqual(
      parseLockFile(network, 'n').map((p) => p.address),
      ['registry.terraform.io/hashicorp/aws'],
    );
    assert.equal((await runCli('providers', ['install', '--out', out])).status, 2, 'install needs a lock file');
  });
});
