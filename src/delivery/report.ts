/**
 * Reports built from the jobs' results (results.ts): the pull-request comments (an overview, then one
 * comment per environment), the job summaries, the drift issue and the aggregate verdict. GitHub refuses
 * comments over 65,536 characters; every report here fits COMMENT_BUDGET by shortening the largest
 * sections first (attribute changes, then the whole section) and says which ones it shortened and where
 * the full report is. Nothing is ever cut silently, and every stack always appears in its table.
 */

import { escapeCell, escapeText } from '../markdown';
import type { DeployTarget } from '../checks/order/targets';
import { FAILING_STATUSES, inRecordOrder, type JobResults, type StackResult, type StackStatus } from './results';

/** Below GitHub's 65,536-character limit for a comment or issue body, with room for the marker. */
export const COMMENT_BUDGET = 60_000;

export const OVERVIEW_MARKER = '<!-- platform-infra:plan-summary -->';
export const environmentMarker = (env: string) => `<!-- platform-infra:plan:${env} -->`;

const STATUS_LABELS: Readonly<Record<StackStatus, string>> = {
  'no-changes': ':white_check_mark: no changes',
  changes: ':memo: changes',
  waits: ':hourglass: waits',
  blocked: ':no_entry: blocked by the guard',
  failed: ':x: failed',
  applied: ':rocket: applied',
  stale: ':warning: stale plan, not applied',
  drifted: ':warning: drifted',
  'not-run': ':fast_forward: not run',
};

export interface ReportContext {
  /** The commit the plans are of: a pull request's head, not its merge commit. */
  readonly sha?: string;
  readonly runUrl?: string;
}

/** Results of every stack, in the order the targets list them (apply order); an apply's record wins over its plan's. */
export function stacksInOrder(results: readonly JobResults[], targets?: readonly DeployTarget[]): StackResult[] {
  const byStack = new Map<string, StackResult>();
  for (const job of inRecordOrder(results)) for (const stack of job.stacks) byStack.set(stack.stack, stack);
  if (!targets) return [...byStack.values()];
  const order = targets.map((target) => target.stack);
  return [...byStack.values()].sort((a, b) => rank(order, a.stack) - rank(order, b.stack));
}

/**
 * The results with a placeholder for every target that has none (its job failed before writing them),
 * so that a report still lists every stack. The verdict reads the results themselves.
 */
export function withMissing(stacks: readonly StackResult[], targets: readonly DeployTarget[]): StackResult[] {
  const seen = new Set(stacks.map((stack) => stack.stack));
  const missing = targets
    .filter((target) => !seen.has(target.stack))
    .map(
      (target): StackResult => ({
        stack: target.stack,
        env: target.env,
        layer: target.layer,
        placement: target.placement,
        status: 'not-run',
        headline: 'no result',
        reason: 'its job did not finish (see the run)',
        pendingChanges: false,
        upstreamPending: [],
      }),
    );
  const order = targets.map((target) => target.stack);
  return [...stacks, ...missing].sort((a, b) => rank(order, a.stack) - rank(order, b.stack));
}

function rank(order: readonly string[], name: string): number {
  const index = order.indexOf(name);
  return index < 0 ? order.length : index;
}

type Detail = 'full' | 'brief' | 'none';

interface Section {
  readonly stack: StackResult;
  detail: Detail;
}

/** One environment's plans: a table of every stack, then a collapsible section per stack, within `budget`. */
export function renderEnvironment(env: string, stacks: readonly StackResult[], context: ReportContext, budget = COMMENT_BUDGET): string {
  const mine = stacks.filter((stack) => stack.env === env);
  const counts = countBy(mine);
  const head = [
    environmentMarker(env),
    `## ${env}: ${mine.length} stacks${counts.length > 0 ? ` (${counts})` : ''}`,
    '',
    `${commitLine(context)} · stacks in apply order.`,
    '',
    '| stack | result | |',
    '| --- | --- | --- |',
    ...mine.map((stack) => {
      const why = stack.reason ? ` — ${escapeCell(stack.reason)}` : '';
      return `| \`${stack.stack}\` | ${STATUS_LABELS[stack.status]} | ${escapeCell(stack.headline)}${why} |`;
    }),
    '',
  ].join('\n');
  const sections: Section[] = mine.map((stack) => ({ stack, detail: 'full' }));
  return fit(head, sections, context, budget);
}

/** The first comment: what the pull request costs, where each environment stands, and why plans did not run when they did not. */
export function renderOverview(
  stacks: readonly StackResult[],
  context: ReportContext & { readonly cost?: string; readonly diff?: string; readonly alerts?: string; readonly plansSkipped?: string },
  budget = COMMENT_BUDGET,
): string {
  const lines = [OVERVIEW_MARKER];
  // What no plan shows (a removed environment has none), so it is said whether or not plans ran.
  if (context.alerts?.trim()) lines.push(context.alerts.trim(), '');
  if (context.cost) lines.push(context.cost.trim(), '');
  lines.push(
    `## Terraform plans of \`${context.sha?.slice(0, 12) ?? 'this commit'}\``,
    '',
    `${context.runUrl ? `[Workflow run](${context.runUrl}); each` : 'Each'} environment's plans follow in their own comment.`,
    '',
  );
  if (context.plansSkipped) {
    lines.push(`**Plans did not run:** ${context.plansSkipped}`, '');
  } else {
    const envs = [...new Set(stacks.map((stack) => stack.env))];
    lines.push('| environment | stacks | result |', '| --- | ---: | --- |');
    for (const env of envs) {
      const mine = stacks.filter((stack) => stack.env === env);
      lines.push(`| ${env} | ${mine.length} | ${countBy(mine) || 'no results'} |`);
    }
    lines.push('');
  }
  let text = lines.join('\n');
  if (context.diff && (context.plansSkipped || stacks.some((stack) => FAILING_STATUSES.has(stack.status) || stack.status === 'waits'))) {
    const intro = '\n### Synthesized diff against the base (no credentials needed)\n\n';
    // The diff holds the alerts too (npm run diff writes the same block): said once, at the top.
    const diff = context.alerts?.trim() ? context.diff.replace(context.alerts, '') : context.diff;
    const room = budget - text.length - intro.length - 200;
    text += intro + (diff.length <= room ? diff : shortened(diff, room, 'the diff', context.runUrl));
  }
  return text;
}

/** The drift issue's body: every drifted stack with what changed outside Terraform, attribute by attribute. */
export function renderDrift(
  stacks: readonly StackResult[],
  context: ReportContext & { readonly date: string },
  budget = COMMENT_BUDGET,
): string {
  const drifted = stacks.filter((stack) => stack.status === 'drifted');
  const unchecked = stacks.filter((stack) => stack.status !== 'drifted' && stack.status !== 'no-changes');
  const head = [
    `Drift check of ${context.date}${context.runUrl ? `, [workflow run](${context.runUrl})` : ''}: \`plan -refresh-only\` of every stack,`,
    'so only changes made outside Terraform count.',
    '',
    `Drifted: ${drifted.map((stack) => `\`${stack.stack}\``).join(', ') || 'none'}.`,
    `Not checked: ${unchecked.map(notCheckedItem).join(', ') || 'none'}.`,
    '',
    'Codify each change (a pull request that makes the code match) or revert it by re-applying `main`.',
    '',
  ].join('\n');
  return fit(
    head,
    [...drifted, ...unchecked].map((stack) => ({ stack, detail: 'full' as Detail })),
    context,
    budget,
  );
}

/** The aggregate verdict: every CI stack has a result, and none failed. Waiting is neutral. */
export interface Verdict {
  readonly passed: boolean;
  readonly lines: readonly string[];
}

export function verdict(stacks: readonly StackResult[], targets: readonly DeployTarget[]): Verdict {
  const seen = new Set(stacks.map((stack) => stack.stack));
  const missing = targets.filter((target) => !seen.has(target.stack)).map((target) => target.stack);
  const failing = stacks.filter((stack) => FAILING_STATUSES.has(stack.status));
  const waiting = stacks.filter((stack) => stack.status === 'waits');
  const lines = [
    ...failing.map((stack) => `${stack.stack}: ${stack.status}: ${stack.reason ?? stack.headline}`),
    ...missing.map((name) => `${name}: no result (its job did not finish)`),
    ...waiting.map((stack) => `${stack.stack}: waits (neutral): ${stack.reason ?? stack.headline}`),
  ];
  return { passed: failing.length === 0 && missing.length === 0, lines };
}

/** The neutral check runs that make a waiting stack visible on the pull request. */
export interface CheckRun {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
}

export function waitingChecks(stacks: readonly StackResult[]): CheckRun[] {
  return stacks
    .filter((stack) => stack.status === 'waits')
    .map((stack) => ({ name: `plan ${stack.stack}`, title: stack.headline, summary: stack.reason ?? stack.headline }));
}

function fit(head: string, sections: Section[], context: ReportContext, budget: number): string {
  const render = () => [head, ...sections.map(renderSection)].join('\n');
  let text = render();
  // Shorten the largest section first: full → brief → none.
  while (text.length > budget) {
    const candidates = sections.filter((section) => section.detail !== 'none');
    if (candidates.length === 0) break;
    const largest = candidates.reduce((a, b) => (renderSection(b).length > renderSection(a).length ? b : a));
    largest.detail = largest.detail === 'full' ? 'brief' : 'none';
    text = render();
  }
  const shortenedNames = sections
    .filter((section) => section.detail !== 'full')
    .map((section) => `\`${section.stack.stack}\` (${section.detail === 'brief' ? 'attribute changes left out' : 'details left out'})`);
  if (shortenedNames.length > 0) {
    text +=
      `\n\n_Shortened to fit GitHub's comment size: ${shortenedNames.join(', ')}. ` +
      `The full report of every stack is in the job summaries of the ${runLink(context.runUrl)}._\n`;
  }
  return text.length <= budget + 1_000 ? text : shortened(text, budget, 'this report', context.runUrl);
}

function renderSection(section: Section): string {
  const { stack, detail } = section;
  if (detail === 'none') return '';
  const open = ['blocked', 'failed', 'stale', 'waits', 'drifted'].includes(stack.status) ? ' open' : '';
  const notes = [
    ...(stack.reason ? [`_${escapeText(stack.reason)}_`] : []),
    ...(stack.upstreamPending.length > 0 && stack.status !== 'waits'
      ? [
          `_Provisional: planned against the current state of ${stack.upstreamPending.map((name) => `\`${name}\``).join(', ')}, ` +
            `which ${stack.upstreamPending.length === 1 ? 'has' : 'have'} changes of their own; ` +
            'the apply pipeline plans it again after them._',
        ]
      : []),
  ];
  const body = [
    ...notes,
    ...(stack.error ? ['```text', stack.error.replaceAll('```', "'''"), '```'] : []),
    (detail === 'full' ? stack.summary : stack.summaryBrief) ?? '',
  ].filter(Boolean);
  const summary = `<details${open}><summary><b>${stack.stack}</b>: ${escapeText(stack.headline)}</summary>`;
  return [summary, '', ...body, '', '</details>', ''].join('\n');
}

/** Cuts `text` at a line boundary and says so. */
function shortened(text: string, budget: number, what: string, runUrl?: string): string {
  const cut = text.slice(0, Math.max(0, budget - 300));
  const atLine = cut.slice(0, cut.lastIndexOf('\n') + 1);
  // An open <details> or code fence would swallow the note.
  const fences = (atLine.match(/^```/gm) ?? []).length;
  const openDetails = (atLine.match(/<details/g) ?? []).length - (atLine.match(/<\/details>/g) ?? []).length;
  const closed = `${atLine}${fences % 2 === 1 ? '```\n' : ''}${'</details>\n'.repeat(Math.max(0, openDetails))}`;
  const left = text.length - atLine.length;
  return `${closed}\n_The rest of ${what} (${left} characters) is left out to fit GitHub's size limit; it is in the ${runLink(runUrl)}._\n`;
}

function notCheckedItem(stack: StackResult): string {
  return `\`${stack.stack}\` (${stack.status}${stack.reason ? `: ${stack.reason}` : ''})`;
}

function runLink(runUrl: string | undefined): string {
  return runUrl ? `[workflow run](${runUrl})` : 'workflow run';
}

function commitLine(context: ReportContext): string {
  const commit = context.sha ? `Commit \`${context.sha.slice(0, 12)}\`` : 'This commit';
  return `${commit}${context.runUrl ? ` · [workflow run](${context.runUrl})` : ''}`;
}

function countBy(stacks: readonly StackResult[]): string {
  const counts = new Map<StackStatus, number>();
  for (const stack of stacks) counts.set(stack.status, (counts.get(stack.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${STATUS_LABELS[status].replace(/^:[a-z_]+: /, '')}`).join(', ');
}
