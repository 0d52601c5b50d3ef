import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DELETION_PROTECTION_ARGUMENTS } from '../../src/checks/guard/protected';
import { readStacks, stackDocument, stackFolder } from '../../src/checks/terraform-json';
import { lockedVaults, teardownStack } from '../../src/delivery/teardown';
import { MANIFEST_FILE } from '../../src/layers';
import { diffStacks } from '../../src/preview/diff/diff';
import { runCli } from '../support/command';
import { exampleEnvironments, exampleOutput } from '../support/synth';

const folders = { from: '/repo/cdktf.out/stacks/s', to: '/repo/cdktf.out.teardown/stacks/s' };

describe('teardown form of the synthesized stacks', () => {
  const example = readStacks(exampleOutput());

  it('drops every prevent_destroy and turns every deletion protection off, and changes nothing else', () => {
    for (const stack of example) {
      const torndown = teardownStack(stack, folders);
      const text = JSON.stringify(torndown.doc);
      assert.doesNotMatch(text, /"prevent_destroy":true/, stack.name);
      const { stacks } = diffStacks([stack], [stackDocument(stack.name, torndown.doc)]);
      const changes = stacks.flatMap((s) => s.changes);
      assert.ok(
        changes.every((c) => c.kind === 'changed'),
        `${stack.name}: only changes in place, no resource added or removed`,
      );
      for (const change of changes) {
        const argument = DELETION_PROTECTION_ARGUMENTS[change.type];
        for (const { path, after } of change.attributes) {
          if (path === argument) {
            assert.equal(after, false);
            assert.ok(torndown.deletionProtectionOff.includes(change.address), `${stack.name} ${change.address} reported`);
          } else {
            assert.match(path, /^lifecycle(\.prevent_destroy)?$/, `${stack.name} ${change.address}: ${path} changed`);
            assert.ok(torndown.preventDestroyDropped.includes(change.address), `${stack.name} ${change.address} reported`);
          }
        }
      }
      assert.equal(
        torndown.preventDestroyDropped.length + torndown.deletionProtectionOff.length,
        changes.reduce((sum, c) => sum + c.attributes.length, 0),
        `${stack.name}: every reported address is a change`,
      );
      // Outside the resources: the same backend, providers, lookups and outputs; only import blocks go.
      const { resource: _before, import: _imports, ...restBefore } = stack.doc;
      const { resource: _after, ...restAfter } = torndown.doc;
      assert.deepEqual(restAfter, restBefore, stack.name);
    }
  });

  it('names the compliance-locked vaults a teardown keeps, and how long their recovery points stay', () => {
    for (const env of exampleEnvironments()) {
      const stacks = example.filter((stack) => stack.name.startsWith(`${env.name}-`));
      const { vaults, longestRetentionDays } = lockedVaults(stacks);
      const locks = stacks.flatMap((stack) => Object.values(stack.doc.resource?.aws_backup_vault_lock_configuration ?? {}) as any[]);
      const compliance = locks.filter((lock) => lock.changeable_for_days !== undefined);
      assert.equal(vaults.length, compliance.length, env.name);
      // Production locks in compliance mode (docs/recovery.md), in the home and the recovery region.
      if (env.tier === 'production') assert.ok(vaults.length >= (env.recovery ? 2 : 1), env.name);
      for (const vault of vaults)
        assert.match(vault, new RegExp(`^${env.project.project}-${env.name}-backup( \\(${env.recovery?.region}\\))?$`));
      if (vaults.length > 0)
        assert.equal(longestRetentionDays, Math.max(env.recovery?.retentionDays ?? 0, env.data.postgres.backupRetentionDays));
    }
  });

  it('lists the objects inside the cluster, which go with it', () => {
    for (const stack of example) {
      const kubernetes = Object.entries(stack.doc.resource ?? {})
        .filter(([type]) => type.startsWith('kubernetes_'))
        .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
      assert.deepEqual(teardownStack(stack, folders).kubernetesObjects, kubernetes, stack.name);
    }
    assert.ok(example.some((stack) => stack.layer === 'cluster' && teardownStack(stack, folders).kubernetesObjects.length > 0));
  });

  it('drops the import blocks and names what they adopted, which other projects may share', () => {
    const doc = {
      import: [
        { id: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com', to: 'aws_iam_openid_connect_provider.github' },
      ],
      resource: { aws_iam_openid_connect_provider: { github: { url: 'https://token.actions.githubusercontent.com' } } },
    };
    const torndown = teardownStack(stackDocument('qa-bootstrap', doc as never), folders);
    assert.deepEqual(torndown.adopted, ['aws_iam_openid_connect_provider.github']);
    assert.equal((torndown.doc as { import?: unknown }).import, undefined);
    for (const stack of example) {
      const imports = ((stack.doc.import ?? []) as { to: string }[]).map((block) => block.to);
      assert.deepEqual(teardownStack(stack, folders).adopted, imports, stack.name);
    }
  });

  it('has something to do in production, whose stores refuse a destroy', () => {
    const production = exampleEnvironments().find((env) => env.tier === 'production')!;
    const data = example.find((stack) => stack.environment === production.name && stack.layer === 'data')!;
    const torndown = teardownStack(data, folders);
    assert.ok(torndown.preventDestroyDropped.some((address) => address.startsWith('aws_db_instance.')));
    assert.ok(torndown.deletionProtectionOff.some((address) => address.startsWith('aws_db_instance.')));
  });

  it('keeps the other lifecycle settings, and local paths pointing at the same files from the new folder', () => {
    const doc = {
      terraform: { backend: { local: { path: '../../../bootstrap-state/qa/terraform.tfstate' } } },
      data: { terraform_remote_state: { up: { backend: 'local', config: { path: '../x/terraform.tfstate' } } } },
      resource: {
        aws_s3_bucket: {
          b: { bucket: 'b', lifecycle: { prevent_destroy: true, ignore_changes: ['tags'] } },
          c: { bucket: 'c', lifecycle: { prevent_destroy: true } },
        },
        aws_kms_key: { k: { lifecycle: { prevent_destroy: false } } },
        aws_lb: { lb: { enable_deletion_protection: true } },
      },
    };
    const moved = { from: '/repo/cdktf.out/stacks/qa-bootstrap', to: '/repo/elsewhere/deeper/stacks/qa-bootstrap' };
    const torndown = teardownStack(stackDocument('qa-bootstrap', doc as never), moved);
    const result = torndown.doc as typeof doc;
    assert.deepEqual(result.resource.aws_s3_bucket.b.lifecycle, { ignore_changes: ['tags'] });
    assert.deepEqual(result.resource.aws_s3_bucket.c, { bucket: 'c' }, 'an empty lifecycle goes');
    assert.deepEqual(result.resource.aws_kms_key.k, { lifecycle: { prevent_destroy: false } }, 'nothing to drop');
    assert.equal(result.resource.aws_lb.lb.enable_deletion_protection, false);
    assert.deepEqual(torndown.preventDestroyDropped, ['aws_s3_bucket.b', 'aws_s3_bucket.c']);
    assert.deepEqual(torndown.deletionProtectionOff, ['aws_lb.lb']);
    assert.equal(
      resolve(moved.to, result.terraform.backend.local.path),
      resolve(moved.from, doc.terraform.backend.local.path),
      'the backend is the same local state file',
    );
    assert.equal(
      resolve(moved.to, result.data.terraform_remote_state.up.config.path),
      resolve(moved.from, doc.data.terraform_remote_state.up.config.path),
    );
    assert.equal(doc.resource.aws_lb.lb.enable_deletion_protection, true, 'the stack read is left as it was');
  });
});

describe('npm run teardown (dist/src/cli/teardown.js)', () => {
  it("writes one environment's stacks in their teardown form and lists them in destroy order", async () => {
    const work = mkdtempSync(join(tmpdir(), 'teardown-'));
    try {
      const input = join(work, 'out');
      cpSync(exampleOutput(), input, { recursive: true });
      const [env] = exampleEnvironments().filter((e) => e.tier === 'production');
      const stacks = readStacks(input).filter((stack) => stack.environment === env!.name);
      const lockFile = join(stackFolder(input, stacks[0]!.name), '.terraform.lock.hcl');
      writeFileSync(lockFile, '# lock\n');
      mkdirSync(join(stackFolder(input, stacks[0]!.name), '.terraform'));
      const out = join(work, 'teardown');

      const run = await runCli('teardown', ['--env', env!.name, '--dir', input, '--out', out]);
      assert.equal(run.status, 0, run.stderr);
      const written = readStacks(out);
      assert.deepEqual(
        written.map((stack) => stack.name),
        stacks.map((stack) => stack.name),
      );
      for (const stack of written) assert.doesNotMatch(stack.text!, /"prevent_destroy": true/);
      assert.equal(readFileSync(join(stackFolder(out, stacks[0]!.name), '.terraform.lock.hcl'), 'utf8'), '# lock\n');
      assert.ok(!existsSync(join(stackFolder(out, stacks[0]!.name), '.terraform')), "terraform's working directory is not copied");

      const manifest = JSON.parse(readFileSync(join(input, MANIFEST_FILE), 'utf8')) as {
        stacks: Record<string, { dependencies: string[] }>;
      };
      const listed = run.stdout
        .split('\n')
        .map((line) => /^ {2}(\S+) {2,}prevent_destroy/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined);
      assert.deepEqual([...listed].sort(), stacks.map((stack) => stack.name).sort());
      for (const name of listed)
        for (const dependency of manifest.stacks[name]!.dependencies)
          assert.ok(listed.indexOf(name) < listed.indexOf(dependency), `${name} is destroyed before ${dependency}`);
      const database = teardownStack(stacks.find((stack) => stack.layer === 'data')!, folders).deletionProtectionOff.find((address) =>
        address.startsWith('aws_db_instance.'),
      );
      assert.ok(run.stdout.includes(`apply -target=${database}`), 'the targeted apply that switches deletion protection off is printed');
      assert.match(run.stdout, new RegExp(`^ {2}${env!.name}-cluster .*; \\d+ objects in the cluster: state rm them first$`, 'm'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('needs exactly one environment that the output has, and never writes over the synthesized output', async () => {
    assert.equal((await runCli('teardown', [])).status, 2);
    const inPlace = await runCli('teardown', ['--env', exampleEnvironments()[0]!.name, '--dir', exampleOutput(), '--out', exampleOutput()]);
    assert.equal(inPlace.status, 2);
    assert.match(inPlace.stderr, /--out must not be the synthesized output/);
    const unknown = await runCli('teardown', ['--env', 'no-such-env', '--dir', exampleOutput()]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, new RegExp(`no synthesized stacks of "no-such-env" .*present: .*\\b${exampleEnvironments()[0]!.name}\\b`));
    const missing = await runCli('teardown', ['--env', 'x', '--dir', join(tmpdir(), 'no-such-output')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /run `npm run synth -- --env x` first/);
  });
});
