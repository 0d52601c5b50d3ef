import type { AllowEntry } from './allow';
import { attributeDifferences, describeValue } from './attributes';
import type { GuardResult, ProtectedChange } from './evaluate';
import { CHANGE_KIND_LABELS, CHANGE_KINDS, type ChangeKind, type ResourceChange } from './plan';
import { escapeCell, escapeText } from '../../markdown';

/** Kinds listed one resource per line; the others are only counted (a plan has hundreds of no-ops). */
const LISTED_KINDS: ReadonlySet<ChangeKind> = new Set(CHANGE_KINDS.filter((kind) => kind !== 'no-op' && kind !== 'read'));

const SYMBOLS: Readonly<Record<ChangeKind, string>> = {
  create: '+',
  update: '~',
  'replace-delete-first': '-/+',
  'replace-create-first': '+/-',
  delete: '-',
  forget: '.',
  'replace-forget': '+/.',
  read: '<=',
  move: '->',
  import: '<-',
  'no-op': ' ',
};

const ALLOW_FILE_HINT = 'guard-allow.json';

export function headline(result: GuardResult): string {
  const counts = CHANGE_KINDS.filter((kind) => kind !== 'no-op' && result.groups.has(kind)).map(
    (kind) => `${result.groups.get(kind)!.length} to ${CHANGE_KIND_LABELS[kind]}`,
  );
  return counts.length === 0 ? 'no changes' : counts.join(', ');
}

/** The plain-text report printed to the terminal / job log. */
export function renderText(result: GuardResult, planFile: string): string {
  const lines: string[] = [];
  const who = result.stack ? `${result.stack} (${planFile})` : planFile;
  const version = result.plan.terraformVersion ? `terraform ${result.plan.terraformVersion}, ` : '';
  lines.push(`guard: ${who}: ${version}format ${result.plan.formatVersion}: ${headline(result)}`);
  for (const [kind, changes] of result.groups) {
    if (!LISTED_KINDS.has(kind)) {
      lines.push(`${CHANGE_KIND_LABELS[kind]}: ${changes.length} (not listed)`);
      continue;
    }
    lines.push(`${CHANGE_KIND_LABELS[kind]} (${changes.length}):`);
    for (const change of changes) lines.push(`  ${SYMBOLS[kind].padEnd(3)} ${change.address}${annotations(change)}`);
  }
  if (result.plan.drift.length > 0) {
    lines.push(`changed outside Terraform since the last apply (${result.plan.drift.length}):`);
    for (const change of result.plan.drift) lines.push(`  ${SYMBOLS[change.kind].padEnd(3)} ${change.address} (${driftLabel(change)})`);
  }
  for (const item of result.allowed) {
    lines.push(
      `ALLOWED ${item.change.address}: ${CHANGE_KIND_LABELS[item.change.kind]} of a ` +
        `protected ${item.change.type}; reason: ${item.allow.reason} [${item.allow.source}]`,
    );
  }
  for (const change of result.moved) {
    lines.push(`MOVED ${change.previousAddress} -> ${change.address}: a protected ${change.type} changes address only; its state follows`);
  }
  for (const entry of result.stale) {
    lines.push(
      `STALE allow entry for ${entry.address} [${entry.source}]: ` +
        'no protected resource at that address is destroyed or replaced in this plan; remove it once its change is applied',
    );
  }
  for (const item of result.blocked) {
    lines.push(
      `BLOCKED ${item.change.address}: ${CHANGE_KIND_LABELS[item.change.kind]} of a protected ${item.change.type} (${item.protection})`,
    );
  }
  for (const item of result.refused) lines.push(`REFUSED ${item.change.address}: AWS refuses this update: ${item.reasons.join('; ')}`);
  lines.push(`guard ${verdict(result)}`);
  if (result.refused.length > 0) lines.push(`  ${REFUSED_HINT}`);
  if (result.blocked.length > 0) {
    lines.push(
      `  If this is intended, approve each one with a reason: add ${allowExample(result.blocked[0], result.stack)} to ${ALLOW_FILE_HINT},`,
      `  or pass --allow '${result.blocked[0].change.address}=<why this is intended>' to this run.`,
    );
  }
  if (result.failOnStale && result.stale.length > 0) {
    lines.push(`  Remove the stale entries from ${ALLOW_FILE_HINT}, or run without --fail-on-stale.`);
  }
  return lines.join('\n');
}

/**
 * "passed …" or "failed: …", from `result.passed` and nothing else, so what the guard prints always
 * matches its exit code.
 */
function verdict(result: GuardResult): string {
  if (result.passed) {
    const notes = [
      ...(result.allowed.length > 0 ? [count(result.allowed.length, 'approved destructive change')] : []),
      ...(result.stale.length > 0 ? [count(result.stale.length, 'stale allow entry', 'stale allow entries')] : []),
    ];
    return `passed${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
  }
  const stale = count(result.stale.length, 'stale allow entry', 'stale allow entries');
  const blocked = `${count(result.blocked.length, 'protected resource')} would be destroyed, replaced or lose protection`;
  const reasons = [
    ...(result.blocked.length > 0 ? [blocked] : []),
    ...(result.refused.length > 0 ? [`${count(result.refused.length, 'update')} AWS refuses`] : []),
    ...(result.failOnStale && result.stale.length > 0 ? [`${stale} (--fail-on-stale)`] : []),
  ];
  return `failed: ${reasons.join('; ')}`;
}

const REFUSED_HINT = 'Change the version instead: no allow entry approves what AWS refuses (docs/runbooks/upgrade-versions.md).';

/** Kinds whose entries list their attribute-level changes: the others create, destroy or only move whole objects. */
const ATTRIBUTE_KINDS: ReadonlySet<ChangeKind> = new Set(['update', 'replace-delete-first', 'replace-create-first']);
/** Attribute lines shown per resource before the rest is counted; a policy rewrite can touch hundreds. */
const MAX_ATTRIBUTE_LINES = 25;

export interface MarkdownOptions {
  /**
   * `full` lists every changed resource with its attribute-level changes; `brief` keeps the verdict,
   * the blocked and approved changes and the counts per action, for a report that must stay short.
   * @default 'full'
   */
  readonly detail?: 'full' | 'brief';
}

/** The Markdown summary for the job summary and the pull-request comment. */
export function renderMarkdown(result: GuardResult, planFile: string, options: MarkdownOptions = {}): string {
  const full = (options.detail ?? 'full') === 'full';
  const out: string[] = [];
  const title = result.stack ?? planFile;
  const icon = !result.passed ? ':x:' : result.stale.length > 0 ? ':warning:' : ':white_check_mark:';
  const status = `${icon} guard ${escapeText(verdict(result))}`;
  out.push(`### ${escapeText(title)}: ${escapeText(headline(result))}`, '');
  out.push(
    `**${status}**${result.plan.terraformVersion ? ` · terraform ${escapeText(result.plan.terraformVersion)}` : ''}` +
      ` · plan format ${escapeText(result.plan.formatVersion)}`,
    '',
  );

  if (result.blocked.length > 0) {
    out.push(
      `#### Blocked: protected resources destroyed or replaced`,
      '',
      '| resource | action | why it is protected |',
      '| --- | --- | --- |',
    );
    for (const item of result.blocked)
      out.push(
        `| ${code(item.change.address)} | ${CHANGE_KIND_LABELS[item.change.kind]}${reasonSuffix(item.change)} ` +
          `| ${escapeCell(item.protection)} |`,
      );
    out.push(
      '',
      `If intended, add an entry such as ${code(allowExample(result.blocked[0], result.stack))} to ` +
        `${code(ALLOW_FILE_HINT)} in this pull request; reviewers approve the reason with the change.`,
      '',
    );
  }
  if (result.refused.length > 0) {
    out.push('#### Refused by AWS: the apply would fail', '', '| resource | why |', '| --- | --- |');
    for (const item of result.refused) out.push(`| ${code(item.change.address)} | ${escapeCell(item.reasons.join('; '))} |`);
    out.push('', escapeText(REFUSED_HINT), '');
  }
  if (result.allowed.length > 0) {
    out.push('#### Approved destructive changes', '', '| resource | action | reason | approved by |', '| --- | --- | --- | --- |');
    for (const item of result.allowed) {
      out.push(
        `| ${code(item.change.address)} | ${CHANGE_KIND_LABELS[item.change.kind]}${reasonSuffix(item.change)} ` +
          `| ${escapeCell(item.allow.reason)} | ${escapeCell(item.allow.source)} |`,
      );
    }
    out.push('');
  }
  if (result.moved.length > 0) {
    out.push('#### Protected resources moved to a new address', '', 'A `moved` block carries their state over; nothing is destroyed.', '');
    for (const change of result.moved) out.push(`- ${code(change.previousAddress!)} → ${code(change.address)}`);
    out.push('');
  }
  if (result.stale.length > 0) {
    out.push(
      '#### Stale allow entries',
      '',
      'These approvals match no protected destroy or replace in this plan; remove them once their change is applied.',
      '',
    );
    for (const entry of result.stale) out.push(`- ${code(entry.address)}: ${escapeText(entry.reason)} (${escapeText(entry.source)})`);
    out.push('');
  }

  if (result.groups.size === 0) {
    out.push('No resource changes.', '');
  } else {
    out.push('| action | resources |', '| --- | ---: |');
    for (const [kind, changes] of result.groups)
      out.push(`| ${SYMBOLS[kind].trim() ? `${code(SYMBOLS[kind])} ` : ''}${CHANGE_KIND_LABELS[kind]} | ${changes.length} |`);
    out.push('');
    for (const [kind, changes] of full ? result.groups : []) {
      if (!LISTED_KINDS.has(kind)) continue;
      out.push(
        `<details${kind === 'delete' || kind.startsWith('replace') ? ' open' : ''}>` +
          `<summary>${CHANGE_KIND_LABELS[kind]} (${changes.length})</summary>`,
        '',
      );
      for (const change of changes) {
        out.push(`- ${code(change.address)}${escapeText(annotations(change))}`);
        if (ATTRIBUTE_KINDS.has(kind)) out.push(...attributeLines(change));
      }
      out.push('', '</details>', '');
    }
  }
  if (result.plan.drift.length > 0) {
    out.push(`#### Changed outside Terraform since the last apply (${result.plan.drift.length})`, '');
    for (const change of result.plan.drift) {
      out.push(`- ${code(change.address)}: ${driftLabel(change)}`);
      if (full && change.kind === 'update') out.push(...attributeLines(change));
    }
    out.push('');
  }
  return out.join('\n');
}

/** Nested list items, one per changed attribute; sensitive values are never shown. */
function attributeLines(change: ResourceChange): string[] {
  const differences = attributeDifferences(change);
  const lines = differences.slice(0, MAX_ATTRIBUTE_LINES).map((difference) => {
    const forces = difference.forcesReplacement ? ' **forces replacement**' : '';
    const [before, after] = [difference.before, difference.after].map((value) => valueCode(describeValue(value)));
    return `  - ${inlineCode(difference.path)}: ${before} → ${after}${forces}`;
  });
  if (differences.length > MAX_ATTRIBUTE_LINES) {
    lines.push(`  - … ${differences.length - MAX_ATTRIBUTE_LINES} more changed attributes (see the plan in the job log)`);
  }
  return lines;
}

/** Placeholders such as "(sensitive)" stay plain text; values are code. */
function valueCode(text: string): string {
  return text.startsWith('(') ? escapeText(text) : inlineCode(text);
}

/** Code outside a table: a fence longer than any run of backticks inside, nothing else escaped. */
function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** In `resource_drift`, the actions describe what happened outside Terraform, not what it will do. */
function driftLabel(change: ResourceChange): string {
  if (change.kind === 'delete') return 'deleted outside Terraform';
  if (change.kind === 'update') return 'changed outside Terraform';
  return CHANGE_KIND_LABELS[change.kind];
}

function annotations(change: ResourceChange): string {
  const notes: string[] = [];
  if (change.previousAddress) notes.push(`moved from ${change.previousAddress}`);
  if (change.importing) notes.push('imported');
  if (change.deposed) notes.push(`deposed object ${change.deposed}`);
  if (change.actionReason) notes.push(change.actionReason);
  return notes.length > 0 ? `  (${notes.join('; ')})` : '';
}

function reasonSuffix(change: ResourceChange): string {
  return change.actionReason ? ` (${escapeCell(change.actionReason)})` : '';
}

function allowExample(item: ProtectedChange, stack: string | undefined): string {
  const entry: Omit<AllowEntry, 'source'> = {
    stack: stack ?? '<env>-<layer>',
    address: item.change.address,
    reason: '<why this is intended>',
  };
  return JSON.stringify(entry);
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replaceAll('|', '\\|')}${fence}`;
}
