/**
 * Measures the edit–synth–test loop as a developer runs it, in fresh processes through npm:
 * - config edit: `npm run synth` after changing one environment file (a copy of config/, so nothing of yours moves);
 * - TypeScript edit: `npm run synth` after changing one source file (src/naming.ts, which every stack imports, gets
 *   an export for the run and is restored after), and after changing one synth does not run (a policy check);
 * - test suite: `npm test`;
 * and, for reference, a synth from scratch (no previous output to reuse) with its peak RSS.
 * Synth runs as at a terminal, through a synth server (src/synthesis/server.ts) of its own, which the bench starts and
 * stops; the config edit and the synth from scratch are measured without one too, as in CI (the RSS budget is judged
 * there: it is a synth process's).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseCommandArgs } from '../src/cli/args';
import { stopServer } from '../src/synthesis/server-client';
import { SERVER_DIR_VARIABLE, SERVER_MAX_RSS_MB, SERVER_SWITCH, serverPaths } from '../src/synthesis/server-protocol';
import { runMain } from '../src/cli/entry';
import { PROJECT_ROOT as ROOT } from '../src/project-root';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Issue 15's budgets for this 2-core machine, median wall time in ms. */
const BUDGET_MS = { configEdit: 1000, typescriptEdit: 1500, testSuite: 15000, fromScratch: 1500 };
const RSS_BUDGET_MB = 400;
/** A source file every stack imports, so editing it re-synthesizes everything. */
const EDITED_SOURCE = join(ROOT, 'src', 'naming.ts');
/** A source file synth does not run (a policy check), so editing it reuses every environment. */
const EDITED_OUTSIDE_SYNTH = join(ROOT, 'src', 'checks', 'policy', 'engine.ts');
const EDITED_ENVIRONMENT = 'dev';

interface Sample {
  readonly wallMs: number;
  readonly rssMb: number;
}

function npm(args: string[], work: string, env: NodeJS.ProcessEnv = {}): Sample {
  const rssFile = join(work, 'rss');
  rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(NPM, ['run', '--silent', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // Preloaded into every node process npm starts: the synth process records its own peak RSS when it exits.
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${join(work, 'rss-probe.js')}`, BENCH_RSS_FILE: rssFile },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`npm run ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  let rssMb = 0;
  try {
    rssMb = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number)) / 1024;
  } catch {}
  return { wallMs, rssMb };
}

/** Waits (up to 30 s) until the server the first synth started listens. */
function waitForServer(socket: string): void {
  const deadline = Date.now() + 30_000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline) throw new Error(`the synth server did not start (no ${socket}); see server.log beside it`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Prints the samples' range, against the time budget (none: a figure for reference) and with `showRss` against the RSS
 * budget, and says whether they are within both.
 */
function report(label: string, samples: Sample[], budgetMs: number | undefined, showRss = false): boolean {
  const wall = samples.map((s) => s.wallMs);
  const peakRss = Math.max(...samples.map((s) => s.rssMb));
  const timeOk = budgetMs === undefined || median(wall) <= budgetMs;
  const rssOk = !showRss || peakRss <= RSS_BUDGET_MB;
  const range = `min ${Math.min(...wall).toFixed(0)}, median ${median(wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)} ms`;
  const time = budgetMs === undefined ? 'for reference' : `budget ${budgetMs} ms: ${timeOk ? 'within' : 'OVER'}`;
  const rss = showRss ? `; peak RSS ${peakRss.toFixed(0)} MB, budget ${RSS_BUDGET_MB} MB: ${rssOk ? 'within' : 'OVER'}` : '';
  console.log(`${label.padEnd(40)} ${range}  ${time}${rss}`);
  return timeOk && rssOk;
}

const USAGE = `usage: npm run bench -- [--runs N] [--test-runs N] [--skip-tests]
  --runs        runs of each synth measure, after one warm-up (default 7)
  --test-runs   runs of npm test (default 3)
  --skip-tests  leave npm test out`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('bench', argv, { values: ['runs', 'test-runs'], flags: ['skip-tests'] }, USAGE);
  if (typeof args === 'number') return args;
  const count = (name: string, fallback: number) => {
    const value = Number(args.values.get(name)?.at(-1) ?? fallback);
    if (Number.isInteger(value) && value >= 1) return value;
    console.error(`bench: --${name} must be a whole number ≥ 1 (got ${JSON.stringify(args.values.get(name)?.at(-1))})\n${USAGE}`);
    return undefined;
  };
  const runs = count('runs', 7);
  const testRuns = count('test-runs', 3);
  if (runs === undefined || testRuns === undefined) return 2;
  const work = mkdtempSync(join(tmpdir(), 'platform-infra-bench-'));
  writeFileSync(
    join(work, 'rss-probe.js'),
    "process.on('exit', () => require('fs').appendFileSync(process.env.BENCH_RSS_FILE, process.resourceUsage().maxRSS + '\\n'));",
  );
  const config = join(work, 'config');
  const out = join(work, 'out');
  cpSync(join(ROOT, 'config'), config, { recursive: true });
  const server = serverPaths(ROOT, { [SERVER_DIR_VARIABLE]: join(work, 'server') });
  /** Each server's status after its last request (its file, rewritten after each), by pid. */
  const servers = new Map<number, { served: number; maxRssMb: number }>();
  const synth = (withServer = true) => {
    const sample = npm(['synth', '--', '--quiet', '--config', config, '--out', out], work, {
      [SERVER_SWITCH]: withServer ? '1' : '0',
      [SERVER_DIR_VARIABLE]: server.dir,
    });
    try {
      const status = JSON.parse(readFileSync(server.status, 'utf8'));
      servers.set(status.pid, status);
    } catch {}
    return sample;
  };
  const originals = new Map([EDITED_SOURCE, EDITED_OUTSIDE_SYNTH].map((file) => [file, readFileSync(file, 'utf8')]));
  /** `npm run synth` after each of `runs` edits of `file`, which is restored after each. */
  const typescriptEdits = (file: string) =>
    Array.from({ length: runs }, (_, i) => {
      appendFileSync(file, `\nexport const BENCH_EDIT = ${i};\n`);
      try {
        return synth();
      } finally {
        writeFileSync(file, originals.get(file)!);
      }
    });
  try {
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ` +
        `${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ` +
        `${runs} runs each (+1 warm-up), ${testRuns} of npm test`,
    );
    let ok = true;

    // The first synth runs in its own process and starts the server.
    synth();
    waitForServer(server.socket);
    const envFile = join(config, 'environments', `${EDITED_ENVIRONMENT}.json`);
    const envText = readFileSync(envFile, 'utf8');
    let edits = 0;
    const configEdits = (withServer: boolean) =>
      Array.from({ length: runs }, () => {
        // A real change of the synthesized output, every time: the default log retention, between two allowed values.
        const environment = JSON.parse(envText);
        environment.defaultLogRetentionDays = edits++ % 2 === 0 ? 60 : 90;
        writeFileSync(envFile, `${JSON.stringify(environment, null, 2)}\n`);
        return synth(withServer);
      });
    ok = report(`config edit (${EDITED_ENVIRONMENT}.json) → synth`, configEdits(true), BUDGET_MS.configEdit) && ok;
    report('  without a server (as in CI)', configEdits(false), undefined);

    ok = report('TypeScript edit (src/naming.ts) → synth', typescriptEdits(EDITED_SOURCE), BUDGET_MS.typescriptEdit) && ok;
    ok = report('  of a check synth does not run', typescriptEdits(EDITED_OUTSIDE_SYNTH), BUDGET_MS.typescriptEdit) && ok;

    const fromScratch = (withServer: boolean) =>
      Array.from({ length: runs }, () => {
        rmSync(out, { recursive: true, force: true });
        return synth(withServer);
      });
    ok = report('synth from scratch (all environments)', fromScratch(true), BUDGET_MS.fromScratch) && ok;
    // The RSS budget is a synth process's; the server's own growth is bounded by SERVER_MAX_RSS_MB.
    ok = report('  without a server (as in CI)', fromScratch(false), undefined, true) && ok;
    const served = [...servers.values()];
    console.log(
      `synth servers: ${served.length}, ${served.reduce((sum, status) => sum + status.served, 0)} requests, peak RSS ` +
        `${Math.max(0, ...served.map((status) => status.maxRssMb))} MB (one exits past ${SERVER_MAX_RSS_MB} MB, and the next ` +
        'synth starts another)',
    );

    if (!args.flags.has('skip-tests')) {
      const tests = Array.from({ length: testRuns }, () => npm(['test'], work));
      ok = report('npm test', tests, BUDGET_MS.testSuite) && ok;
    }
    return ok ? 0 : 1;
  } finally {
    stopServer(server);
    for (const [file, text] of originals) writeFileSync(file, text);
    // The restored sources must not stay compiled with the bench's edit.
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'compile.mjs')], { cwd: ROOT });
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);
