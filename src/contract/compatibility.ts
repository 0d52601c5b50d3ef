import type { ContractFile, ContractFileEntry } from './contract-file';
import { bump, compareVersions, type BumpLevel } from './semver';

/** One difference between two contract files and the version bump it needs. */
export interface ContractChange {
  readonly level: BumpLevel;
  readonly output: string;
  readonly message: string;
}

const RANK: Record<BumpLevel, number> = { patch: 1, minor: 2, major: 3 };

/**
 * What changed from `previous` to `next`, classified by what it does to a consumer pipeline:
 * - major: an output it reads disappears or changes meaning (removed, renamed, type or sensitivity
 *   changed, SSM path moved), or its deploy role loses the right to read an output (consumer removed);
 * - minor: something new to read (output added, consumer added);
 * - patch: nothing a pipeline can observe (description, producing layer, consumer rule with the same result).
 */
export function diffContracts(previous: ContractFile, next: ContractFile): ContractChange[] {
  const changes: ContractChange[] = [];
  const before = new Map(previous.outputs.map((o) => [o.name, o]));
  const after = new Map(next.outputs.map((o) => [o.name, o]));
  const added = next.outputs.filter((o) => !before.has(o.name));

  if (previous.project !== next.project) {
    changes.push({
      level: 'major',
      output: '*',
      message: `project changed from "${previous.project}" to "${next.project}": every SSM path moves`,
    });
  }
  for (const old of previous.outputs) {
    const now = after.get(old.name);
    if (!now) {
      const lookalike = added.find((a) => a.type === old.type && a.sensitive === old.sensitive && a.layer === old.layer);
      const hint = lookalike ? ` (renamed to "${lookalike.name}"? a rename is a removal plus an addition)` : '';
      changes.push({ level: 'major', output: old.name, message: `removed "${old.name}"${hint}; consumers reading it break` });
      continue;
    }
    changes.push(...entryChanges(old, now));
  }
  for (const entry of added) changes.push({ level: 'minor', output: entry.name, message: `added "${entry.name}"` });
  return changes;
}

function entryChanges(old: ContractFileEntry, now: ContractFileEntry): ContractChange[] {
  const out: ContractChange[] = [];
  const change = (level: BumpLevel, message: string) => out.push({ level, output: old.name, message: `"${old.name}": ${message}` });
  if (old.type !== now.type) change('major', `type changed from ${old.type} to ${now.type}`);
  if (old.sensitive !== now.sensitive) change('major', `sensitive changed from ${old.sensitive} to ${now.sensitive}`);
  if (old.ssmParameter !== now.ssmParameter) change('major', `SSM parameter moved from ${old.ssmParameter} to ${now.ssmParameter}`);
  const lost = old.consumers.services.filter((s) => !now.consumers.services.includes(s));
  const gained = now.consumers.services.filter((s) => !old.consumers.services.includes(s));
  if (lost.length > 0) change('major', `no longer readable by ${lost.join(', ')}`);
  if (gained.length > 0) change('minor', `now also readable by ${gained.join(', ')}`);
  if (old.consumers.rule !== now.consumers.rule && lost.length === 0 && gained.length === 0)
    change('patch', `consumer rule changed from ${old.consumers.rule} to ${now.consumers.rule}`);
  if (old.description !== now.description) change('patch', 'description changed');
  if (old.layer !== now.layer) change('patch', `now produced by the ${now.layer} layer instead of ${old.layer}`);
  if (old.consumers.repositories.join() !== now.consumers.repositories.join() && lost.length === 0 && gained.length === 0) {
    change('patch', 'consumer repository names changed');
  }
  return out;
}

/** The largest bump a list of changes needs, or undefined when nothing changed. */
function requiredBump(changes: readonly ContractChange[]): BumpLevel | undefined {
  return changes.reduce<BumpLevel | undefined>((max, c) => (max === undefined || RANK[c.level] > RANK[max] ? c.level : max), undefined);
}

/** The version `next` must carry after `previous`: the exact next version at the required level. */
export function expectedVersion(previous: ContractFile, changes: readonly ContractChange[]): string {
  const level = requiredBump(changes);
  return level ? bump(previous.version, level) : previous.version;
}

/**
 * Problems with releasing `next` over `previous` (undefined for the first release): a version that
 * does not match the changes (too small, or larger than needed), and `since` values that are wrong.
 */
export function releaseProblems(previous: ContractFile | undefined, next: ContractFile): string[] {
  const problems: string[] = [];
  for (const entry of next.outputs) {
    if (compareVersions(entry.since, next.version) > 0) {
      problems.push(`"${entry.name}" has since ${entry.since}, after the contract version ${next.version}`);
    }
  }
  if (!previous) return problems;

  const changes = diffContracts(previous, next);
  const level = requiredBump(changes);
  const expected = expectedVersion(previous, changes);
  if (next.version !== expected) {
    const detail = changes.map((c) => `  - ${c.level}: ${c.message}`).join('\n');
    problems.push(
      level
        ? `the contract changes since ${previous.version} need a ${level} bump to ${expected}, not ${next.version}:\n${detail}`
        : `nothing changed since ${previous.version}; keep that version (not ${next.version})`,
    );
  }
  const before = new Map(previous.outputs.map((o) => [o.name, o]));
  for (const entry of next.outputs) {
    const old = before.get(entry.name);
    if (!old && entry.since !== next.version) {
      problems.push(
        `"${entry.name}" is new in ${next.version}: set since: ` +
          `'${next.version}' on its entry in src/contract/catalog.ts (it says ${entry.since})`,
      );
    }
    if (old && old.since !== entry.since) {
      problems.push(`"${entry.name}" was added in ${old.since}; its since must stay ${old.since} (it says ${entry.since})`);
    }
  }
  return problems;
}
