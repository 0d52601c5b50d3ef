import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/synth';

const passing = (name: string) => `require('node:test').test('${name} passes', () => {});\n`;

describe('scripts/run-tests.mjs', () => {
  const work = mkdtempSync(join(tmpdir(), 'run-tests-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('fails a test file that throws while it loads, and still runs every other file of its shard', async () => {
    const tests = join(work, 'tests');
    mkdirSync(join(work, 'dist'));
    mkdirSync(tests);
    // Enough files that each shard holds several, whichever shard gets the broken one.
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const name of names) writeFileSync(join(tests, `${name}.test.js`), passing(name));
    writeFileSync(join(tests, 'broken.test.js'), `${passing('broken')}throw new Error('the fixture cannot load');\n`);
    // Not as a child of this test runner (NODE_TEST_CONTEXT), which would switch its shards to the runner's own protocol.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const script = join(REPO_ROOT, 'scripts', 'run-tests.mjs');
    const result = await promisify(execFile)(process.execPath, [script, 'tests'], { cwd: work, env }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(result.code, 1);
    for (const name of names) assert.match(result.stdout, new RegExp(`✔ ${name} passes`), name);
    assert.match(result.stdout, /✖ tests\/broken\.test\.js loads/);
    assert.match(result.stdout, /the fixture cannot load/);
    assert.match(result.stdout, /FAILED: 7 files in \d processes; tests 8, pass 7, fail 1/);
  });
});
