import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployTarget } from '../checks/order/targets';
import { renderDrift, renderEnvironment, renderOverview, stacksInOrder, verdict, waitingChecks, withMissing } from '../delivery/report';
import { readResults } from '../delivery/results';
import { parseCommandArgs } from './args';
import { runMain } from './entry';

const USAGE = `usage: npm run report -- <comment|drift|verdict|checks> --results <dir> [options]
  comment  write <out>/overview.md and <out>/<env>.md, one pull-request comment each, each within GitHub's size limit
  drift    write <out>/drift.md, the drift issue's body; prints the drifted stacks, one per line
  verdict  the aggregate check: exit 1 when a stack failed, was blocked or stale, or has no result
  checks   one JSON line per waiting stack: the neutral check run to create for it
  --results  folder with the jobs' results-*.json (repeatable)
  --targets  output of \`npm run order -- --format json --ci-only\`: the stacks expected, in apply order
  --out      output folder (comment, drift; default: comments)
  --sha      the commit planned (a pull request's head)
  --run-url  link to the workflow run
  --cost, --diff  Markdown previews for the overview (npm run cost / diff --format markdown)
  --alerts   what plans cannot show (npm run diff --alerts), at the top of the overview
  --skipped  why plans did not run (fork, Dependabot, merge queue), for the overview`;

export function main(argv: readonly string[]): number {
  const values = ['results', 'targets', 'out', 'sha', 'run-url', 'cost', 'diff', 'alerts', 'skipped'];
  const args = parseCommandArgs('report', argv, { values, flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const [command, ...rest] = args.positional;
  if (!['comment', 'drift', 'verdict', 'checks'].includes(command ?? '') || rest.length > 0) {
    console.error(`report: expected one command, comment, drift, verdict or checks\n${USAGE}`);
    return 2;
  }
  const value = (name: string) => args.values.get(name)?.at(-1);
  const targetsFile = value('targets');
  const targets = targetsFile ? (JSON.parse(readFileSync(targetsFile, 'utf8')) as { stacks: DeployTarget[] }).stacks : undefined;
  const stacks = stacksInOrder((args.values.get('results') ?? []).flatMap(readResults), targets);
  const context = { ...(value('sha') ? { sha: value('sha')! } : {}), ...(value('run-url') ? { runUrl: value('run-url')! } : {}) };
  const out = value('out') ?? 'comments';
  const optional = (file: string | undefined) => (file && existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  // Reports list every stack; the verdict judges the results as they are.
  const listed = targets ? withMissing(stacks, targets) : stacks;

  switch (command) {
    case 'comment': {
      mkdirSync(out, { recursive: true });
      const cost = optional(value('cost'));
      const diff = optional(value('diff'));
      const alerts = optional(value('alerts'));
      const skipped = value('skipped');
      const previews = {
        ...(cost ? { cost } : {}),
        ...(diff ? { diff } : {}),
        ...(alerts ? { alerts } : {}),
        ...(skipped ? { plansSkipped: skipped } : {}),
      };
      writeFileSync(join(out, 'overview.md'), renderOverview(listed, { ...context, ...previews }));
      const envs = [...new Set((targets ?? stacks).map((entry) => entry.env))];
      if (!skipped) for (const env of envs) writeFileSync(join(out, `${env}.md`), renderEnvironment(env, listed, context));
      console.log(['overview', ...(skipped ? [] : envs)].join('\n'));
      return 0;
    }
    case 'drift': {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'drift.md'), renderDrift(listed, { ...context, date: new Date().toISOString().slice(0, 10) }));
      const drifted = stacks.filter((stack) => stack.status === 'drifted').map((stack) => stack.stack);
      if (drifted.length > 0) console.log(drifted.join('\n'));
      return 0;
    }
    case 'verdict': {
      if (!targets) {
        console.error('report: verdict needs --targets, to know which stacks must have a result');
        return 2;
      }
      const result = verdict(stacks, targets);
      for (const line of result.lines) console.log(line);
      console.log(result.passed ? `plan passed: ${stacks.length} stacks` : 'plan failed');
      return result.passed ? 0 : 1;
    }
    default:
      for (const check of waitingChecks(stacks)) console.log(JSON.stringify(check));
      return 0;
  }
}

if (require.main === module) runMain(main);
