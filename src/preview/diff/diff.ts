// Compares two synthesized outputs (a base ref and the working tree) resource by resource: what a plan would add,
// remove, move or change, computed from the Terraform JSON alone (no state, no credentials). Values Terraform only
// knows at plan time (`${...}` references) compare as the expressions they are.
import { blocks, isObject, type JsonValue, type StackDocument } from '../../checks/terraform-json';
import { protectionReason } from '../../checks/guard/protected';
import { refusedVersionChanges } from '../../checks/version-changes';
import { resourcesOf, type ResourceEntry } from '../resources';
import { forcesNew } from './forces-new';

export interface AttributeChange {
  /** `block.argument`, list items as `[n]`; a JSON-encoded string argument (a policy) is entered as `argument{}`. */
  readonly path: string;
  /** Absent before (added) or after (removed) when undefined. */
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

export type ChangeKind = 'added' | 'removed' | 'moved' | 'changed';
const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'removed', 'moved', 'changed'];

export interface ResourceChange {
  readonly kind: ChangeKind;
  /** The stack the resource is in after the change (before it, for a removal). */
  readonly stack: string;
  readonly type: string;
  readonly address: string;
  /** For a move: where it was. */
  readonly from?: { readonly stack: string; readonly address: string };
  /** For a move: how it was matched (`construct path` or the name argument). */
  readonly matchedBy?: string;
  /** For a move inside one stack: whether the stack has a `moved` block for it (Terraform then moves the state). */
  readonly movedBlock?: boolean;
  readonly attributes: readonly AttributeChange[];
  /**
   * Set when the change would destroy a resource the guard protects: a removal destroys it, any other kind of change
   * replaces it (destroys and re-creates it).
   */
  readonly loss?: { readonly reason: string; readonly protection: string };
  /** Why AWS refuses this change in place (a version downgrade, a skipped step): the apply would fail. */
  readonly refused?: readonly string[];
}

export interface StackDiff {
  readonly stack: string;
  /** The stack exists only after, or only before, the change. */
  readonly status: 'new' | 'gone' | 'both';
  readonly changes: readonly ResourceChange[];
}

export interface DiffResult {
  readonly stacks: readonly StackDiff[];
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Changes that destroy or replace a protected resource, in stack order. */
  readonly losses: readonly ResourceChange[];
  /**
   * Stacks only the base synthesizes (an environment removed from config). CI no longer plans or applies them, so
   * nothing destroys what they hold: their resources stay in AWS, unmanaged, until someone destroys them.
   */
  readonly unmanaged: readonly string[];
  /** Changes AWS refuses (`refused`), in stack order. */
  readonly refused: readonly ResourceChange[];
}

/**
 * Arguments that name a resource in AWS. Two resources of the same type, one only before and one only after, with the
 * same literal value here (or the same construct path) are one resource under a new address.
 */
const IDENTITY_ARGUMENTS: readonly string[] = [
  'name',
  'bucket',
  'identifier',
  'replication_group_id',
  'domain_name',
  'cluster_identifier',
  'node_group_name',
  'role',
  'user_id',
  'user_group_id',
];

/** Meta-arguments that change no resource. */
const IGNORED_ARGUMENTS = new Set(['depends_on']);

export function diffStacks(base: readonly StackDocument[], head: readonly StackDocument[]): DiffResult {
  const names = [...new Set([...base.map((s) => s.name), ...head.map((s) => s.name)])].sort();
  const baseByName = new Map(base.map((s) => [s.name, s]));
  const headByName = new Map(head.map((s) => [s.name, s]));
  const changes = new Map<string, ResourceChange[]>(names.map((name) => [name, []]));
  const removed: ResourceEntry[] = [];
  const added: ResourceEntry[] = [];

  for (const name of names) {
    const before = new Map((baseByName.has(name) ? resourcesOf(baseByName.get(name)!) : []).map((r) => [r.address, r]));
    const after = new Map((headByName.has(name) ? resourcesOf(headByName.get(name)!) : []).map((r) => [r.address, r]));
    for (const [address, old] of before) {
      const now = after.get(address);
      if (!now) {
        removed.push(old);
        continue;
      }
      const attributes = attributeChanges(old.body, now.body);
      if (attributes.length === 0) continue;
      const refused = refusedVersionChanges(now.type, old.body, now.body);
      const change = withLoss({ kind: 'changed', stack: name, type: now.type, address, attributes });
      changes.get(name)!.push(refused.length > 0 ? { ...change, refused } : change);
    }
    for (const [address, now] of after) if (!before.has(address)) added.push(now);
  }

  for (const move of pairMoves(removed, added)) {
    const { old, now, matchedBy } = move;
    const sameStack = old.stack === now.stack;
    const movedBlock = sameStack && hasMovedBlock(headByName.get(now.stack)!, old.address, now.address);
    const change: ResourceChange = {
      kind: 'moved',
      stack: now.stack,
      type: now.type,
      address: now.address,
      from: { stack: old.stack, address: old.address },
      matchedBy,
      ...(sameStack ? { movedBlock } : {}),
      attributes: attributeChanges(old.body, now.body),
    };
    const protection = protectionReason(now.type);
    const unmovedReason = sameStack
      ? movedBlock
        ? undefined
        : 'new address without a `moved` block: Terraform destroys the old address and creates the new one'
      : `moved from ${old.stack}: that stack destroys it and this one creates it, unless its state is moved by hand`;
    changes
      .get(now.stack)!
      .push(protection && unmovedReason ? { ...change, loss: { reason: unmovedReason, protection } } : withLoss(change));
    removed.splice(removed.indexOf(old), 1);
    added.splice(added.indexOf(now), 1);
  }
  for (const old of removed) {
    const protection = protectionReason(old.type);
    const after = headByName.get(old.stack);
    // Only a stack that is still applied destroys a resource whose block it lost; a removed stack is not applied at all.
    const destroyed = after !== undefined && !hasForgettingRemovedBlock(after, old.address);
    changes.get(old.stack)!.push({
      kind: 'removed',
      stack: old.stack,
      type: old.type,
      address: old.address,
      attributes: [],
      ...(protection && destroyed ? { loss: { reason: REMOVAL_DESTROYS, protection } } : {}),
    });
  }
  for (const now of added)
    changes.get(now.stack)!.push({ kind: 'added', stack: now.stack, type: now.type, address: now.address, attributes: [] });

  const stacks: StackDiff[] = names
    .map((name) => ({
      stack: name,
      status: (!baseByName.has(name) ? 'new' : !headByName.has(name) ? 'gone' : 'both') as StackDiff['status'],
      changes: changes
        .get(name)!
        .sort((a, b) => CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind) || a.address.localeCompare(b.address)),
    }))
    .filter((stack) => stack.changes.length > 0 || stack.status !== 'both');
  const all = stacks.flatMap((stack) => stack.changes);
  const counts = Object.fromEntries(CHANGE_KINDS.map((kind) => [kind, all.filter((c) => c.kind === kind).length])) as Record<
    ChangeKind,
    number
  >;
  const unmanaged = stacks.filter((stack) => stack.status === 'gone').map((stack) => stack.stack);
  return { stacks, counts, losses: all.filter((c) => c.loss), unmanaged, refused: all.filter((c) => c.refused) };
}

/**
 * `prevent_destroy` does not stop it: "This rule doesn't prevent Terraform from destroying the resource if you remove
 * the resource configuration" (https://developer.hashicorp.com/terraform/language/block/resource#prevent_destroy).
 */
const REMOVAL_DESTROYS =
  'removed from the configuration: Terraform destroys it, prevent_destroy or not; ' +
  'a `removed` block with `lifecycle { destroy = false }` keeps the object and only drops it from state';

/** A changed (or moved) resource is replaced when one of its changes forces a new resource of a protected type. */
function withLoss(change: ResourceChange): ResourceChange {
  const protection = protectionReason(change.type);
  if (!protection) return change;
  for (const attribute of change.attributes) {
    const rule = forcesNew(change.type, attribute.path, attribute.before, attribute.after);
    if (rule)
      return {
        ...change,
        loss: { reason: `changing ${attribute.path} forces a new resource (provider docs: ${rule.note})`, protection },
      };
  }
  return change;
}

interface Move {
  readonly old: ResourceEntry;
  readonly now: ResourceEntry;
  readonly matchedBy: string;
}

/** Pairs removed and added resources of one environment that are the same resource (1:1, first match wins). */
function pairMoves(removed: readonly ResourceEntry[], added: readonly ResourceEntry[]): Move[] {
  const moves: Move[] = [];
  const taken = new Set<ResourceEntry>();
  const keys: [string, (entry: ResourceEntry) => string | undefined][] = [
    ['construct path', (entry) => entry.constructPath?.split('/').slice(1).join('/') || undefined],
    ...IDENTITY_ARGUMENTS.map((argument): [string, (entry: ResourceEntry) => string | undefined] => [
      argument,
      (entry) => {
        const value = entry.body[argument];
        return typeof value === 'string' && !value.includes('${') ? value : undefined;
      },
    ]),
  ];
  for (const [matchedBy, key] of keys) {
    for (const old of removed) {
      if (taken.has(old)) continue;
      const oldKey = key(old);
      if (oldKey === undefined) continue;
      const now = added.find(
        (candidate) =>
          !taken.has(candidate) && candidate.type === old.type && candidate.environment === old.environment && key(candidate) === oldKey,
      );
      if (!now) continue;
      taken.add(old).add(now);
      moves.push({ old, now, matchedBy });
    }
  }
  return moves;
}

function hasMovedBlock(stack: StackDocument, from: string, to: string): boolean {
  return blocks(stack.doc.moved).some((block) => block.from === from && block.to === to);
}

/**
 * Whether the stack drops `from` from state without destroying it: a `removed` block whose lifecycle says
 * `destroy = false` (https://developer.hashicorp.com/terraform/language/state/remove). Without that setting the
 * object may be destroyed, so only the explicit setting counts.
 */
function hasForgettingRemovedBlock(stack: StackDocument, from: string): boolean {
  return blocks(stack.doc.removed).some((block) => block.from === from && blocks(block.lifecycle).some((l) => l.destroy === false));
}

/** Leaf-level differences between two argument sets, sorted by path. */
function attributeChanges(before: Record<string, JsonValue>, after: Record<string, JsonValue>): AttributeChange[] {
  const left = flatten(before);
  const right = flatten(after);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  const changes: AttributeChange[] = [];
  for (const path of paths) {
    const a = left.get(path);
    const b = right.get(path);
    if (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)) continue;
    changes.push({ path, ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
  }
  return changes;
}

/** Objects and lists of objects are entered; primitives and lists of primitives are leaves. */
function flatten(value: Record<string, JsonValue>): Map<string, JsonValue> {
  const leaves = new Map<string, JsonValue>();
  const walk = (node: JsonValue, path: string): void => {
    if (isObject(node)) {
      const keys = Object.keys(node);
      if (keys.length === 0) leaves.set(path, node);
      for (const key of keys) walk(node[key]!, path ? `${path}.${key}` : key);
    } else if (Array.isArray(node) && node.some((item) => isObject(item) || Array.isArray(item))) {
      node.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (typeof node === 'string' && node.startsWith('{') && jsonObject(node)) {
      walk(jsonObject(node)!, `${path}{}`);
    } else {
      leaves.set(path, node);
    }
  };
  for (const [key, child] of Object.entries(value)) if (!IGNORED_ARGUMENTS.has(key)) walk(child, key);
  return leaves;
}

function jsonObject(text: string): Record<string, JsonValue> | undefined {
  try {
    const parsed = JSON.parse(text) as JsonValue;
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
