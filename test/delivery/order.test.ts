import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { ManifestError, applyOrder, environmentTiers, parseManifestText, type ManifestStack } from '../../src/checks/order/order';
import { ENVIRONMENT_TIER_TAG, type EnvironmentTier } from '../../src/environment-tiers';
import { IN_VPC_LAYERS, LAYERS, placementOf } from '../../src/layers';
import { rawConfigOfTier } from '../support/synth';
import { FIXTURES, ROOT, runCli } from './helpers';

function manifest(name: string) {
  const file = join(FIXTURES, 'manifests', `${name}.json`);
  return parseManifestText(readFileSync(file, 'utf8'), `${name}.json`);
}

/** The bundled example's environments and their tiers. */
const EXAMPLE_TIERS = new Map<string, EnvironmentTier>([
  ['dev', 'development'],
  ['staging', 'staging'],
  ['prod', 'production'],
]);
const order = (name: string, tiers = EXAMPLE_TIERS) => applyOrder(manifest(name), tiers).map((stack) => stack.name);

/** A manifest of independent bootstrap and network stacks (network depends on its bootstrap) for each environment. */
function twoLayers(environments: readonly string[]): ManifestStack[] {
  return environments.flatMap((env) =>
    [
      { name: `${env}-bootstrap`, dependencies: [] },
      { name: `${env}-network`, dependencies: [`${env}-bootstrap`] },
    ].map((stack) => ({
      ...stack,
      constructPath: stack.name,
      workingDirectory: `stacks/${stack.name}`,
      synthesizedStackPath: `stacks/${stack.name}/cdk.tf.json`,
    })),
  );
}

/**
 * The synthesized-output fixture names its environments `dev` and `prod`; they stand for the bundled development and
 * production environments, which a configuration folder of their own gives those names.
 */
const FIXTURE_CONFIG = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'order-config-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'environments'));
  writeFileSync(join(dir, 'project.json'), readFileSync(join(ROOT, 'config', 'project.json')));
  for (const [name, tier] of [
    ['dev', 'development'],
    ['prod', 'production'],
  ] as const) {
    const { environment } = rawConfigOfTier(tier);
    environment.name = name;
    writeFileSync(join(dir, 'environments', `${name}.json`), JSON.stringify(environment));
  }
  cpSync(join(ROOT, 'config', 'origin-pull'), join(dir, 'origin-pull'), { recursive: true });
  return dir;
})();

function envConfig(env: string): { accountId: string; region: string; ci: { applyEnvironment: string } } {
  return JSON.parse(readFileSync(join(FIXTURE_CONFIG, 'environments', `${env}.json`), 'utf8'));
}

describe('apply order', () => {
  it('puts dependencies first and breaks ties by layer, then environment', () => {
    assert.deepEqual(order('layered'), [
      'dev-bootstrap',
      'staging-bootstrap',
      'prod-bootstrap',
      'dev-network',
      'staging-network',
      'prod-network',
      'dev-platform',
      'staging-platform',
      'prod-platform',
      'dev-data',
      'staging-data',
      'prod-data',
      'dev-edge',
      'staging-edge',
      'prod-edge',
    ]);
  });

  it('ranks environments by tier, then by name, whatever they are called; one of unknown tier comes last', () => {
    const stacks = twoLayers(['prod', 'qa', 'dev', 'sandbox']);
    const tiers = new Map<string, EnvironmentTier>([...EXAMPLE_TIERS, ['qa', 'staging']]);
    assert.deepEqual(
      applyOrder(stacks, tiers).map((stack) => stack.name),
      [
        'dev-bootstrap',
        'qa-bootstrap',
        'prod-bootstrap',
        'sandbox-bootstrap',
        'dev-network',
        'qa-network',
        'prod-network',
        'sandbox-network',
      ],
    );
    const byName = applyOrder(stacks).map((stack) => stack.name);
    assert.deepEqual(byName.slice(0, 4), ['dev-bootstrap', 'prod-bootstrap', 'qa-bootstrap', 'sandbox-bootstrap'], 'no tiers: by name');
  });

  it('follows a dependency even when it goes against the layer order', () => {
    const names = order('cross-env');
    assert.ok(names.indexOf('prod-edge') < names.indexOf('dev-network'), names.join(' '));
    assert.deepEqual(names, ['dev-bootstrap', 'prod-bootstrap', 'prod-edge', 'dev-network']);
  });

  it('resolves dependencies given as construct paths', () => {
    assert.deepEqual(order('nested-paths'), ['dev-bootstrap', 'dev-network']);
    assert.deepEqual(manifest('nested-paths')[1].dependencies, ['dev-bootstrap']);
  });

  it('fails on a cycle and names it', () => {
    assert.throws(() => order('cycle'), /dependency cycle: dev-edge -> dev-platform -> dev-network -> dev-edge/);
  });

  it('fails on a dependency that is not in the manifest', () => {
    assert.throws(
      () => manifest('unknown-dependency'),
      (error: unknown) => error instanceof ManifestError && /"dev-bootstrap" is not a stack in this manifest/.test(error.message),
    );
  });

  it('rejects a file that is not a cdktn manifest', () => {
    assert.throws(() => manifest('not-a-manifest'), /expected an object with "stacks"/);
  });
});

describe('npm run order (dist/src/cli/order.js)', () => {
  const layered = join(FIXTURES, 'manifests', 'layered.json');
  const synth = join('test', 'delivery', 'fixtures', 'synth', 'manifest.json');

  it('prints one stack per line in apply order, optionally for one environment', async () => {
    const all = await runCli('order', ['--manifest', layered]);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stdout.trim().split('\n').length, 15);
    const prod = await runCli('order', ['--manifest', layered, '--env', 'prod']);
    assert.deepEqual(prod.stdout.trim().split('\n'), ['prod-bootstrap', 'prod-network', 'prod-platform', 'prod-data', 'prod-edge']);
    const two = await runCli('order', ['--manifest', layered, '--env', 'prod,dev', '--format', 'lines']);
    assert.deepEqual(two.stdout.trim().split('\n').slice(0, 2), ['dev-bootstrap', 'prod-bootstrap']);
  });

  it('lists the destroy order: every stack before the stacks it depends on', async () => {
    const manifest = JSON.parse(readFileSync(layered, 'utf8')) as { stacks: Record<string, { dependencies: string[] }> };
    const run = await runCli('order', ['--manifest', layered, '--destroy']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.deepEqual([...lines].sort(), Object.keys(manifest.stacks).sort());
    for (const [stack, { dependencies }] of Object.entries(manifest.stacks))
      for (const dependency of dependencies)
        assert.ok(lines.indexOf(stack) < lines.indexOf(dependency), `${stack} is destroyed before ${dependency}, which it depends on`);
    const prod = await runCli('order', ['--manifest', layered, '--env', 'prod', '--destroy']);
    assert.deepEqual(prod.stdout.trim().split('\n'), ['prod-edge', 'prod-data', 'prod-platform', 'prod-network', 'prod-bootstrap']);
    const json = await runCli('order', ['--manifest', layered, '--destroy', '--format', 'json']);
    assert.equal(json.status, 2);
    assert.match(json.stderr, /--destroy lists stacks for a person/);
  });

  it("reads each environment's tier from its synthesized stacks, so the lines follow promotion order", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'order-tiers-'));
    try {
      // Named so that alphabetical order is the reverse of promotion order; `untagged` has no tier tag.
      const tiers: Record<string, EnvironmentTier | undefined> = {
        alpha: 'production',
        mike: 'staging',
        zulu: 'development',
        untagged: undefined,
      };
      const stacks = twoLayers(Object.keys(tiers));
      for (const stack of stacks) {
        const tier = tiers[stack.name.split('-')[0]!];
        const tags = tier ? { Environment: stack.name.split('-')[0], [ENVIRONMENT_TIER_TAG]: tier } : { Environment: 'untagged' };
        mkdirSync(join(dir, stack.workingDirectory), { recursive: true });
        writeFileSync(join(dir, stack.synthesizedStackPath), JSON.stringify({ provider: { aws: [{ default_tags: [{ tags }] }] } }));
      }
      const manifestFile = join(dir, 'manifest.json');
      const stackEntries = stacks.map((stack) => [stack.name, { ...stack, dependencies: [...stack.dependencies] }]);
      writeFileSync(manifestFile, JSON.stringify({ stacks: Object.fromEntries(stackEntries) }));
      assert.deepEqual(Object.fromEntries(environmentTiers(stacks, dir)), { alpha: 'production', mike: 'staging', zulu: 'development' });
      const run = await runCli('order', ['--manifest', manifestFile]);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.stdout.trim().split('\n'), [
        'zulu-bootstrap',
        'mike-bootstrap',
        'alpha-bootstrap',
        'untagged-bootstrap',
        'zulu-network',
        'mike-network',
        'alpha-network',
        'untagged-network',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says on stderr when the config changed after the default manifest was synthesized, and still lists it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'order-stale-'));
    try {
      const stacks = twoLayers(['dev']);
      mkdirSync(join(dir, 'cdktf.out'));
      writeFileSync(
        join(dir, 'cdktf.out', 'manifest.json'),
        JSON.stringify({ stacks: Object.fromEntries(stacks.map((s) => [s.name, s])) }),
      );
      const environmentFile = join(dir, 'config', 'environments', 'qa.json');
      mkdirSync(dirname(environmentFile), { recursive: true });
      writeFileSync(environmentFile, '{}');
      const synthesizedFile = join(dir, 'config', 'environments', 'dev.json');
      writeFileSync(synthesizedFile, '{}');
      utimesSync(synthesizedFile, Date.now() / 1000 - 60, Date.now() / 1000 - 60);
      const at = (offsetSeconds: number) =>
        utimesSync(environmentFile, Date.now() / 1000 + offsetSeconds, Date.now() / 1000 + offsetSeconds);

      at(-60);
      const fresh = await runCli('order', [], { cwd: dir });
      assert.equal(fresh.status, 0, fresh.stderr);
      assert.equal(fresh.stderr, '');
      at(60);
      const stale = await runCli('order', [], { cwd: dir });
      assert.equal(stale.status, 0, stale.stderr);
      assert.deepEqual(stale.stdout.trim().split('\n'), ['dev-bootstrap', 'dev-network'], 'the listing itself is unchanged');
      assert.match(
        stale.stderr,
        /^order: config\/environments\/qa\.json changed after cdktf\.out\/manifest\.json was synthesized.*npm run synth/,
      );
      const elsewhere = await runCli('order', ['--manifest', join(dir, 'cdktf.out', 'manifest.json')], { cwd: dir });
      assert.equal(elsewhere.stderr, '', 'a manifest named with --manifest is not compared with the config folder');
      at(-60);
      rmSync(synthesizedFile);
      const removed = await runCli('order', [], { cwd: dir });
      assert.deepEqual(removed.stdout.trim().split('\n'), ['dev-bootstrap', 'dev-network']);
      assert.match(removed.stderr, /^order: dev has stacks in cdktf\.out\/manifest\.json but no file in config\/environments \(removed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero on a cycle, a missing manifest, an unknown environment or format', async () => {
    const cycle = await runCli('order', ['--manifest', join(FIXTURES, 'manifests', 'cycle.json')]);
    assert.equal(cycle.status, 1);
    assert.match(cycle.stderr, /dependency cycle/);
    const missing = await runCli('order', ['--manifest', join(FIXTURES, 'nope', 'manifest.json')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot be read; run `npm run synth` first/);
    const env = await runCli('order', ['--manifest', layered, '--env', 'qa']);
    assert.equal(env.status, 1);
    assert.match(env.stderr, /no stacks for environment\(s\) qa/);
    assert.equal((await runCli('order', ['--manifest', layered, '--format', 'yaml'])).status, 2);
  });

  it('gives CI its deploy targets: account, region and role ARNs from config, local-state stacks left out', async () => {
    const run = await runCli('order', ['--config', FIXTURE_CONFIG, '--manifest', synth, '--format', 'json', '--ci-only']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 1, 'one line, for $GITHUB_OUTPUT');
    const out = JSON.parse(run.stdout);
    assert.deepEqual(
      out.stacks.map((s: { stack: string }) => s.stack),
      ['dev-network', 'prod-network', 'dev-data', 'prod-data'],
    );
    const project = JSON.parse(readFileSync(join(ROOT, 'config', 'project.json'), 'utf8')).project;
    for (const env of ['dev', 'prod']) {
      const config = envConfig(env);
      assert.deepEqual(out.environments[env], {
        accountId: config.accountId,
        region: config.region,
        planRoleArn: `arn:aws:iam::${config.accountId}:role/${project}-${env}-ci-plan`,
        applyRoleArn: `arn:aws:iam::${config.accountId}:role/${project}-${env}-ci-apply`,
        githubEnvironment: config.ci.applyEnvironment,
        runnerProject: `${project}-${env}-runner`,
        stacks: [`${env}-network`, `${env}-data`],
      });
    }
    const placements = out.stacks.map((s: { layer: string; placement: string }) => [s.layer, s.placement]);
    assert.deepEqual(placements, [
      ['network', 'github-hosted'],
      ['network', 'github-hosted'],
      ['data', 'in-vpc'],
      ['data', 'in-vpc'],
    ]);
    const prodData = out.stacks.find((s: { stack: string }) => s.stack === 'prod-data');
    assert.equal(prodData.workingDirectory, join('test', 'delivery', 'fixtures', 'synth', 'stacks', 'prod-data'));
    assert.equal(prodData.backend, 's3');
    assert.deepEqual(prodData.dependencies, ['prod-network', 'prod-bootstrap']);
    assert.equal(prodData.appliedByCi, true);
  });

  it('marks the bootstrap layer as applied by an administrator, whatever its backend', async () => {
    const out = JSON.parse((await runCli('order', ['--config', FIXTURE_CONFIG, '--manifest', synth, '--format', 'json'])).stdout);
    const appliedByCi = out.stacks.map((s: { layer: string; appliedByCi: boolean }) => [s.layer, s.appliedByCi]);
    assert.deepEqual(
      appliedByCi.filter(([, byCi]: [string, boolean]) => !byCi).map(([layer]: [string]) => layer),
      out.stacks.filter((s: { layer: string }) => s.layer === 'bootstrap').map(() => 'bootstrap'),
    );
    assert.ok(appliedByCi.some(([layer]: [string]) => layer === 'bootstrap'));
  });

  it('marks local-state stacks as not run by CI when they are not filtered out', async () => {
    const out = JSON.parse(
      (await runCli('order', ['--config', FIXTURE_CONFIG, '--manifest', synth, '--format', 'json', '--env', 'dev'])).stdout,
    );
    assert.deepEqual(
      out.stacks.map((s: { stack: string; backend: string; ci: boolean }) => [s.stack, s.backend, s.ci]),
      [
        ['dev-bootstrap', 'local', false],
        ['dev-network', 's3', true],
        ['dev-data', 's3', true],
      ],
    );
    const lines = await runCli('order', ['--config', FIXTURE_CONFIG, '--manifest', synth, '--ci-only', '--env', 'dev']);
    assert.deepEqual(lines.stdout.trim().split('\n'), ['dev-network', 'dev-data']);
  });

  it('lists a bootstrap stack whose state is in the bucket first, as planned only', async () => {
    const migrated = mkdtempSync(join(tmpdir(), 'order-migrated-'));
    try {
      cpSync(dirname(synth), migrated, { recursive: true });
      const bootstrap = join(migrated, 'stacks', 'dev-bootstrap', 'cdk.tf.json');
      const document = JSON.parse(readFileSync(bootstrap, 'utf8'));
      document.terraform.backend = { s3: { bucket: 'state', key: 'dev/bootstrap.tfstate', region: 'eu-west-1' } };
      writeFileSync(bootstrap, JSON.stringify(document));
      const manifest = join(migrated, 'manifest.json');
      const lines = await runCli('order', ['--config', FIXTURE_CONFIG, '--manifest', manifest, '--ci-only', '--env', 'dev']);
      assert.deepEqual(lines.stdout.trim().split('\n'), [
        'dev-bootstrap (planned only: an administrator applies it)',
        'dev-network',
        'dev-data',
      ]);
    } finally {
      rmSync(migrated, { recursive: true, force: true });
    }
  });
});

describe('runner placement', () => {
  it('runs exactly the layers that reach private endpoints on the in-VPC runner', () => {
    assert.deepEqual(
      LAYERS.filter((layer) => placementOf(layer) === 'in-vpc'),
      [...IN_VPC_LAYERS],
    );
    assert.equal(placementOf('cluster'), 'in-vpc', 'the Kubernetes provider talks to the private EKS endpoint');
    assert.equal(placementOf('data'), 'in-vpc', "the data layer's Jobs are applied through the private EKS endpoint");
    assert.equal(placementOf('platform'), 'github-hosted', 'platform creates the runner, so it cannot run on it');
  });
});
