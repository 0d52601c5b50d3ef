#!/usr/bin/env node
// Compiles what changed (scripts/compile.mjs), then runs a compiled command in the same process, so an npm
// script starts node once. Usage: node scripts/run.mjs <source path without .ts, e.g. src/cli/synth> [args...]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileOrExit } from './compile.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <src/cli/command> [args...]');
  process.exit(2);
}
await compileOrExit();
const compiled = join(ROOT, 'dist', `${entry.replace(/\.ts$/, '')}.js`);
// The command reads its arguments from process.argv, as when started as `node <compiled> [args...]`.
process.argv = [process.argv[0], compiled, ...args];
createRequire(import.meta.url)(compiled);
