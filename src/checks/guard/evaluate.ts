import type { AllowEntry } from './allow';
import { CHANGE_KINDS, isDestructive, type ChangeKind, type Plan, type ResourceChange } from './plan';
import { destructiveUpdateReasons } from './destructive-updates';
import { protectionReason } from './protected';
import { refusedVersionChanges } from '../version-changes';

export interface ProtectedChange {
  readonly change: ResourceChange;
  /** Why the type is protected, from PROTECTED_RESOURCE_TYPES. */
  readonly protection: string;
}

/** An update AWS refuses (version-changes.ts): the apply would fail on it, partway through the stack. */
export interface RefusedChange {
  readonly change: ResourceChange;
  readonly reasons: readonly string[];
}

export interface AllowedChange extends ProtectedChange {
  readonly allow: AllowEntry;
}

export interface GuardResult {
  readonly plan: Plan;
  readonly stack?: string;
  /** Every change, grouped by kind, in CHANGE_KINDS order; kinds with no change are absent. */
  readonly groups: ReadonlyMap<ChangeKind, readonly ResourceChange[]>;
  /**
   * Deletions or replacements of protected resources, and updates that remove protection
   * (destructive-updates.ts), that no allow entry covers: the run fails.
   */
  readonly blocked: readonly ProtectedChange[];
  /** Updates AWS refuses: the run fails, and no allow entry can change that. */
  readonly refused: readonly RefusedChange[];
  /** Deletions or replacements of protected resources covered by an allow entry. */
  readonly allowed: readonly AllowedChange[];
  /** Protected resources whose address changes while the object stays (a `moved` block): nothing is destroyed. */
  readonly moved: readonly ResourceChange[];
  /** Allow entries that matched no destructive change of a protected resource in this plan. */
  readonly stale: readonly AllowEntry[];
  /** Stale entries fail the run (`--fail-on-stale`), so that an old approval cannot linger. */
  readonly failOnStale: boolean;
  /** The one verdict: every report prints it and the command's exit code follows it. */
  readonly passed: boolean;
}

export interface GuardOptions {
  /** @default false */
  readonly failOnStale?: boolean;
}

/**
 * Applies the guard to a parsed plan. `allow` must already be narrowed to the entries that apply
 * to this run (see entriesForStack).
 */
export function evaluatePlan(plan: Plan, allow: readonly AllowEntry[], stack?: string, options: GuardOptions = {}): GuardResult {
  const groups = new Map<ChangeKind, ResourceChange[]>();
  for (const kind of CHANGE_KINDS) {
    const members = plan.changes.filter((change) => change.kind === kind);
    if (members.length > 0) groups.set(kind, members);
  }

  const blocked: ProtectedChange[] = [];
  const refused: RefusedChange[] = [];
  const allowed: AllowedChange[] = [];
  const used = new Set<AllowEntry>();
  for (const change of plan.changes) {
    const reasons = change.kind === 'update' ? refusedVersionChanges(change.type, change.before, change.after) : [];
    if (reasons.length > 0) refused.push({ change, reasons });
    const protection = isDestructive(change)
      ? protectionReason(change.type)
      : change.kind === 'update'
        ? updateProtection(change)
        : undefined;
    if (protection === undefined) continue;
    const entry = allow.find((candidate) => candidate.address === change.address || candidate.address === change.previousAddress);
    if (entry) {
      used.add(entry);
      allowed.push({ change, protection, allow: entry });
    } else {
      blocked.push({ change, protection });
    }
  }
  const stale = allow.filter((entry) => !used.has(entry));
  const moved = plan.changes.filter((change) => change.previousAddress !== undefined && protectionReason(change.type) !== undefined);
  const failOnStale = options.failOnStale ?? false;
  const passed = blocked.length === 0 && refused.length === 0 && !(failOnStale && stale.length > 0);
  return { plan, ...(stack !== undefined ? { stack } : {}), groups, blocked, refused, allowed, moved, stale, failOnStale, passed };
}

/** An in-place update that removes protection (DESTRUCTIVE_UPDATES), described for the report. */
function updateProtection(change: ResourceChange): string | undefined {
  const reasons = destructiveUpdateReasons(change.type, change.before, change.after);
  return reasons.length === 0 ? undefined : `update ${reasons.join('; ')}`;
}
