// Every field of a configuration file, read from its zod schema: path, type, default (a value, or one per tier), what
// is allowed and the description the schema gives it with `.describe()` or `.meta({ description })`. The schema is
// the one place these are written; docs/configuration.md is rendered from this list (./markdown.ts).
import { z } from 'zod';
import { ENVIRONMENT_TIERS, type EnvironmentTier } from '../../environment-tiers';

export interface ConfigField {
  /** Dotted path in the file; `[]` marks an array item, `<key>` a map key: `services[].secrets[].name`. */
  readonly path: string;
  readonly type: string;
  readonly presence: 'required' | 'optional' | 'default' | 'tier-default';
  /** The value the schema fills in (presence `default`). */
  readonly defaultValue?: unknown;
  /** The value for each tier (presence `tier-default`). */
  readonly tierDefaults?: Readonly<Record<EnvironmentTier, unknown>>;
  /** What is allowed beyond the type: the schema's own messages where it has them. */
  readonly constraints: readonly string[];
  readonly description: string;
  /** Path of an earlier field with the same object schema (the same definition), whose fields are not listed again. */
  readonly sameFieldsAs?: string;
}

/** Thrown when a field has no description; names every such field at once. */
export class UndescribedFieldsError extends Error {
  constructor(
    readonly file: string,
    readonly paths: readonly string[],
  ) {
    super(
      `${file}: ${paths.length} field(s) without a description: ${paths.join(', ')}. ` +
        "Describe each in its schema in src/config/schema/ with .describe('…') or .meta({ description: '…' }), " +
        'then run npm run config:reference.',
    );
    this.name = 'UndescribedFieldsError';
  }
}

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypes['_zod']['def'];

const defOf = (schema: Schema): Def => (schema as z.core.$ZodTypes)._zod.def;

/**
 * The fields of a configuration document (an object schema, possibly wrapped in a transform), in declaration order.
 * Throws UndescribedFieldsError when any field lacks a description.
 */
export function configFields(file: string, document: Schema): ConfigField[] {
  const root = unwrap(document).core;
  const rootDef = defOf(root);
  if (rootDef.type !== 'object') throw new Error(`${file}: the document schema must be an object, is ${rootDef.type}`);
  const walk = new Walk();
  walk.children('', root);
  if (walk.undescribed.length > 0) throw new UndescribedFieldsError(file, walk.undescribed);
  return walk.fields;
}

class Walk {
  readonly fields: ConfigField[] = [];
  readonly undescribed: string[] = [];
  /** By definition: `.describe()` clones a schema but keeps its definition, so a described copy has the same fields. */
  private readonly objectsSeen = new Map<Def, string>();

  /** The fields inside a schema at `prefix`: an object's properties, array items' and map values' fields. */
  children(prefix: string, schema: Schema): void {
    const def = defOf(schema);
    switch (def.type) {
      case 'object':
        for (const [key, value] of Object.entries(def.shape)) this.field(prefix ? `${prefix}.${key}` : key, value);
        return;
      case 'array':
        this.children(`${prefix}[]`, unwrap(def.element, prefix).core);
        return;
      case 'record':
        this.children(`${prefix}.<key>`, unwrap(def.valueType, prefix).core);
        return;
      case 'union':
        // Only object branches have fields; a string or number branch is described by the union's constraints.
        for (const option of def.options) this.children(prefix, unwrap(option, prefix).core);
        return;
      default:
        return;
    }
  }

  private field(path: string, schema: Schema): void {
    const { layers, core } = unwrap(schema, path);
    const meta = layers.map((layer) => z.globalRegistry.get(layer)).filter((m) => m !== undefined);
    const description = meta.find((m) => m.description)?.description?.trim();
    const tierDefault = meta.find((m) => m.tierDefault)?.tierDefault;
    if (!description) this.undescribed.push(path);
    const defaulted = layers.map(defOf).find((def) => def.type === 'default');
    const optional = layers.some((layer) => defOf(layer).type === 'optional');
    const sameFieldsAs = defOf(core).type === 'object' ? this.objectsSeen.get(defOf(core)) : undefined;
    this.fields.push({
      path,
      type: typeName(core),
      ...(tierDefault
        ? {
            presence: 'tier-default',
            tierDefaults: Object.fromEntries(ENVIRONMENT_TIERS.map((t) => [t, tierDefault(t)])) as Record<EnvironmentTier, unknown>,
          }
        : defaulted
          ? { presence: 'default', defaultValue: defaulted.defaultValue }
          : { presence: optional ? 'optional' : 'required' }),
      constraints: constraintsOf(core, path),
      description: description ?? '',
      ...(sameFieldsAs ? { sameFieldsAs } : {}),
    });
    if (sameFieldsAs) return;
    if (defOf(core).type === 'object') this.objectsSeen.set(defOf(core), path);
    this.children(path, core);
  }
}

/** The wrappers of a field's schema, outside in (each may carry metadata), and the schema of its value. */
function unwrap(schema: Schema, path = ''): { layers: Schema[]; core: Schema } {
  const layers: Schema[] = [];
  let current = schema;
  for (;;) {
    layers.push(current);
    const def = defOf(current);
    switch (def.type) {
      case 'optional':
      case 'default':
        current = def.innerType;
        continue;
      case 'pipe':
        // A transform after parsing: the file holds what the input side accepts.
        current = def.in;
        continue;
      case 'string':
      case 'number':
      case 'boolean':
      case 'enum':
      case 'literal':
      case 'array':
      case 'object':
      case 'record':
      case 'union':
        return { layers, core: current };
      default:
        throw new Error(`config reference: ${path || 'document'}: zod type "${def.type}" is not supported; ${ADD_IT_HERE}`);
    }
  }
}

function typeName(schema: Schema): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'number':
      return isInteger(def) ? 'integer' : 'number';
    case 'enum':
      return [...new Set(Object.values(def.entries).map((value) => typeof value))].join(' | ');
    case 'literal':
      return [...new Set(def.values.map((value) => (Number.isInteger(value) ? 'integer' : typeof value)))].join(' | ');
    case 'array': {
      const element = typeName(unwrap(def.element).core);
      return element.includes('|') ? `(${element})[]` : `${element}[]`;
    }
    case 'record':
      return `map of ${typeName(unwrap(def.valueType).core)}`;
    case 'union':
      return [...new Set(def.options.map((option) => typeName(unwrap(option).core)))].join(' | ');
    default:
      return def.type;
  }
}

const isInteger = (def: Def) => (def.checks ?? []).some((check) => check._zod.def.check === 'number_format');

/** The message a check was given (`.regex(re, 'must be …')`), if it was given a fixed one. */
function messageOf(check: z.core.$ZodCheck): string | undefined {
  const error = (check._zod.def as { error?: (issue: unknown) => unknown }).error;
  const message = typeof error === 'function' ? error({}) : undefined;
  return typeof message === 'string' ? message : undefined;
}

const ADD_IT_HERE = 'add it to src/config/reference/fields.ts';
const FORMATS: Readonly<Record<string, string>> = { email: 'an email address' };

const code = (value: unknown) => `\`${JSON.stringify(value)}\``;

function constraintsOf(schema: Schema, path: string): string[] {
  const def = defOf(schema);
  const found: string[] = [];
  const bounds: { min?: number; max?: number } = {};
  const unit = def.type === 'string' ? 'characters' : def.type === 'array' ? 'items' : '';
  for (const check of def.checks ?? []) {
    // Refinements are checks of kind "custom", which the union of built-in check definitions leaves out.
    const checkDef = check._zod.def as z.core.$ZodChecks['_zod']['def'] | { check: 'custom' };
    const message = messageOf(check);
    switch (checkDef.check) {
      case 'string_format':
        found.push(message ?? FORMATS[checkDef.format] ?? (checkDef.pattern ? `matches \`${String(checkDef.pattern)}\`` : checkDef.format));
        break;
      case 'min_length':
      case 'greater_than':
        if (message) found.push(message);
        else bounds.min = checkDef.check === 'min_length' ? checkDef.minimum : Number(checkDef.value) + (checkDef.inclusive ? 0 : 1);
        break;
      case 'max_length':
      case 'less_than':
        if (message) found.push(message);
        else bounds.max = checkDef.check === 'max_length' ? checkDef.maximum : Number(checkDef.value) - (checkDef.inclusive ? 0 : 1);
        break;
      case 'number_format':
        if (message) found.push(message);
        break;
      case 'custom':
        if (!message) throw new Error(`config reference: ${path}: a refinement without a message cannot be documented; give it one`);
        found.push(message);
        break;
      default:
        throw new Error(`config reference: ${path}: zod check "${checkDef.check}" is not supported; ${ADD_IT_HERE}`);
    }
  }
  const suffix = unit ? ` ${unit}` : '';
  if (bounds.min !== undefined && bounds.max !== undefined) found.push(`${bounds.min}–${bounds.max}${suffix}`);
  else if (bounds.min === 1 && unit) found.push('not empty');
  else if (bounds.min !== undefined) found.push(`at least ${bounds.min}${suffix}`);
  else if (bounds.max !== undefined) found.push(`at most ${bounds.max}${suffix}`);

  switch (def.type) {
    case 'enum':
      found.push(`one of ${Object.values(def.entries).map(code).join(', ')}`);
      break;
    case 'literal':
      found.push(def.values.length === 1 ? `exactly ${code(def.values[0])}` : `one of ${def.values.map(code).join(', ')}`);
      break;
    case 'array': {
      const element = unwrap(def.element).core;
      const each = constraintsOf(element, `${path}[]`);
      if (each.length > 0) found.push(`each: ${each.join('; ')}`);
      break;
    }
    case 'union': {
      const literals = def.options.map((option) => defOf(unwrap(option).core)).filter((d) => d.type === 'literal');
      if (literals.length === def.options.length) {
        found.push(
          `one of ${literals
            .flatMap((d) => d.values)
            .map(code)
            .join(', ')}`,
        );
        break;
      }
      for (const option of def.options) {
        const core = unwrap(option).core;
        if (defOf(core).type === 'object') found.push('or an object (fields below)');
        else found.push(...constraintsOf(core, path));
      }
      break;
    }
    default:
      break;
  }
  // A message that only repeats the start of another (min and max with one message, "must be 2–6") says nothing more.
  const unique = [...new Set(found)];
  return unique.filter((text) => !unique.some((other) => other !== text && other.startsWith(text)));
}
