#!/usr/bin/env node
// Compiles the TypeScript sources that changed since their last compile into dist/ (esbuild: transpile only,
// no type check), and removes compiled files whose source is gone. It is what synth and the other commands run
// before starting, so an edit costs one file's transpile, not a full build. Type checking is `tsc --noEmit`
// (npm run build, npm test). Safe to transpile file by file: tsconfig sets isolatedModules, which makes tsc
// reject the constructs a single-file transpiler cannot compile.
// Usage: node scripts/compile.mjs [--all]   (--all recompiles everything)
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'test', 'scripts']; // tsconfig.json "include"
const OUT = join(ROOT, 'dist');

function walk(dir, keep) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, keep) : keep(entry.name) ? [path] : [];
  });
}

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};
const outputOf = (source) => join(OUT, relative(ROOT, source)).replace(/\.ts$/, '.js');

export async function compile({ all = false } = {}) {
  const sources = SOURCE_DIRS.flatMap((dir) => walk(join(ROOT, dir), (name) => name.endsWith('.ts') && !name.endsWith('.d.ts')));
  const stale = all ? sources : sources.filter((source) => mtime(source) > mtime(outputOf(source)));
  const expected = new Set(sources.map(outputOf));
  const orphans = SOURCE_DIRS.flatMap((dir) => walk(join(OUT, dir), (name) => name.endsWith('.js'))).filter((out) => !expected.has(out));
  for (const orphan of orphans) for (const file of [orphan, `${orphan}.map`]) rmSync(file, { force: true });
  if (stale.length > 0) {
    const { build } = await import('esbuild');
    for (const source of stale) mkdirSync(dirname(outputOf(source)), { recursive: true });
    await build({
      entryPoints: stale,
      outdir: OUT,
      outbase: ROOT,
      format: 'cjs',
      platform: 'node',
      target: 'es2022', // tsconfig.json "target"
      sourcemap: true,
      banner: { js: '"use strict";' },
      logLevel: 'error',
    });
  }
  return { compiled: stale.length, removed: orphans.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await compile({ all: process.argv.includes('--all') });
  } catch (error) {
    // esbuild has printed the syntax errors with their file and line.
    if (!error?.errors) console.error(error);
    process.exit(1);
  }
}
