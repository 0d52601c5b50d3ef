import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/synth';

/** A checkout of the script alone: it caches the modules below its parent folder, where the programs are. */
const work = mkdtempSync(join(tmpdir(), 'compile-cache-'));
after(() => rmSync(work, { recursive: true, force: true }));
const CACHE = join(work, 'scripts', 'compile-cache.cjs');
cpSync(join(REPO_ROOT, 'scripts', 'compile-cache.cjs'), CACHE);

/** Runs `main` (main.js) of `dir` in a fresh node that loads the compile cache first; its report is on stderr. */
async function runWithCache(dir: string, cacheDir: string, env: Record<string, string> = {}, main = 'main.js', flags: string[] = []) {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [...flags, '--require', CACHE, join(dir, main)], {
    env: {
      PATH: process.env.PATH,
      PLATFORM_INFRA_COMPILE_CACHE_DIR: cacheDir,
      PLATFORM_INFRA_COMPILE_CACHE_REPORT: '1',
      ...env,
    },
  });
  const report = /compile cache: (\d+) used, (\d+) compiled, (\d+) written/.exec(stderr);
  return { stdout: stdout.trim(), used: Number(report?.[1]), compiled: Number(report?.[2]), written: Number(report?.[3]) };
}

/** A program of two modules: main.js prints what value.js exports, behind a shebang as a bin script has. */
function program(value: string, parent = work): string {
  const dir = mkdtempSync(join(parent, 'program-'));
  writeFileSync(join(dir, 'main.js'), "#!/usr/bin/env node\nconsole.log(require('./value.js').value());\n");
  writeFileSync(join(dir, 'value.js'), `exports.value = () => ${JSON.stringify(value)};\n`);
  return dir;
}

// Node 22.1+ caches with its own module.enableCompileCache, which the script hands over to; this tests the Node 20 one.
const builtIn = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('scripts/compile-cache.cjs', { skip: builtIn && 'this node caches compiled modules itself' }, () => {
  it('fills the cache on the first run and compiles nothing on the second, with the same result', async () => {
    const dir = program('first');
    const cacheDir = join(work, 'fill');
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'first', used: 0, compiled: 2, written: 2 });
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'first', used: 2, compiled: 0, written: 0 });
  });

  it('writes a module loaded twice in a process (as the synth server does per request) once, as last compiled', async () => {
    const dir = program('again');
    writeFileSync(
      join(dir, 'twice.js'),
      "const first = require('./value.js').value();\ndelete require.cache[require.resolve('./value.js')];\n" +
        "console.log(first, require('./value.js').value());\n",
    );
    const cacheDir = join(work, 'twice');
    assert.deepEqual(await runWithCache(dir, cacheDir, {}, 'twice.js'), { stdout: 'again again', used: 0, compiled: 3, written: 2 });
    assert.deepEqual(await runWithCache(dir, cacheDir, {}, 'twice.js'), { stdout: 'again again', used: 3, compiled: 0, written: 0 });
  });

  it('keeps a cache per command: another main script of the same modules compiles them for itself', async () => {
    const dir = program('shared');
    writeFileSync(join(dir, 'other.js'), "console.log(require('./value.js').value());\n");
    const cacheDir = join(work, 'per-command');
    await runWithCache(dir, cacheDir);
    assert.deepEqual(await runWithCache(dir, cacheDir, {}, 'other.js'), { stdout: 'shared', used: 0, compiled: 2, written: 2 });
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'shared', used: 2, compiled: 0, written: 0 });
    assert.deepEqual(readdirSync(cacheDir).sort(), [`${basename(dir)}_main`, `${basename(dir)}_other`]);
  });

  it('compiles a module again when its source changed, even to a text of the same length', async () => {
    const dir = program('aaaa');
    const cacheDir = join(work, 'edit');
    await runWithCache(dir, cacheDir);
    writeFileSync(join(dir, 'value.js'), `exports.value = () => ${JSON.stringify('bbbb')};\n`);
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'bbbb', used: 1, compiled: 1, written: 1 });
  });

  it('compiles a module whose cache entry is unreadable, and replaces the entry', async () => {
    const dir = program('kept');
    const cacheDir = join(work, 'corrupt');
    await runWithCache(dir, cacheDir);
    const entries = join(cacheDir, `${basename(dir)}_main`);
    for (const entry of readdirSync(entries)) writeFileSync(join(entries, entry), 'not a cache entry');
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'kept', used: 0, compiled: 2, written: 2 });
    assert.equal((await runWithCache(dir, cacheDir)).used, 2);
  });

  it("leaves a module that calls import() to Node's loader, where a cached one could not import on Node 20", async () => {
    const dir = mkdtempSync(join(work, 'dynamic-'));
    writeFileSync(join(dir, 'main.js'), "import('node:path').then((path) => console.log(path.basename('/a/b.txt')));\n");
    const cacheDir = join(work, 'dynamic');
    for (let run = 0; run < 2; run++)
      assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'b.txt', used: 0, compiled: 0, written: 0 });
  });

  it('compiles a module without the source map inlined at its end, so the map neither costs a compile nor decides caching', async () => {
    const dir = program('mapped');
    // A map in a data URL may carry the original source in plain text; this one mentions import().
    const map = `data:application/json,${JSON.stringify({ version: 3, sourcesContent: ["await import('x')"] })}`;
    writeFileSync(join(dir, 'value.js'), `exports.value = () => 'mapped';\n//# sourceMappingURL=${map}\n`);
    const cacheDir = join(work, 'mapped');
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'mapped', used: 0, compiled: 2, written: 2 });
    assert.deepEqual(await runWithCache(dir, cacheDir), { stdout: 'mapped', used: 2, compiled: 0, written: 0 });
  });

  it('leaves modules outside its checkout alone, as temporary ones would fill the cache', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'compile-cache-outside-'));
    try {
      const result = await runWithCache(program('elsewhere', outside), join(work, 'outside'));
      assert.deepEqual(result, { stdout: 'elsewhere', used: 0, compiled: 0, written: 0 });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('leaves a process with --enable-source-maps to Node, which maps its stack traces', async () => {
    const result = await runWithCache(program('mapped'), join(work, 'source-maps'), {}, 'main.js', ['--enable-source-maps']);
    assert.equal(result.stdout, 'mapped');
    assert.ok(Number.isNaN(result.used), 'no report: the cache was not installed');
  });

  it('is off with PLATFORM_INFRA_COMPILE_CACHE=0', async () => {
    const dir = program('off');
    const result = await runWithCache(dir, join(work, 'off'), { PLATFORM_INFRA_COMPILE_CACHE: '0' });
    assert.equal(result.stdout, 'off');
    assert.ok(Number.isNaN(result.used), 'no report: the cache was not loaded');
  });
});
