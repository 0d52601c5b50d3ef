// Validates synthesized Terraform JSON against provider schemas (`terraform providers schema -json`
// format), catching what `terraform validate` would: unknown or computed-only arguments, missing required
// arguments and blocks, attributes where blocks belong and the reverse, too many blocks, and primitive
// type mismatches. A `${...}` expression passes for any type: its value is unknown until plan.
import {
  isExpression,
  isObject,
  lineOf,
  locateJsonPaths,
  type JsonObject,
  type StackDocument,
  type TerraformJson,
} from '../terraform-json';
import { KNOWN_NEWER_ARGUMENTS } from './known-newer-arguments';
import type { ManifestProblemKind } from './manifest';
import type { CtyType, SchemaAttribute, SchemaBlock, SchemaBlockType, SchemaKind, SchemaSet } from './provider-schema';

export type SchemaProblemKind =
  | 'unknown-type'
  | 'unknown-argument'
  | 'computed-argument'
  | 'missing-argument'
  | 'missing-block'
  | 'block-expected'
  | 'attribute-expected'
  | 'too-many-blocks'
  | 'type-mismatch'
  // From the kubernetes_manifest check (manifest.ts), reported alongside.
  | ManifestProblemKind;

export interface SchemaProblem {
  readonly kind: SchemaProblemKind;
  readonly stack: string;
  readonly file: string;
  /** JSON path inside the file, e.g. `resource.aws_s3_bucket.state.versioning`. */
  readonly path: string;
  /** Terraform address of the resource the problem is in, when it is in one. */
  readonly address?: string;
  /** 1-based line in the file, when the file's text is known. */
  readonly line?: number;
  readonly message: string;
}

/** Keys Terraform accepts on every resource/data/ephemeral block, whatever the provider schema says. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);
const COMMENT = '//';

interface Walk {
  readonly stack: StackDocument;
  readonly address: string;
  /** Resource type, for the known-newer allow-list. */
  readonly type: string;
  readonly out: SchemaProblem[];
  readonly allowNewer: ReadonlySet<string>;
}

const SECTIONS: { key: 'resource' | 'data' | 'ephemeral'; kind: SchemaKind; label: string }[] = [
  { key: 'resource', kind: 'resource_schemas', label: 'resource type' },
  { key: 'data', kind: 'data_source_schemas', label: 'data source type' },
  { key: 'ephemeral', kind: 'ephemeral_resource_schemas', label: 'ephemeral resource type' },
];

export interface ValidateOptions {
  /** `type.argument` pairs accepted although the schema lacks them; defaults to KNOWN_NEWER_ARGUMENTS. */
  readonly allowNewer?: ReadonlySet<string>;
}

/** Validates every resource, data source and ephemeral resource of one stack. */
export function validateStack(stack: StackDocument, schemas: SchemaSet, options: ValidateOptions = {}): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const doc: TerraformJson = stack.doc;
  const allowNewer = options.allowNewer ?? KNOWN_NEWER_ARGUMENTS;
  for (const section of SECTIONS) {
    const byType = doc[section.key];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, rawBody] of Object.entries(byName)) {
        const address = section.key === 'resource' ? `${type}.${name}` : `${section.key}.${type}.${name}`;
        const path = `${section.key}.${type}.${name}`;
        const bodies = Array.isArray(rawBody) ? rawBody : [rawBody];
        bodies.forEach((body, index) => {
          const bodyPath = Array.isArray(rawBody) ? `${path}[${index}]` : path;
          const walk: Walk = { stack, address, type, out, allowNewer };
          if (!isObject(body)) {
            problem(walk, 'block-expected', bodyPath, `${address} must be an object`);
            return;
          }
          const provider = schemas.providerFor(doc, type, body.provider);
          if (!provider) return; // no schema supplied for this provider: not validated
          const entry = provider.schema[section.kind]?.[type];
          if (!entry) {
            problem(
              walk,
              'unknown-type',
              bodyPath,
              `unknown ${section.label} "${type}" for provider ${provider.address} (schema: ${provider.origin}${hint(provider.origin)})`,
            );
            return;
          }
          validateBlock(walk, body, entry.block, bodyPath, '', true);
        });
      }
    }
  }
  const providers = doc.provider;
  if (isObject(providers)) {
    for (const [localName, configs] of Object.entries(providers)) {
      const provider = schemas.providerFor(doc, `${localName}_`, localName);
      if (!provider?.schema.provider) continue;
      const list = Array.isArray(configs) ? configs : [configs];
      list.forEach((config, index) => {
        if (!isObject(config)) return;
        const { alias: _alias, version: _version, ...rest } = config;
        const walk: Walk = { stack, address: `provider.${localName}`, type: localName, out, allowNewer };
        validateBlock(walk, rest as JsonObject, provider.schema.provider!.block, `provider.${localName}[${index}]`, '', false);
      });
    }
  }
  if (stack.text === undefined || out.length === 0) return out;
  const located = locateJsonPaths(stack.text);
  return out.map((p) => {
    const line = lineOf(located, p.path);
    return line === undefined ? p : { ...p, line };
  });
}

function hint(origin: string): string {
  return /subset/i.test(origin) ? '; if the type is real, the committed subset is stale: run `npm run schema:subset`' : '';
}

function problem(walk: Walk, kind: SchemaProblemKind, path: string, message: string): void {
  walk.out.push({ kind, stack: walk.stack.name, file: walk.stack.file, path, address: walk.address, message });
}

function validateBlock(walk: Walk, body: JsonObject, block: SchemaBlock, path: string, relative: string, topLevel: boolean): void {
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  const dynamicBlocks = new Set<string>();

  for (const [key, value] of Object.entries(body)) {
    if (key === COMMENT) continue;
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    const childPath = `${path}.${key}`;
    const childRelative = relative ? `${relative}.${key}` : key;
    if (key === 'dynamic' && !attributes.dynamic && !blockTypes.dynamic) {
      validateDynamic(walk, value, blockTypes, childPath, relative, dynamicBlocks);
      continue;
    }
    const attribute = attributes[key];
    if (attribute) {
      validateAttribute(walk, key, value, attribute, childPath, childRelative);
      continue;
    }
    const blockType = blockTypes[key];
    if (blockType) {
      validateNestedBlock(walk, key, value, blockType, childPath, childRelative);
      continue;
    }
    if (walk.allowNewer.has(`${walk.type}.${childRelative}`)) continue;
    problem(walk, 'unknown-argument', childPath, `unknown argument "${key}" in ${describe(walk, relative)}`);
  }

  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[key] === undefined || body[key] === null)) {
      problem(walk, 'missing-argument', `${path}.${key}`, `missing required argument "${key}" in ${describe(walk, relative)}`);
    }
  }
  for (const [key, blockType] of Object.entries(blockTypes)) {
    const min = blockType.min_items ?? 0;
    if (min === 0 || dynamicBlocks.has(key)) continue;
    const count = countBlocks(body[key]);
    if (count < min) {
      problem(
        walk,
        'missing-block',
        `${path}.${key}`,
        `${describe(walk, relative)} needs at least ${min} "${key}" block${min > 1 ? 's' : ''}, found ${count}`,
      );
    }
  }
}

function describe(walk: Walk, relative: string): string {
  return relative ? `block "${relative}" of ${walk.address}` : walk.address;
}

function countBlocks(value: unknown): number {
  if (value === undefined || value === null) return 0;
  return Array.isArray(value) ? value.length : 1;
}

function validateDynamic(
  walk: Walk,
  value: unknown,
  blockTypes: Record<string, SchemaBlockType>,
  path: string,
  relative: string,
  seen: Set<string>,
): void {
  if (!isObject(value)) {
    problem(walk, 'block-expected', path, `"dynamic" must be an object of dynamic blocks`);
    return;
  }
  for (const [name, dynamic] of Object.entries(value)) {
    const blockType = blockTypes[name];
    const childRelative = relative ? `${relative}.${name}` : name;
    if (!blockType) {
      problem(walk, 'unknown-argument', `${path}.${name}`, `dynamic block "${name}" is not a block type of ${describe(walk, relative)}`);
      continue;
    }
    seen.add(name);
    for (const [index, item] of (Array.isArray(dynamic) ? dynamic : [dynamic]).entries()) {
      const itemPath = Array.isArray(dynamic) ? `${path}.${name}[${index}]` : `${path}.${name}`;
      if (!isObject(item) || !isObject(item.content)) {
        problem(walk, 'block-expected', itemPath, `dynamic block "${name}" needs a "content" object`);
        continue;
      }
      validateBlock(walk, item.content, blockType.block, `${itemPath}.content`, childRelative, false);
    }
  }
}

function validateNestedBlock(walk: Walk, key: string, value: unknown, blockType: SchemaBlockType, path: string, relative: string): void {
  if (value === null || value === undefined) return;
  const where = `"${key}" in ${describe(walk, relative.split('.').slice(0, -1).join('.'))}`;
  const looksLikeBlocks = isObject(value) || (Array.isArray(value) && value.every(isObject));
  if (!looksLikeBlocks) {
    problem(
      walk,
      'block-expected',
      path,
      `${where} is a block (nesting ${blockType.nesting_mode}); give an object or an array of objects, not ${shape(value)}`,
    );
    return;
  }
  let items: { item: JsonObject; path: string }[];
  if (blockType.nesting_mode === 'map') {
    items = Object.entries(value as JsonObject).flatMap(([label, labelled]) =>
      (Array.isArray(labelled) ? labelled : [labelled]).map((item) => ({ item: item as JsonObject, path: `${path}.${label}` })),
    );
    const invalid = items.find(({ item }) => !isObject(item));
    if (invalid) {
      problem(walk, 'block-expected', invalid.path, `${where} is a map of blocks; each label needs an object`);
      return;
    }
  } else {
    items = Array.isArray(value)
      ? value.map((item, index) => ({ item: item as JsonObject, path: `${path}[${index}]` }))
      : [{ item: value as JsonObject, path }];
  }
  const max = blockType.max_items ?? 0;
  if (blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group') {
    if (items.length > 1) problem(walk, 'too-many-blocks', path, `${where} is a single block, found ${items.length}`);
  } else if (max > 0 && items.length > max) {
    problem(walk, 'too-many-blocks', path, `${where} allows at most ${max} block${max > 1 ? 's' : ''}, found ${items.length}`);
  }
  for (const { item, path: itemPath } of items) validateBlock(walk, item, blockType.block, itemPath, relative, false);
}

function validateAttribute(walk: Walk, key: string, value: unknown, attribute: SchemaAttribute, path: string, relative: string): void {
  if (value === null || value === undefined) return;
  if (attribute.computed && !attribute.optional && !attribute.required) {
    problem(walk, 'computed-argument', path, `"${key}" is computed by the provider and cannot be set (${walk.address})`);
    return;
  }
  if (attribute.nested_type) {
    validateNestedAttribute(walk, key, value, attribute.nested_type, path, relative);
    return;
  }
  if (attribute.type === undefined) return;
  const mismatch = typeMismatch(value, attribute.type);
  if (mismatch === undefined) return;
  if (isPrimitiveish(attribute.type) && (isObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isObject)))) {
    problem(
      walk,
      'attribute-expected',
      path,
      `"${key}" is an attribute of type ${typeName(attribute.type)}, but a block (${shape(value)}) was given (${walk.address})`,
    );
    return;
  }
  problem(walk, 'type-mismatch', path, `"${key}" expects ${typeName(attribute.type)}: ${mismatch} (${walk.address})`);
}

function validateNestedAttribute(
  walk: Walk,
  key: string,
  value: unknown,
  nested: NonNullable<SchemaAttribute['nested_type']>,
  path: string,
  relative: string,
): void {
  if (isExpression(value)) return;
  const asBlock: SchemaBlock = { attributes: nested.attributes };
  const check = (item: unknown, itemPath: string) => {
    if (isExpression(item) || item === null) return;
    if (!isObject(item)) {
      problem(walk, 'type-mismatch', itemPath, `"${key}" expects an object, got ${shape(item)} (${walk.address})`);
      return;
    }
    validateBlock(walk, item, asBlock, itemPath, relative, false);
  };
  if (nested.nesting_mode === 'single') return check(value, path);
  if (nested.nesting_mode === 'map') {
    if (!isObject(value))
      return problem(walk, 'type-mismatch', path, `"${key}" expects a map of objects, got ${shape(value)} (${walk.address})`);
    for (const [label, item] of Object.entries(value)) check(item, `${path}.${label}`);
    return;
  }
  if (!Array.isArray(value))
    return problem(
      walk,
      'type-mismatch',
      path,
      `"${key}" expects a ${nested.nesting_mode} of objects, got ${shape(value)} (${walk.address})`,
    );
  value.forEach((item, index) => check(item, `${path}[${index}]`));
}

/** Primitives and collections of primitives: where a JSON object/array of objects is clearly a block. */
function isPrimitiveish(type: CtyType): boolean {
  if (typeof type === 'string') return type !== 'dynamic';
  const [kind, element] = type;
  return (kind === 'list' || kind === 'set') && typeof element === 'string' && element !== 'dynamic';
}

function typeName(type: CtyType): string {
  if (typeof type === 'string') return type;
  const [kind, element] = type;
  if (kind === 'object') return 'object';
  if (kind === 'tuple') return 'tuple';
  return `${kind}(${typeName(element as CtyType)})`;
}

/** A short description of a value for messages: `the string "x"`, `an array of objects`. */
export function shape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length > 0 && value.every(isObject) ? 'an array of objects' : 'an array';
  if (isObject(value)) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Why `value` does not conform to `type`, or undefined when it does. Strings containing `${`/`%{` are
 * unknown values and conform to anything. A number or bool is accepted for a string (Terraform converts
 * them); a string is not accepted for a number or bool, because cdktn renders those natively.
 */
function typeMismatch(value: unknown, type: CtyType, at = ''): string | undefined {
  if (value === null || value === undefined || isExpression(value)) return undefined;
  const where = at ? ` at ${at}` : '';
  if (typeof type === 'string') {
    switch (type) {
      case 'dynamic':
        return undefined;
      case 'string':
        return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? undefined
          : `got ${shape(value)}${where}`;
      case 'number':
        return typeof value === 'number' ? undefined : `got ${shape(value)}${where}`;
      case 'bool':
        return typeof value === 'boolean' ? undefined : `got ${shape(value)}${where}`;
      default:
        return undefined;
    }
  }
  const [kind, element, optional] = type;
  switch (kind) {
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) return `got ${shape(value)}${where}`;
      for (const [index, item] of value.entries()) {
        const inner = typeMismatch(item, element as CtyType, `${at}[${index}]`);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'map': {
      if (!isObject(value)) return `got ${shape(value)}${where}`;
      for (const [key, item] of Object.entries(value)) {
        const inner = typeMismatch(item, element as CtyType, `${at}.${key}`);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'object': {
      if (!isObject(value)) return `got ${shape(value)}${where}`;
      const fields = (element ?? {}) as Record<string, CtyType>;
      const optionalFields = new Set(Array.isArray(optional) ? (optional as string[]) : []);
      for (const key of Object.keys(value)) {
        if (!(key in fields)) return `unknown object attribute "${key}"${where}`;
      }
      for (const [key, fieldType] of Object.entries(fields)) {
        // Terraform's object conversion needs every non-optional attribute (cdktn renders unset ones as null).
        if (!(key in value) && !optionalFields.has(key)) return `object attribute "${key}" is missing${where}`;
        const inner = typeMismatch(value[key], fieldType, `${at}.${key}`);
        if (inner) return inner;
      }
      return undefined;
    }
    case 'tuple': {
      const elements = (element ?? []) as CtyType[];
      if (!Array.isArray(value) || value.length !== elements.length)
        return `got ${shape(value)}, expected a tuple of ${elements.length}${where}`;
      for (const [index, item] of value.entries()) {
        const inner = typeMismatch(item, elements[index]!, `${at}[${index}]`);
        if (inner) return inner;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Validates several stacks. */
export function validateStacks(stacks: readonly StackDocument[], schemas: SchemaSet, options: ValidateOptions = {}): SchemaProblem[] {
  return stacks.flatMap((stack) => validateStack(stack, schemas, options));
}
