import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { PROJECT_ROOT as REPO_ROOT } from '../../src/project-root';

/** Biome's lineWidth: Biome cannot wrap string literals, comments or YAML, so this test holds those to it. */
const MAX_LINE_LENGTH: number = JSON.parse(readFileSync(join(REPO_ROOT, 'biome.json'), 'utf8')).formatter.lineWidth;

/** Tracked files checked: code and workflow YAML. Markdown is not checked (tables and links are one line each). */
const PATTERNS = ['*.ts', '*.mjs', '*.cjs', '*.js', '*.yml', '*.yaml'];
/** Generated or vendored content: not written by hand, so not wrapped by hand. */
const EXCLUDED = /^(?:src\/generated|schemas\/|contract\/)/;

/** Tracked files the check covers, relative to the repository root. */
function checkedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--', ...PATTERNS], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return out
    .split('\0')
    .filter((file) => file !== '' && !EXCLUDED.test(file))
    .filter((file) => existsSync(join(REPO_ROOT, file))); // a tracked file deleted in the working tree has no lines
}

/** `file:line (length)` for each line of `text` longer than MAX_LINE_LENGTH characters (code points). */
function longLines(file: string, text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, i) => {
    const length = [...line].length;
    return length > MAX_LINE_LENGTH ? [`${file}:${i + 1} (${length})`] : [];
  });
}

describe('line length', () => {
  const files = checkedFiles();
  const texts = new Map(files.map((file) => [file, readFileSync(join(REPO_ROOT, file), 'utf8')]));

  it('finds the files it checks, and only those', () => {
    assert.ok(files.length > 100, `only ${files.length} files`);
    for (const file of ['src/app.ts', 'test/architecture/imports.test.ts', 'scripts/run-tests.mjs']) assert.ok(files.includes(file), file);
    assert.ok(files.some((file) => file.startsWith('.github/workflows/') && file.endsWith('.yml')));
    assert.deepEqual(
      files.filter((file) => EXCLUDED.test(file) || file.endsWith('.md') || file.endsWith('.json')),
      [],
    );
  });

  it(`no tracked line is longer than ${MAX_LINE_LENGTH} characters`, () => {
    const offenders = files.flatMap((file) => longLines(file, texts.get(file)!));
    assert.equal(
      offenders.length,
      0,
      `${offenders.length} line(s) over ${MAX_LINE_LENGTH} characters (split the string, wrap the comment):\n${offenders.join('\n')}`,
    );
  });

  it('reports a synthetic long line, and only lines over the limit', () => {
    const long = `const s = '${'x'.repeat(MAX_LINE_LENGTH)}';`;
    const text = ['short', 'y'.repeat(MAX_LINE_LENGTH), long, '≥'.repeat(MAX_LINE_LENGTH), ''].join('\n');
    assert.deepEqual(longLines('src/example.ts', text), [`src/example.ts:3 (${MAX_LINE_LENGTH + 13})`]);
    assert.deepEqual(longLines('src/example.ts', text.replace(/\n/g, '\r\n')), [`src/example.ts:3 (${MAX_LINE_LENGTH + 13})`]);
  });
});
