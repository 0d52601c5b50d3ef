// Renders a DiffResult for a terminal (text) or a pull-request comment (markdown).
import type { JsonValue } from '../../checks/terraform-json';
import type { AttributeChange, DiffResult, ResourceChange, StackDiff } from './diff';
import { REMOVE_ENVIRONMENT_RUNBOOK } from '../../delivery/teardown';

export interface DiffLabels {
  /** What was compared, e.g. `origin/main (1a2b3c4d5e6f) → working tree`. */
  readonly title: string;
}

const SYMBOL: Record<ResourceChange['kind'], string> = { added: '+', removed: '-', moved: '>', changed: '~' };
/** Attribute lines shown per resource; the rest are counted. */
const MAX_ATTRIBUTES = 25;

function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function attributeLine(attribute: AttributeChange): string {
  if (attribute.before === undefined) return `${attribute.path}: + ${show(attribute.after)}`;
  if (attribute.after === undefined) return `${attribute.path}: - ${show(attribute.before)}`;
  return `${attribute.path}: ${show(attribute.before)} -> ${show(attribute.after)}`;
}

function resourceLines(change: ResourceChange): string[] {
  const head =
    change.kind === 'moved'
      ? `${SYMBOL.moved} ` +
        `${change.from!.stack === change.stack ? change.from!.address : `${change.from!.stack}/${change.from!.address}`}` +
        ` -> ${change.address}` +
        ` (same ${change.matchedBy}${change.movedBlock ? '; moved block present' : ''})`
      : `${SYMBOL[change.kind]} ${change.address}`;
  const lines = [head];
  if (change.loss) {
    const verb = change.kind === 'removed' ? 'DESTROYS' : 'REPLACES';
    lines.push(`    ! ${verb} a protected ${change.type} (${change.loss.protection}): ${change.loss.reason}`);
  }
  for (const reason of change.refused ?? []) lines.push(`    ! AWS REFUSES: ${reason}`);
  const shown = change.attributes.slice(0, MAX_ATTRIBUTES).map((a) => `    ${attributeLine(a)}`);
  lines.push(...shown);
  if (change.attributes.length > MAX_ATTRIBUTES) lines.push(`    … ${change.attributes.length - MAX_ATTRIBUTES} more attribute changes`);
  return lines;
}

/** What a removed stack means, and what to do about it: said once, in the summary's terms. */
const UNMANAGED =
  'CI no longer plans or applies them, so nothing destroys their resources: they stay in AWS, and keep costing, until an ' +
  `administrator destroys them from the last commit that has them (${REMOVE_ENVIRONMENT_RUNBOOK})`;

/**
 * The changes worth a line each. A stack no longer applied changes nothing in AWS, so its heading (with the count) is
 * all it gets: a removed environment would otherwise list every one of its resources.
 */
const listed = (stack: StackDiff) => (stack.status === 'gone' ? [] : stack.changes);

function stackHeading(stack: StackDiff): string {
  const count = (kind: ResourceChange['kind']) => stack.changes.filter((c) => c.kind === kind).length;
  const status = stack.status === 'new' ? ' (new stack)' : stack.status === 'gone' ? ' (stack removed: no longer applied)' : '';
  return (
    `${stack.stack}${status}: ${count('added')} added, ${count('removed')} removed, ` +
    `${count('moved')} moved, ${count('changed')} changed`
  );
}

export function diffSummary(result: DiffResult, labels: DiffLabels): string {
  const { added, removed, moved, changed } = result.counts;
  const losses = result.losses.length;
  const unmanaged = result.unmanaged.length;
  return (
    `diff ${labels.title}: ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'} differ; ` +
    `${added} added, ${removed} removed, ${moved} moved, ${changed} changed; ` +
    `${losses} protected resource${losses === 1 ? '' : 's'} destroyed or replaced` +
    (unmanaged > 0 ? `; ${unmanaged} stack${unmanaged === 1 ? '' : 's'} no longer applied, their resources left in AWS` : '') +
    (result.refused.length > 0 ? `; ${result.refused.length} change${result.refused.length === 1 ? '' : 's'} AWS refuses` : '')
  );
}

export function renderDiffText(result: DiffResult, labels: DiffLabels): string {
  const out: string[] = [];
  for (const stack of result.stacks) {
    out.push(stackHeading(stack));
    for (const change of listed(stack)) out.push(...resourceLines(change).map((line) => `  ${line}`));
    out.push('');
  }
  if (result.stacks.length === 0) out.push('No resource differs.', '');
  if (result.unmanaged.length > 0) out.push(`Stacks no longer applied (${result.unmanaged.join(', ')}): ${UNMANAGED}.`, '');
  out.push(diffSummary(result, labels));
  return `${out.join('\n')}\n`;
}

/**
 * What a pull request's plans cannot show, for its comment whatever plans ran: the stacks it stops applying (a removed
 * environment has no plan). Empty when there is none.
 */
export function renderDiffAlerts(result: DiffResult): string {
  if (result.unmanaged.length === 0) return '';
  return [`**Stacks no longer applied:** ${UNMANAGED}.`, '', ...result.unmanaged.map((stack) => `- \`${stack}\``), '', ''].join('\n');
}

export function renderDiffMarkdown(result: DiffResult, labels: DiffLabels): string {
  const out = [`## Synthesized diff`, '', `${diffSummary(result, labels)}.`, ''];
  if (result.losses.length > 0) {
    out.push('**Protected resources destroyed or replaced:**', '');
    for (const change of result.losses) out.push(`- \`${change.stack}\` \`${change.address}\`: ${change.loss!.reason}`);
    out.push('');
  }
  if (result.refused.length > 0) {
    out.push('**Changes AWS refuses** (the apply would fail):', '');
    for (const change of result.refused)
      for (const reason of change.refused!) out.push(`- \`${change.stack}\` \`${change.address}\`: ${reason}`);
    out.push('');
  }
  const alerts = renderDiffAlerts(result);
  if (alerts) out.push(alerts);
  for (const stack of result.stacks.filter((s) => listed(s).length > 0)) {
    out.push(`<details><summary>${stackHeading(stack)}</summary>`, '', '```diff');
    for (const change of listed(stack)) out.push(...resourceLines(change));
    out.push('```', '', '</details>', '');
  }
  out.push('_From the synthesized JSON only: no state and no credentials, so values known only at plan time show as expressions._');
  return `${out.join('\n')}\n`;
}
