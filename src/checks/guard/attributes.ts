import type { ResourceChange } from './plan';

/**
 * Attribute-level differences of one planned change, read from its `before`/`after` values with the
 * plan's own marks: a value Terraform marks sensitive is never shown (only that it changed), a value
 * known only after apply is shown as such, and a path in `replace_paths` is flagged as forcing the
 * replacement. Strings holding JSON (IAM and bucket policies) are compared by content, key by key.
 */

/** One side of a changed attribute, as a report may show it. */
export type ShownValue =
  | { readonly kind: 'value'; readonly json: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'sensitive' }
  | { readonly kind: 'unknown' };

export interface AttributeDifference {
  /** `tags.Owner`, `ingress[0].cidr_blocks[1]`, `policy.Statement[2].Action`. */
  readonly path: string;
  readonly before: ShownValue;
  readonly after: ShownValue;
  readonly forcesReplacement: boolean;
}

const SENSITIVE: ShownValue = { kind: 'sensitive' };
const UNKNOWN: ShownValue = { kind: 'unknown' };
const ABSENT: ShownValue = { kind: 'absent' };

type Step = string | number;

export function attributeDifferences(change: ResourceChange): AttributeDifference[] {
  const out: AttributeDifference[] = [];
  const replacePaths = (change.replacePaths ?? []).map((path) => path.map(String).join('\u0000'));
  const forces = (steps: readonly Step[]) => {
    const key = steps.map(String).join('\u0000');
    return replacePaths.some((path) => key === path || key.startsWith(`${path}\u0000`));
  };
  walk(
    { value: change.before, sensitive: change.beforeSensitive },
    { value: change.after, sensitive: change.afterSensitive, unknown: change.afterUnknown },
    [],
    (steps, before, after, decoded) => out.push({ path: render(steps, decoded), before, after, forcesReplacement: forces(steps) }),
  );
  return out;
}

interface Side {
  readonly value: unknown;
  readonly sensitive?: unknown;
  readonly unknown?: unknown;
}

type Emit = (steps: readonly Step[], before: ShownValue, after: ShownValue, decoded: number) => void;

/** `decoded` is the number of leading steps inside the attribute that hold JSON text (rendered the same way). */
function walk(before: Side, after: Side, steps: Step[], emit: Emit, decoded = -1): void {
  const beforeSensitive = before.sensitive === true;
  const afterSensitive = after.sensitive === true;
  if (after.unknown === true) {
    emit(steps, beforeSensitive ? SENSITIVE : shown(before.value), UNKNOWN, decoded);
    return;
  }
  if (beforeSensitive || afterSensitive) {
    // Compared, never shown: even whether a sensitive map gained a key stays hidden.
    if (JSON.stringify(before.value) !== JSON.stringify(after.value)) {
      emit(steps, beforeSensitive ? SENSITIVE : shown(before.value), afterSensitive ? SENSITIVE : shown(after.value), decoded);
    }
    return;
  }
  const left = container(before.value);
  const right = container(after.value);
  if (left && right && Array.isArray(left) === Array.isArray(right)) {
    const keys = Array.isArray(left)
      ? [...Array(Math.max(left.length, (right as unknown[]).length)).keys()]
      : [...new Set([...Object.keys(left), ...Object.keys(right as object), ...markKeys(after.unknown)])].sort();
    for (const key of keys) {
      walk(child(before, key), child(after, key), [...steps, key], emit, decoded);
    }
    return;
  }
  const json = decodeJsonPair(before.value, after.value);
  if (json) {
    walk({ value: json[0] }, { value: json[1] }, steps, emit, decoded < 0 ? steps.length : decoded);
    return;
  }
  if (JSON.stringify(before.value) !== JSON.stringify(after.value)) emit(steps, shown(before.value), shown(after.value), decoded);
}

function child(side: Side, key: Step): Side {
  const pick = (value: unknown) => (value !== null && typeof value === 'object' ? (value as Record<Step, unknown>)[key] : undefined);
  return { value: pick(side.value), sensitive: pick(side.sensitive), unknown: pick(side.unknown) };
}

function container(value: unknown): object | undefined {
  return value !== null && typeof value === 'object' ? value : undefined;
}

function markKeys(marks: unknown): string[] {
  return marks !== null && typeof marks === 'object' && !Array.isArray(marks) ? Object.keys(marks) : [];
}

function shown(value: unknown): ShownValue {
  return value === undefined ? ABSENT : { kind: 'value', json: JSON.stringify(value) };
}

/** Both sides JSON objects or arrays in text form (a policy document): their parsed values. */
function decodeJsonPair(before: unknown, after: unknown): [unknown, unknown] | undefined {
  const parse = (value: unknown): unknown => {
    if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  const left = parse(before);
  const right = parse(after);
  return left !== undefined && right !== undefined ? [left, right] : undefined;
}

function render(steps: readonly Step[], decoded: number): string {
  let path = '';
  steps.forEach((step, index) => {
    if (typeof step === 'number') path += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) path += `${path === '' ? '' : '.'}${step}`;
    else path += `[${JSON.stringify(step)}]`;
    if (index + 1 === decoded) path += ' (JSON)';
  });
  return path;
}

/** A value for a one-line report: JSON, cut to `max` characters. */
export function describeValue(value: ShownValue, max = 80): string {
  switch (value.kind) {
    case 'sensitive':
      return '(sensitive)';
    case 'unknown':
      return '(known after apply)';
    case 'absent':
      return '(none)';
    case 'value':
      return value.json.length > max ? `${value.json.slice(0, max - 1)}…` : value.json;
  }
}
