// `npm run diff [-- --base <ref>] [--env <name>]... [--format text|markdown] [--output <file>]`
// Synthesizes the base ref in a temporary git worktree (src/preview/base-synth.ts) and compares it with the working
// tree's synthesized output: per stack, resources added, removed, moved and changed with their attribute changes, and
// the changes that would replace a protected resource. Reads only synthesized JSON; needs no credentials.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { readStacks } from '../checks/terraform-json';
import { BaseSynthError, synthesizeRef } from '../preview/base-synth';
import { diffStacks } from '../preview/diff/diff';
import { diffSummary, renderDiffAlerts, renderDiffMarkdown, renderDiffText } from '../preview/diff/render';
import { envList, selectEnvironments } from '../preview/resources';
import { parseCommandArgs } from './args';
import { PROJECT_ROOT } from '../project-root';
import { defaultBase } from './preview-base';
import { runMain } from './entry';
import { SYNTH_OUT_DIR } from '../layers';

const USAGE = `usage: npm run diff -- [--base <git ref>] [--env <name>]... [--format text|markdown] [--output <file>]
       [--alerts <file>] [--dir <dir>]
  --base    the ref to compare with (default: origin/main, or main without a remote); synthesized in a temporary worktree
  --env     only these environments (repeatable or comma-separated; default: all)
  --format  text (default) or markdown (for a pull-request comment)
  --output  write the report to this file instead of stdout
  --alerts  also write what plans cannot show (stacks no longer applied) as Markdown to this file, empty when nothing
  --dir     the working tree's synthesized output (default: ${SYNTH_OUT_DIR}; npm run diff synthesizes it first)`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('diff', argv, { values: ['base', 'env', 'format', 'output', 'alerts', 'dir'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const format = args.values.get('format')?.at(-1) ?? 'text';
  if (format !== 'text' && format !== 'markdown') {
    console.error(`diff: --format must be "text" or "markdown", got ${JSON.stringify(format)}`);
    return 2;
  }
  const progress = (line: string) => console.error(`diff: ${line}`);
  try {
    const base = args.values.get('base')?.at(-1) ?? defaultBase(PROJECT_ROOT);
    const envs = envList(args.values.get('env'));
    const headDir = relative(process.cwd(), resolve(args.values.get('dir')?.at(-1) ?? resolve(PROJECT_ROOT, SYNTH_OUT_DIR))) || '.';
    const head = selectEnvironments(readStacks(headDir), envs);
    if (head.length === 0) throw new Error(`no synthesized stacks in ${headDir}: run npm run synth first`);
    const synthesized = synthesizeRef(base, { root: PROJECT_ROOT, progress });
    progress('comparing');
    const baseStacks = readStacks(synthesized.outDir).filter((stack) => !envs || envs.includes(stack.environment));
    const result = diffStacks(baseStacks, head);
    const labels = { title: `${base} (${synthesized.commit.slice(0, 12)}) -> working tree` };
    const text = format === 'markdown' ? renderDiffMarkdown(result, labels) : renderDiffText(result, labels);
    const alerts = args.values.get('alerts')?.at(-1);
    if (alerts) {
      mkdirSync(dirname(alerts), { recursive: true });
      writeFileSync(alerts, renderDiffAlerts(result));
    }
    const output = args.values.get('output')?.at(-1);
    if (output) {
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, text);
      console.log(`${diffSummary(result, labels)}; written to ${output}`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } catch (error) {
    console.error(`diff: ${error instanceof BaseSynthError ? error.message : (error as Error).message}`);
    return 1;
  }
}

if (require.main === module) runMain(main);
