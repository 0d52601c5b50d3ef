import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AllowError, entriesForStack, parseAllowArgument, parseAllowFile, type AllowEntry } from '../checks/guard/allow';
import { evaluatePlan } from '../checks/guard/evaluate';
import { PlanFormatError, parsePlanText } from '../checks/guard/plan';
import { renderMarkdown, renderText } from '../checks/guard/report';
import { parseCommandArgs } from './args';
import { runMain } from './entry';

const USAGE =
  "usage: npm run guard -- <plan.json> [--stack <env>-<layer>] [--allow '<address>=<reason>']... " +
  `[--allow-file <file>]... [--summary <file>] [--fail-on-stale]
  <plan.json>      output of \`terraform show -json <planfile>\`
  --stack          the stack the plan is for: labels the report and selects its entries in allow files
  --allow          approve destroying or replacing one protected resource in this run; the reason is mandatory
  --allow-file     JSON array of {"stack", "address", "reason"} (e.g. the reviewed guard-allow.json)
  --summary        write a Markdown summary to this file (default: append to $GITHUB_STEP_SUMMARY when set)
  --fail-on-stale  also fail when an allow entry matches nothing in the plan
exit status: 0 passed, 1 a protected resource would be destroyed, replaced or lose its protection
  (or a stale entry with --fail-on-stale), 2 bad input`;

export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const args = parseCommandArgs('guard', argv, { values: ['stack', 'allow', 'allow-file', 'summary'], flags: ['fail-on-stale'] }, USAGE);
  if (typeof args === 'number') return args;
  if (args.positional.length !== 1) {
    console.error(
      `guard: expected exactly one plan file, got ${args.positional.length === 0 ? 'none' : args.positional.join(' ')}\n${USAGE}`,
    );
    return 2;
  }
  const planFile = args.positional[0];
  const stack = args.values.get('stack')?.at(-1);
  if (args.values.has('allow-file') && stack === undefined) {
    console.error('guard: --allow-file needs --stack: its entries are per stack, and the guard must know which ones apply');
    return 2;
  }

  let allow: AllowEntry[];
  let plan: ReturnType<typeof parsePlanText>;
  try {
    allow = [
      ...(args.values.get('allow') ?? []).map(parseAllowArgument),
      ...entriesForStack(
        (args.values.get('allow-file') ?? []).flatMap((file) => parseAllowFile(readText(file, 'allow file'), file)),
        stack,
      ),
    ];
    plan = parsePlanText(readText(planFile, 'plan file'), planFile);
  } catch (error) {
    if (error instanceof AllowError || error instanceof PlanFormatError || error instanceof InputError) {
      console.error(`guard: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const result = evaluatePlan(plan, allow, stack, { failOnStale: args.flags.has('fail-on-stale') });
  console.log(renderText(result, planFile));
  // GitHub turns these lines into annotations on the run.
  if (env.GITHUB_ACTIONS === 'true') {
    for (const item of result.blocked)
      console.log(
        `::error title=guard: protected resource::${stack ?? planFile}: ` +
          `${item.change.address} (${item.change.type}) would be destroyed or replaced`,
      );
    for (const item of result.refused)
      console.log(`::error title=guard: refused by AWS::${stack ?? planFile}: ${item.change.address}: ${item.reasons.join('; ')}`);
    for (const entry of result.stale)
      console.log(`::warning title=guard: stale allow entry::${entry.source}: ${entry.address} matches nothing in ${stack ?? planFile}`);
  }

  const markdown = `${renderMarkdown(result, planFile)}\n`;
  const summary = args.values.get('summary')?.at(-1);
  if (summary) {
    mkdirSync(dirname(summary), { recursive: true });
    writeFileSync(summary, markdown);
  } else if (env.GITHUB_STEP_SUMMARY) {
    appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
  }

  return result.passed ? 0 : 1;
}

class InputError extends Error {}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read the ${what}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}`);
  }
}

if (require.main === module) runMain(main);
