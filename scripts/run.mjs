#!/usr/bin/env node
// Compiles what changed (scripts/compile.mjs), then runs a compiled command in the same process, so compiling and
// running cost one node start (the scripts that synthesize first, such as cost, start their second command with
// node). The command module exports `main` (src/cli/entry.ts); loaded from here it is not `require.main`, so it
// does not run itself and its `main` is called instead. Modules load through the compile cache
// (scripts/compile-cache.cjs).
// Synth goes to the synth server when one is running (src/synthesis/server.ts: the installed packages stay loaded
// between synths), and otherwise runs here and starts one for the next synth.
// Usage: node scripts/run.mjs <source path without .ts, e.g. src/cli/synth> [args...]
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { compileOrExit, ROOT } from './compile.mjs';

const require = createRequire(import.meta.url);
require('./compile-cache.cjs');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <src/cli/command> [args...]');
  process.exit(2);
}
await compileOrExit();
const command = entry.replace(/\.ts$/, '');
const client = require(join(ROOT, 'dist', 'src', 'synthesis', 'server-client.js'));
const server = command === client.SERVED_COMMAND ? client : undefined;
const served = await server?.synthThroughServer(ROOT, args);
if (served === undefined) {
  const { main } = require(join(ROOT, 'dist', `${command}.js`));
  if (typeof main !== 'function') {
    console.error(`${entry} exports no main function (src/cli/entry.ts says what a command module exports)`);
    process.exit(2);
  }
  await require(join(ROOT, 'dist', 'src', 'cli', 'entry.js')).runMain(main, args);
  if (server?.startServer(ROOT) && !args.includes('--quiet')) {
    console.error('synth: started a synth server, which the next synths use (README "The synth server")');
  }
} else process.exitCode = served;
