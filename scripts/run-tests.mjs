#!/usr/bin/env node
// Runs every compiled test file with node's test runner, in parallel processes.
// Usage: node scripts/run-tests.mjs [--example <dir>] [test dir] [node --test options]
//   --example  a folder the example configuration was just synthesized into (npm test passes cdktf.out); test
//              processes read its stacks instead of each synthesizing the example again (test/support/synth.ts).
// Node 20 takes no glob patterns and Node 22 reads arguments as globs, so the files are listed here for both.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

const EXAMPLE_OUT_VARIABLE = 'PLATFORM_INFRA_EXAMPLE_OUT'; // test/support/synth.ts reads it

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const args = process.argv.slice(2);
const env = { ...process.env };
const exampleAt = args.indexOf('--example');
if (exampleAt >= 0) {
  env[EXAMPLE_OUT_VARIABLE] = resolve(args[exampleAt + 1]);
  args.splice(exampleAt, 2);
}
const dir = args[0] && !args[0].startsWith('-') ? args.shift() : 'dist/test';
const files = findTests(dir).sort();
if (files.length === 0) {
  console.error('no test files found; run the build first');
  process.exit(1);
}
// Test files are mostly CPU-bound: one process per core, plus one to cover the time others wait on child processes.
const concurrency = availableParallelism() + 1;
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...args, ...files], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
