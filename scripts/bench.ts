/**
 * Measures synthesis: wall time and peak RSS of `synth` for all environments and for one, over
 * several runs in fresh processes (what a developer and CI pay). Usage: npm run bench [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SYNTH = join(ROOT, 'dist', 'src', 'cli', 'synth.js');
const BUDGET = { wallMs: 1500, rssMb: 400 };

interface Sample {
  readonly wallMs: number;
  readonly rssMb: number;
}

function runOnce(args: string[], work: string): Sample {
  const rssFile = join(work, 'rss');
  // Preloaded into the synth process: records its own peak RSS when it exits.
  const probe = join(work, 'rss-probe.js');
  writeFileSync(
    probe,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
  );
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', probe, SYNTH, '--quiet', '--out', join(work, 'out'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`synth ${args.join(' ')} failed:\n${result.stderr}`);
  return { wallMs, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): number {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
  const work = mkdtempSync(join(tmpdir(), 'platform-infra-bench-'));
  try {
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${runs} runs each (+1 warm-up)`,
    );
    let withinBudget = true;
    for (const [label, args] of [
      ['all environments', []],
      ['one environment (prod)', ['--env', 'prod']],
    ] as const) {
      runOnce([...args], work);
      const samples = Array.from({ length: runs }, () => runOnce([...args], work));
      const wall = samples.map((s) => s.wallMs);
      const rss = Math.max(...samples.map((s) => s.rssMb));
      const ok = label !== 'all environments' || (median(wall) <= BUDGET.wallMs && rss <= BUDGET.rssMb);
      withinBudget &&= ok;
      console.log(
        `${label.padEnd(24)} wall median ${median(wall).toFixed(0)} ms (min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)}), peak RSS ${rss.toFixed(0)} MB${label === 'all environments' ? `  budget ${BUDGET.wallMs} ms / ${BUDGET.rssMb} MB: ${ok ? 'within' : 'OVER'}` : ''}`,
      );
    }
    return withinBudget ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exit(main());
