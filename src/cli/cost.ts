// `npm run cost [-- --env <name>]... [--base <ref>] [--format text|markdown] [--output <file>] [--nodepool-baseline <0-1>]`
// A monthly estimate per environment and layer from the synthesized JSON and pricing/prices.json; with --base, the
// monthly delta against that ref, synthesized in a temporary worktree (src/preview/base-synth.ts). No credentials.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readStacks } from '../checks/terraform-json';
import { DEFAULT_ASSUMPTIONS } from '../preview/cost/assumptions';
import { estimateCost } from '../preview/cost/estimate';
import { PRICES_FILE, readPriceTable } from '../preview/cost/prices';
import { costDelta, costSummary, deltaSummary, renderCostText, renderDeltaMarkdown, renderDeltaText } from '../preview/cost/render';
import { BaseSynthError, synthesizeRef } from '../preview/base-synth';
import { envList, selectEnvironments } from '../preview/resources';
import { parseCommandArgs } from './args';
import { PROJECT_ROOT } from '../project-root';
import { runMain } from './entry';
import { SYNTH_OUT_DIR } from '../layers';

const USAGE =
  'usage: npm run cost -- [--env <name>]... [--base <git ref>] [--format text|markdown] ' +
  `[--output <file>] [--nodepool-baseline <0-1>]
  --env                only these environments (repeatable or comma-separated; default: all)
  --base               also synthesize this ref in a temporary worktree and report the monthly delta
  --format             text (default) or markdown (the delta, for a pull-request comment; needs --base)
  --output             write the report to this file instead of stdout
  --nodepool-baseline  share of a NodePool's spec.limits.cpu assumed to run all month (default ${DEFAULT_ASSUMPTIONS.nodePoolBaseline})
  --prices             price table (default: ${PRICES_FILE})
  --dir                the working tree's synthesized output (default: ${SYNTH_OUT_DIR}; npm run cost synthesizes it first)`;

export function main(argv: readonly string[]): number {
  const spec = { values: ['env', 'base', 'format', 'output', 'nodepool-baseline', 'prices', 'dir'], flags: [] };
  const args = parseCommandArgs('cost', argv, spec, USAGE);
  if (typeof args === 'number') return args;
  const value = (name: string) => args.values.get(name)?.at(-1);
  const format = value('format') ?? 'text';
  if ((format !== 'text' && format !== 'markdown') || (format === 'markdown' && !value('base'))) {
    console.error(`cost: --format must be "text" or "markdown" (markdown needs --base), got ${JSON.stringify(format)}\n${USAGE}`);
    return 2;
  }
  const baseline = Number(value('nodepool-baseline') ?? DEFAULT_ASSUMPTIONS.nodePoolBaseline);
  if (!(baseline >= 0 && baseline <= 1)) {
    console.error(`cost: --nodepool-baseline must be a number from 0 to 1, got ${JSON.stringify(value('nodepool-baseline'))}`);
    return 2;
  }
  const assumptions = { ...DEFAULT_ASSUMPTIONS, nodePoolBaseline: baseline };
  const progress = (line: string) => console.error(`cost: ${line}`);
  try {
    const table = readPriceTable(value('prices') ?? join(PROJECT_ROOT, PRICES_FILE));
    const envs = envList(args.values.get('env'));
    const headDir = relative(process.cwd(), resolve(value('dir') ?? join(PROJECT_ROOT, SYNTH_OUT_DIR))) || '.';
    const head = selectEnvironments(readStacks(headDir), envs);
    if (head.length === 0) throw new Error(`no synthesized stacks in ${headDir}: run npm run synth first`);
    const estimate = estimateCost(head, table, assumptions);
    const base = value('base');
    let text: string;
    let summary: string;
    if (base) {
      const synthesized = synthesizeRef(base, { root: PROJECT_ROOT, progress });
      const baseStacks = readStacks(synthesized.outDir).filter((stack) => !envs || envs.includes(stack.environment));
      const delta = costDelta(estimateCost(baseStacks, table, assumptions), estimate);
      const title = `${base} (${synthesized.commit.slice(0, 12)}) -> working tree`;
      text = format === 'markdown' ? renderDeltaMarkdown(delta, title) : `${renderCostText(estimate)}\n${renderDeltaText(delta, title)}`;
      summary = deltaSummary(delta, title);
    } else {
      text = renderCostText(estimate);
      summary = costSummary(estimate);
    }
    const output = value('output');
    if (output) {
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, text);
      console.log(`${summary}; written to ${output}`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } catch (error) {
    console.error(`cost: ${error instanceof BaseSynthError ? error.message : (error as Error).message}`);
    return 1;
  }
}

if (require.main === module) runMain(main);
