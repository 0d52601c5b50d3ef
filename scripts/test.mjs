#!/usr/bin/env node
// npm test: everything CI checks, as fast as the machine allows. The type check and the linter/formatter need
// nothing synthesized, so they run beside compile → synth; what reads the synthesized example (schema and policy
// checks, contract check, test suite: see scripts/run-tests.mjs) then runs side by side.
// Output of each step is shown when it ends; the exit code is non-zero if any step failed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileOrExit, ROOT } from './compile.mjs';

const bin = (pkg, file) => join(ROOT, 'node_modules', pkg, file);
const node = (...args) => [process.execPath, ...args];
/** Our commands load their modules through the compile cache (scripts/compile-cache.cjs). */
const command = (...args) => node('--require', join(ROOT, 'scripts', 'compile-cache.cjs'), ...args);

const SIDE_STEPS = [
  ['type check (tsc --noEmit)', node(bin('typescript', 'bin/tsc'), '-p', '.', '--noEmit')],
  ['lint and format (biome ci)', node(bin('@biomejs/biome', 'bin/biome'), 'ci', '--colors=off', '.')],
];
const SYNTH = ['synth', command('dist/src/cli/synth.js', '--quiet')];
/** What reads the example synth wrote into `outDir`, its default output folder. */
const afterSynth = (outDir) => [
  ['schema and policy checks', command('dist/src/cli/check.js')],
  ['contract check', command('dist/src/cli/contract.js', 'check')],
  ['test suite', node('scripts/run-tests.mjs', '--example', outDir)],
];

function run([label, [program, ...args]]) {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(program, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n── ${label}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s\n${output.trimEnd()}\n`);
      done(code === 0);
    });
  });
}

async function synthThenReaders() {
  if (!(await run(SYNTH))) return false;
  // Compiled by now: the folder is named once, in src/layers.ts.
  const { SYNTH_OUT_DIR } = createRequire(import.meta.url)(join(ROOT, 'dist', 'src', 'layers.js'));
  return (await Promise.all(afterSynth(SYNTH_OUT_DIR).map(run))).every(Boolean);
}

const started = performance.now();
const { compiled } = await compileOrExit();
if (compiled > 0) console.log(`compiled ${compiled} changed file(s) into dist/`);
const results = await Promise.all([synthThenReaders(), ...SIDE_STEPS.map(run)]);
const ok = results.every(Boolean);
console.log(`\nnpm test ${ok ? 'passed' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(ok ? 0 : 1);
