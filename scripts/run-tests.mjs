#!/usr/bin/env node
// Runs every compiled test file with node's test runner, split across one process per core.
// Usage: node scripts/run-tests.mjs [--example <dir>] [<test dir>]
//   --example  a folder the example configuration was just synthesized into (npm test passes cdktf.out); tests
//              read its stacks instead of synthesizing the example again (test/support/synth.ts).
// A process per test file (node --test) spends most of its time loading the same modules again, so each
// process here loads a share of the files and runs them in-process. Test files share that process: a file
// must not leave global state behind (environment variables, the working directory).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARD_FLAG = '--run-shard';
const { EXAMPLE_OUT_VARIABLE } = createRequire(import.meta.url)('../dist/test/support/example-out.js');
const TIMING_PREFIX = '#timing ';
const REPORTER = fileURLToPath(new URL('test-timings-reporter.mjs', import.meta.url));
/** Every shard loads the same modules: through the compile cache, which the first run fills. */
const COMPILE_CACHE = fileURLToPath(new URL('compile-cache.cjs', import.meta.url));
/** Each file's last measured run time, to balance the next run. Kept beside the compiled tests (git-ignored). */
const TIMINGS_FILE = 'dist/test-timings.json';

if (process.argv[2] === SHARD_FLAG) {
  // Loading a file runs its module-level code (some synthesize there), so loading counts towards its weight.
  const require = createRequire(import.meta.url);
  for (const file of process.argv.slice(3)) {
    const start = performance.now();
    try {
      require(resolve(file));
    } catch (error) {
      // A file that throws while it loads fails as a test of its own, and the shard's other files still run, as they
      // would with a process per file; uncaught, the error would end the shard and leave them unrun.
      require('node:test').test(`${relative(process.cwd(), resolve(file))} loads`, () => {
        throw error;
      });
    }
    process.stderr.write(`${TIMING_PREFIX}${JSON.stringify({ file: resolve(file), ms: performance.now() - start })}\n`);
  }
} else {
  process.exitCode = await main(process.argv.slice(2));
}

async function main(args) {
  const env = { ...process.env };
  const exampleAt = args.indexOf('--example');
  if (exampleAt >= 0) {
    env[EXAMPLE_OUT_VARIABLE] = resolve(args[exampleAt + 1]);
    args.splice(exampleAt, 2);
  }
  const files = findTests(args[0] ?? 'dist/test').sort();
  if (files.length === 0) {
    console.error('no test files found; run the build first');
    return 1;
  }
  const shards = partition(files, Math.min(availableParallelism(), files.length));
  const work = mkdtempSync(join(tmpdir(), 'platform-infra-tests-'));
  try {
    const results = await Promise.all(shards.map((shard, i) => runShard(shard, join(work, `${i}.timings`), env)));
    for (const { output } of results) process.stdout.write(output);
    writeTimings(results.flatMap((r) => r.timings));
    // The counts each shard's reporter (test-timings-reporter.mjs) gives, added up.
    const totals = {};
    for (const result of results) for (const [key, n] of Object.entries(result.totals)) totals[key] = (totals[key] ?? 0) + n;
    const failed = results.some((r) => r.code !== 0);
    console.log(
      `\n${failed ? 'FAILED' : 'passed'}: ${files.length} files in ${shards.length} processes; ` +
        Object.entries(totals)
          .map(([key, n]) => `${key} ${n}`)
          .join(', '),
    );
    return failed ? 1 : 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

/** Longest first onto the lightest shard, by the times the last run measured (files not measured yet: the median). */
function partition(files, count) {
  const measured = readTimings();
  const known = files.map((f) => measured[f]).filter((ms) => ms !== undefined);
  const typical = known.length ? known.sort((a, b) => a - b)[Math.floor(known.length / 2)] : 1;
  const weight = (file) => measured[file] ?? typical;
  const shards = Array.from({ length: count }, () => ({ files: [], weight: 0 }));
  for (const [file, w] of files.map((f) => [f, weight(f)]).sort((a, b) => b[1] - a[1])) {
    const lightest = shards.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.files.push(file);
    lightest.weight += w;
  }
  return shards.map((s) => s.files.sort());
}

function readTimings() {
  try {
    return JSON.parse(readFileSync(TIMINGS_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function writeTimings(records) {
  const timings = {};
  for (const { file, ms } of records) {
    const key = relative(process.cwd(), file);
    timings[key] = (timings[key] ?? 0) + ms;
  }
  writeFileSync(TIMINGS_FILE, `${JSON.stringify(timings, null, 1)}\n`);
}

function runShard(files, timingFile, env) {
  const args = ['--require', COMPILE_CACHE, '--test-reporter=spec', '--test-reporter-destination=stdout'];
  args.push(`--test-reporter=${REPORTER}`, `--test-reporter-destination=${timingFile}`);
  args.push(fileURLToPath(import.meta.url), SHARD_FLAG, ...files);
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('close', (code) => {
      const timingLines = errors.split('\n').filter((line) => line.startsWith(TIMING_PREFIX));
      output += errors
        .split('\n')
        .filter((line) => !line.startsWith(TIMING_PREFIX))
        .join('\n');
      const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
      // Loading times from the shard's stderr, then the reporter's lines: per-file times and the shard's totals.
      const records = [...timingLines.map((line) => line.slice(TIMING_PREFIX.length)), ...read(timingFile).split('\n')]
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      const totals = records.find((record) => record.totals)?.totals ?? {};
      done({ code: code ?? 1, output, totals, timings: records.filter((record) => !record.totals) });
    });
  });
}
