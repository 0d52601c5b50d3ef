import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/command';
import { exampleEnvironments, REPO_ROOT } from '../support/synth';

const run = (cli: 'cost' | 'diff' | 'diagram', ...args: string[]) => runCli(cli, args);
const synthesized = existsSync(join(REPO_ROOT, 'cdktf.out', 'manifest.json'));

describe('preview commands', () => {
  for (const cli of ['cost', 'diff', 'diagram'] as const) {
    it(`npm run ${cli} -- --help prints the usage and exits 0; a bad option exits 2`, async () => {
      const help = await run(cli, '--help');
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^usage: npm run ${cli}`));
      const bad = await run(cli, '--colour');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /unknown option --colour/);
    });
  }

  it('diff names an unknown base ref and how to fetch it', { skip: !synthesized }, async () => {
    const result = await run('diff', '--base', 'no-such-ref-xyz');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /unknown git ref "no-such-ref-xyz": fetch it first/);
  });

  it('cost and diff against HEAD synthesize the base once, report progress and end with a summary', { skip: !synthesized }, async () => {
    // A folder an interrupted run left (no completion marker) is synthesized again, not taken for the base.
    const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();
    const cached = join(REPO_ROOT, 'cdktf.out.base', commit);
    rmSync(cached, { recursive: true, force: true });
    mkdirSync(cached, { recursive: true });
    writeFileSync(join(cached, 'manifest.json'), '{"stacks":{}}');

    const env = exampleEnvironments()[0]!.name;
    const cost = await run('cost', '--env', env, '--base', 'HEAD', '--format', 'markdown');
    assert.equal(cost.status, 0, cost.stderr);
    assert.match(cost.stderr, /checking out into a temporary worktree \(without test\/, docs\/\)/);
    assert.match(cost.stderr, /offering it this checkout's last synth \(\d+ stacks\) to copy what is unchanged/);
    assert.match(cost.stdout, /^## Cost estimate/);
    assert.match(cost.stdout, new RegExp(`\\| ${env} \\| [\\d,.]+ \\| [\\d,.]+ \\| [+-][\\d,.]+ \\|`));
    assert.match(cost.stderr, /cost: base HEAD \([0-9a-f]{12}\)/);
    const diff = await run('diff', '--env', env, '--base', 'HEAD');
    assert.equal(diff.status, 0, diff.stderr);
    assert.match(diff.stderr, /reusing cdktf\.out\.base\//, "the second command reuses the first one's synthesis");
    assert.match(diff.stdout.trim().split('\n').at(-1)!, /^diff HEAD \([0-9a-f]{12}\) -> working tree: \d+ stacks? differ/);
  });
});
