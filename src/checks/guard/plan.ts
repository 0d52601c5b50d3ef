/**
 * Reads the JSON representation of a saved plan (`terraform show -json tfplan`), as documented in
 * Terraform's "JSON Output Format" (format_version 1.x). Only the fields the guard needs are read;
 * unknown fields are ignored, as the format's compatibility promise asks of consumers.
 */

import { isObject } from '../terraform-json';

/** What happens to one resource instance, derived from `change.actions` and the move/import markers. */
export type ChangeKind =
  | 'create'
  | 'update'
  | 'replace-delete-first'
  | 'replace-create-first'
  | 'delete'
  | 'forget'
  | 'replace-forget'
  | 'read'
  | 'move'
  | 'import'
  | 'no-op';

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'delete',
  'replace-delete-first',
  'replace-create-first',
  'create',
  'update',
  'forget',
  'replace-forget',
  'move',
  'import',
  'read',
  'no-op',
];

export const CHANGE_KIND_LABELS: Readonly<Record<ChangeKind, string>> = {
  create: 'create',
  update: 'update in place',
  'replace-delete-first': 'replace (destroy, then create)',
  'replace-create-first': 'replace (create, then destroy)',
  delete: 'destroy',
  forget: 'remove from state (object kept)',
  'replace-forget': 'create new, forget old (object kept)',
  read: 'read data source',
  move: 'move (address change only)',
  import: 'import (no other change)',
  'no-op': 'no change',
};

const ACTION_KINDS: ReadonlyMap<string, ChangeKind> = new Map([
  ['no-op', 'no-op'],
  ['create', 'create'],
  ['read', 'read'],
  ['update', 'update'],
  ['delete,create', 'replace-delete-first'],
  ['create,delete', 'replace-create-first'],
  ['delete', 'delete'],
  ['forget', 'forget'],
  ['create,forget', 'replace-forget'],
]);

export interface ResourceChange {
  readonly address: string;
  /** Set when a `moved` block (or a refactoring) changed the address since the last apply. */
  readonly previousAddress?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly actions: readonly string[];
  readonly kind: ChangeKind;
  readonly actionReason?: string;
  /** The planned change also imports an existing object (`change.importing` is present). */
  readonly importing: boolean;
  /** Set for changes to a deposed object left behind by an interrupted create-before-destroy. */
  readonly deposed?: string;
  /** The resource's values before and after the change (`change.before` / `change.after`), when the plan has them. */
  readonly before?: unknown;
  readonly after?: unknown;
  /**
   * Which values are sensitive (`before_sensitive` / `after_sensitive`) and which are known only after
   * apply (`after_unknown`): `true`, or a structure of the value's shape with `true` at those leaves.
   * `terraform show -json` prints sensitive values unredacted; every report masks them with these.
   */
  readonly beforeSensitive?: unknown;
  readonly afterSensitive?: unknown;
  readonly afterUnknown?: unknown;
  /** Attribute paths whose change forces the replacement (`replace_paths`), each a list of keys and indexes. */
  readonly replacePaths?: readonly (readonly (string | number)[])[];
}

/** A root module output whose value changes (`output_changes`); its values are not kept, only whether it is sensitive. */
export interface OutputChange {
  readonly name: string;
  readonly actions: readonly string[];
  readonly sensitive: boolean;
}

export interface Plan {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly changes: readonly ResourceChange[];
  /** Changes made outside Terraform since the last apply, detected during refresh. */
  readonly drift: readonly ResourceChange[];
  /** Root module outputs that change; a new output is what a downstream stack's plan waits for. */
  readonly outputChanges: readonly OutputChange[];
}

export class PlanFormatError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'PlanFormatError';
  }
}

/** True when the change removes the existing object from the infrastructure. */
export function isDestructive(change: ResourceChange): boolean {
  return change.mode === 'managed' && change.actions.includes('delete');
}

export function parsePlanText(text: string, file: string): Plan {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const hint = text.trimStart().startsWith('{"@level"')
      ? ' (this looks like the log stream of `terraform plan -json`; pass the output of `terraform show -json <planfile>` instead)'
      : '';
    throw new PlanFormatError(file, `is not valid JSON: ${(error as Error).message}${hint}`);
  }
  return parsePlan(document, file);
}

export function parsePlan(document: unknown, file: string): Plan {
  const fail = (problem: string): never => {
    throw new PlanFormatError(file, problem);
  };
  if (!isObject(document)) fail(`expected a JSON object (the output of \`terraform show -json <planfile>\`), got ${describe(document)}`);
  const root = document as Record<string, unknown>;

  const formatVersion = root.format_version;
  if (typeof formatVersion !== 'string') fail(`format_version: expected a string such as "1.2", got ${describe(formatVersion)}`);
  const major = String(formatVersion).split('.')[0];
  if (major !== '1') fail(`format_version: ${JSON.stringify(formatVersion)} is not supported; this guard reads format 1.x`);
  if (root.terraform_version !== undefined && typeof root.terraform_version !== 'string') {
    fail(`terraform_version: expected a string, got ${describe(root.terraform_version)}`);
  }
  if (!('planned_values' in root) && !('resource_changes' in root) && 'values' in root) {
    fail('this is a state representation, not a plan; run `terraform show -json <planfile>` on a saved plan');
  }
  if (root.errored === true) fail('the plan errored (`"errored": true`), so its list of changes is incomplete; fix the plan errors first');

  return {
    formatVersion: String(formatVersion),
    terraformVersion: root.terraform_version as string | undefined,
    changes: parseChanges(root.resource_changes, 'resource_changes', fail),
    drift: parseChanges(root.resource_drift, 'resource_drift', fail),
    outputChanges: parseOutputChanges(root.output_changes, fail),
  };
}

function parseOutputChanges(value: unknown, fail: (problem: string) => never): OutputChange[] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) fail(`output_changes: expected an object, got ${describe(value)}`);
  return Object.entries(value as Record<string, unknown>)
    .map(([name, entry]) => {
      const actions = isObject(entry) ? (entry as Record<string, unknown>).actions : undefined;
      if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) {
        fail(`output_changes.${name}.actions: expected an array of strings, got ${describe(actions)}`);
      }
      const marks = entry as Record<string, unknown>;
      return { name, actions: actions as string[], sensitive: marks.before_sensitive === true || marks.after_sensitive === true };
    })
    .filter((output) => output.actions.join() !== 'no-op');
}

function parseChanges(value: unknown, field: string, fail: (problem: string) => never): ResourceChange[] {
  // Terraform omits both lists when they are empty.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`${field}: expected an array, got ${describe(value)}`);
  return (value as unknown[]).map((entry, index) => parseChange(entry, `${field}[${index}]`, fail));
}

function parseChange(entry: unknown, at: string, fail: (problem: string) => never): ResourceChange {
  if (!isObject(entry)) fail(`${at}: expected an object, got ${describe(entry)}`);
  const rc = entry as Record<string, unknown>;
  const address = requireString(rc.address, `${at}.address`, fail);
  const where = `${at} (${address})`;
  const type = requireString(rc.type, `${where}.type`, fail);
  if (rc.mode !== 'managed' && rc.mode !== 'data') fail(`${where}.mode: expected "managed" or "data", got ${describe(rc.mode)}`);
  if (rc.previous_address !== undefined) requireString(rc.previous_address, `${where}.previous_address`, fail);
  if (rc.action_reason !== undefined) requireString(rc.action_reason, `${where}.action_reason`, fail);
  if (rc.deposed !== undefined) requireString(rc.deposed, `${where}.deposed`, fail);
  if (!isObject(rc.change)) fail(`${where}.change: expected an object, got ${describe(rc.change)}`);
  const change = rc.change as Record<string, unknown>;
  const actions = change.actions;
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string')) {
    fail(`${where}.change.actions: expected a non-empty array of strings such as ["create"], got ${describe(actions)}`);
  }
  const list = actions as string[];
  const baseKind = ACTION_KINDS.get(list.join(','));
  if (baseKind === undefined) {
    fail(
      `${where}.change.actions: unsupported combination ${JSON.stringify(list)}; ` +
        `known: ${[...ACTION_KINDS.keys()].map((k) => `[${k}]`).join(', ')}`,
    );
  }
  const importing = change.importing !== undefined && change.importing !== null;
  const previousAddress = rc.previous_address as string | undefined;
  let kind = baseKind as ChangeKind;
  if (kind === 'no-op' && previousAddress !== undefined && previousAddress !== address) kind = 'move';
  else if (kind === 'no-op' && importing) kind = 'import';

  return {
    address,
    ...(previousAddress !== undefined && previousAddress !== address ? { previousAddress } : {}),
    mode: rc.mode as 'managed' | 'data',
    type,
    actions: list,
    kind,
    ...(rc.action_reason !== undefined ? { actionReason: rc.action_reason as string } : {}),
    importing,
    ...(rc.deposed !== undefined ? { deposed: rc.deposed as string } : {}),
    ...(change.before !== undefined && change.before !== null ? { before: change.before } : {}),
    ...(change.after !== undefined && change.after !== null ? { after: change.after } : {}),
    ...(change.before_sensitive !== undefined ? { beforeSensitive: change.before_sensitive } : {}),
    ...(change.after_sensitive !== undefined ? { afterSensitive: change.after_sensitive } : {}),
    ...(change.after_unknown !== undefined ? { afterUnknown: change.after_unknown } : {}),
    ...(Array.isArray(change.replace_paths) ? { replacePaths: change.replace_paths as (string | number)[][] } : {}),
  };
}

function requireString(value: unknown, at: string, fail: (problem: string) => never): string {
  if (typeof value !== 'string' || value.length === 0) fail(`${at}: expected a non-empty string, got ${describe(value)}`);
  return value as string;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${truncate(JSON.stringify(value))})`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${truncate(JSON.stringify(value))}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
