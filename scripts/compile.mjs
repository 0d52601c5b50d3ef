#!/usr/bin/env node
// Compiles the TypeScript sources that changed since their last compile into dist/ (esbuild: transpile only,
// no type check), and removes compiled files whose source is gone. It is what synth and the other commands run
// before starting, so an edit costs one file's transpile, not a full build. Type checking is `tsc --noEmit`
// (npm run build, npm test). Safe to transpile file by file: tsconfig sets isolatedModules, which makes tsc
// reject the constructs a single-file transpiler cannot compile.
// Usage: node scripts/compile.mjs [--all]   (--all recompiles everything)
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; the scripts that start with a compile take it from here. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// What tsc compiles and for which target, from tsconfig.json ("include": ["src/**/*.ts", ...]).
const TSCONFIG = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
const SOURCE_DIRS = TSCONFIG.include.map((pattern) => pattern.split('/')[0]);
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
      target: TSCONFIG.compilerOptions.target,
      sourcemap: true,
      logLevel: 'error',
    });
  }
  return { compiled: stale.length };
}

/** `compile`, for the scripts that start with it: exits 1 on a syntax error (esbuild has printed it with its file and line). */
export async function compileOrExit(options) {
  try {
    return await compile(options);
  } catch (error) {
    if (!error?.errors) console.error(error);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await compileOrExit({ all: process.argv.includes('--all') });
