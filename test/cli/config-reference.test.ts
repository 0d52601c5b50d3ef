import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REFERENCE_FILE } from '../../src/config/load';
import { documentedFields } from '../../src/config/reference/markdown';
import { runCli } from '../support/command';
import { REPO_ROOT } from '../support/synth';

const run = (...args: string[]) => runCli('config-reference', args);

describe('npm run config:reference', () => {
  it('--help prints the usage and exits 0; a bad option or argument exits 2', async () => {
    const help = await run('--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run config:reference/);
    assert.equal((await run('--colour')).status, 2);
    assert.equal((await run('extra')).status, 2);
  });

  it('writes the reference the committed one equals and ends with a summary of the fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-reference-'));
    try {
      const output = join(dir, 'nested', 'configuration.md');
      const result = await run('--output', output);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(readFileSync(output, 'utf8'), readFileSync(join(REPO_ROOT, REFERENCE_FILE), 'utf8'));
      const [project, environment] = documentedFields().map((d) => d.fields.length);
      const summary = `fields ${project} of project\\.json, ${environment} of environments/<env>\\.json; \\d+ with per-tier defaults$`;
      assert.match(result.stdout.trim(), new RegExp(summary));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
