import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { codeFingerprint, SYNTH_ENTRY, synthModules } from '../../src/synthesis/fingerprint';
import { REPO_ROOT } from '../support/synth';

const COMPILED_SRC = join(REPO_ROOT, 'dist', 'src');

describe('the code fingerprint: the compiled modules synth runs (src/synthesis/fingerprint.ts)', () => {
  const folders: string[] = [];
  after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  /** Compiled modules as esbuild writes their imports; `unused.js` is required by none of them. */
  function compiledApp(): string {
    const dir = mkdtempSync(join(tmpdir(), 'fingerprint-'));
    folders.push(dir);
    const files: Record<string, string> = {
      [SYNTH_ENTRY]: 'var a = require("../a");\nfunction later() { return require("../lazy/index.js"); }\n',
      'a.js': 'var shared = require("./shared");\nvar cycle = require("./synthesis/environments");\nvar pkg = require("cdktn");\n',
      'shared/index.js': 'var gone = require("../removed");\nexports.x = 1;\n',
      'lazy/index.js': 'Promise.resolve().then(() => import("./later.js"));\n',
      'lazy/later.js': 'exports.y = 2;\n',
      'unused.js': 'exports.z = 3;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    return dir;
  }

  it('follows relative requires, lazy ones and import() from the entry, through folders and cycles, and not packages', () => {
    const dir = compiledApp();
    assert.deepEqual(
      [...synthModules(dir).keys()],
      ['a.js', 'lazy/index.js', 'lazy/later.js', 'removed.js', 'shared/index.js', SYNTH_ENTRY].sort(),
    );
    assert.equal(synthModules(dir).get('removed.js'), 'unresolved removed.js', 'a require of no file is kept by its text');
  });

  it('changes with a module synth runs and not with one it does not', () => {
    const dir = compiledApp();
    const before = codeFingerprint(dir, join(dir, 'package-lock.json'));
    writeFileSync(join(dir, 'unused.js'), 'exports.z = 4;\n');
    assert.equal(codeFingerprint(dir, join(dir, 'package-lock.json')), before);
    writeFileSync(join(dir, 'lazy', 'later.js'), 'exports.y = 3;\n');
    const edited = codeFingerprint(dir, join(dir, 'package-lock.json'));
    assert.notEqual(edited, before);
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}');
    assert.notEqual(codeFingerprint(dir, join(dir, 'package-lock.json')), edited, 'and with the installed packages');
  });

  it('covers the app and leaves out the commands and the previews, so editing those synthesizes nothing again', () => {
    const modules = [...synthModules(COMPILED_SRC).keys()];
    const stacks = readdirSync(join(COMPILED_SRC, 'stacks')).filter((file) => file.endsWith('.js'));
    for (const file of ['app.js', 'naming.js', join('synthesis', 'resolve-fast-path.js'), ...stacks.map((s) => join('stacks', s))])
      assert.ok(modules.includes(file), file);
    assert.deepEqual(
      modules.filter((file) => /^(cli|preview|delivery)\//.test(file)),
      [],
    );
  });

  it('holds every compiled module that loading synth and the app loads', () => {
    // In a process of its own (this one has loaded modules of every kind), through the compile cache as commands are.
    const loaded = execFileSync(
      process.execPath,
      [
        '--require',
        join(REPO_ROOT, 'scripts', 'compile-cache.cjs'),
        '-e',
        `require(${JSON.stringify(join(COMPILED_SRC, SYNTH_ENTRY))}); require(${JSON.stringify(join(COMPILED_SRC, 'app.js'))});
         const root = ${JSON.stringify(`${COMPILED_SRC}/`)};
         console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.startsWith(root)).map((f) => f.slice(root.length))));`,
      ],
      { encoding: 'utf8' },
    );
    const modules = synthModules(COMPILED_SRC);
    assert.deepEqual(
      (JSON.parse(loaded) as string[]).filter((file) => !modules.has(file)),
      [],
    );
  });
});
