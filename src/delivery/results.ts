/**
 * What one CI job learned about each stack of one environment: the record the jobs pass on (as an
 * artifact) to the jobs after them, to the pull-request comment and to the drift report. It holds
 * Markdown summaries with masked values and a digest of each plan, never a plan or its values.
 */

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerPlacement } from '../layers';

export type Mode = 'plan' | 'apply' | 'drift';

/**
 * - `no-changes`, `changes`: planned, the guard passed.
 * - `waits`: not planned (or its plan failed) because an upstream stack has pending changes, waits itself
 *   or failed: it is planned again once the upstream is applied. Neutral, not a failure.
 * - `blocked`: the guard refused a protected destruction. `failed`: the plan or the apply failed.
 * - `applied`: the apply pipeline applied it. `stale`: its plan differs from the approved one; not applied.
 * - `drifted`: changed outside Terraform (drift mode). `not-run`: an earlier stack of the job failed.
 */
export type StackStatus = 'no-changes' | 'changes' | 'waits' | 'blocked' | 'failed' | 'applied' | 'stale' | 'drifted' | 'not-run';

/** Statuses after which the job fails. */
export const FAILING_STATUSES: ReadonlySet<StackStatus> = new Set(['blocked', 'failed', 'stale']);

export interface StackResult {
  readonly stack: string;
  readonly env: string;
  readonly layer: string;
  readonly placement: RunnerPlacement;
  readonly status: StackStatus;
  /** `2 to create, 1 to update in place`, or what happened instead. */
  readonly headline: string;
  /** Why it waits, failed or was refused. */
  readonly reason?: string;
  /** Upstream stacks it waits for. */
  readonly waitsFor?: readonly string[];
  /** Its plan has changes (resources or outputs): downstream stacks read a state that is about to change. */
  readonly pendingChanges: boolean;
  /**
   * Upstream stacks with pending changes when this stack was planned: its plan read their current
   * state, so it is provisional and the apply pipeline plans it again after them.
   */
  readonly upstreamPending: readonly string[];
  /** `planDigest` of its plan, for the apply job to recognise the approved plan. */
  readonly digest?: string;
  /** Error lines of a failed plan or apply, as Terraform printed them. */
  readonly error?: string;
  /** The guard's Markdown summary, with attribute-level changes; `summaryBrief` without them. */
  readonly summary?: string;
  readonly summaryBrief?: string;
}

export interface JobResults {
  readonly env: string;
  readonly placement: RunnerPlacement;
  readonly mode: Mode;
  /** Whether the environment's in-VPC runner exists, so jobs for the in-VPC stacks can run. */
  readonly runnerReady: boolean;
  readonly stacks: readonly StackResult[];
}

function resultsFileName(env: string, placement: RunnerPlacement, mode: Mode): string {
  return `results-${mode}-${env}-${placement}.json`;
}

export function writeResults(dir: string, results: JobResults): string {
  const file = join(dir, resultsFileName(results.env, results.placement, results.mode));
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** Every results file in `dir` (artifacts of several jobs merged into one folder). */
export function readResults(dir: string): JobResults[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^results-.*\.json$/.test(name))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as JobResults);
}

/** Jobs in the order their records hold: a stack's apply record supersedes the plan made before it. */
export function inRecordOrder(jobs: readonly JobResults[]): JobResults[] {
  return [...jobs].sort((a, b) => Number(a.mode === 'apply') - Number(b.mode === 'apply'));
}

/** The parts of `terraform show -json` a digest covers, all read defensively. */
interface PlanChange {
  readonly actions?: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly replace_paths?: unknown;
  readonly importing?: { readonly id?: string };
}
interface PlanDocument {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly previous_address?: string;
    readonly deposed?: string;
    readonly change?: PlanChange;
  }[];
  readonly output_changes?: Readonly<Record<string, PlanChange>>;
}

/**
 * A digest of what a saved plan would do: every resource change other than no-op (address, previous
 * address, actions, before, after, unknown and replace paths, import id) and every changing output.
 * Two plans with the same digest make the same changes to objects in the same state, so an apply job
 * that plans again after approval applies exactly what was approved, or refuses. Values enter the hash
 * only, never a report.
 */
export function planDigest(document: unknown): string {
  const root = (document ?? {}) as PlanDocument;
  const changes = (root.resource_changes ?? [])
    .filter((rc) => (rc.change?.actions ?? []).join() !== 'no-op')
    .map((rc) => ({
      address: rc.address,
      previous_address: rc.previous_address ?? null,
      deposed: rc.deposed ?? null,
      actions: rc.change?.actions,
      before: rc.change?.before ?? null,
      after: rc.change?.after ?? null,
      after_unknown: rc.change?.after_unknown ?? null,
      replace_paths: rc.change?.replace_paths ?? null,
      importing: rc.change?.importing?.id ?? null,
    }))
    .sort((a, b) => `${a.address}|${a.deposed}`.localeCompare(`${b.address}|${b.deposed}`));
  const outputs = Object.entries(root.output_changes ?? {})
    .filter(([, change]) => (change.actions ?? []).join() !== 'no-op')
    .map(([name, change]) => ({ name, actions: change.actions, after: change.after ?? null, after_unknown: change.after_unknown ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return `sha256:${createHash('sha256').update(canonical({ changes, outputs })).digest('hex')}`;
}

/** JSON with object keys sorted, so key order never changes a digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The error blocks of Terraform's human-readable output (`-no-color`): each starts with `Error:` inside
 * the ╷ … ╵ frame Terraform draws around a diagnostic. At most `maxLines` lines, so a comment stays short.
 */
export function errorExcerpt(output: string, maxLines = 40): string {
  const lines = output.split(/\r?\n/);
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith('╷')) current = [];
    else if (line.startsWith('╵')) {
      if (current?.some((l) => /^│?\s*Error:/.test(l))) blocks.push(current);
      current = undefined;
    } else if (current) current.push(line.replace(/^│ ?/, ''));
  }
  const picked = blocks.length > 0 ? blocks.map((block) => block.join('\n').trim()) : lines.filter((l) => /Error:/.test(l));
  const text = (picked.length > 0 ? picked.join('\n\n') : lines.filter(Boolean).slice(-10).join('\n')).split('\n');
  if (text.length <= maxLines) return text.join('\n');
  return [...text.slice(0, maxLines), `… ${text.length - maxLines} more lines in the job log`].join('\n');
}
