// Validates the `manifest` of every `kubernetes_manifest` resource against the JSON Schema of its custom resource
// (schemas/kubernetes-crds/). The provider schema types `manifest` as dynamic, so without this a misspelt field or a
// wrong enum value would surface only at apply time, from the API server. A walker over the structural-schema
// subset those CRDs use, rather than a JSON Schema library: a `${...}` expression must pass wherever a value goes
// (it is unknown until plan, as in validate.ts), and a keyword it does not implement must fail loudly at load.
// Not checked: `x-kubernetes-validations` (CEL rules, e.g. "securityGroupSelectorTerms cannot be empty"); the
// API server still enforces them at apply time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isExpression, isObject, lineOf, locateJsonPaths, resourcesOfType, type JsonObject, type StackDocument } from '../terraform-json';
import { KNOWN_NEWER_CRD_FIELDS, type KnownNewerCrdField } from './known-newer-crd-fields';
import { shape, type SchemaProblem } from './validate';
import { memoized } from '../../memo';

/** Where the committed CRD schemas live, inside the schemas directory. */
export const CRD_SCHEMAS_DIR_NAME = 'kubernetes-crds';

export interface CustomResourceKind {
  /** `group/version`, as in a manifest's `apiVersion`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** From the CRD's `spec.scope`, which the converted schemas drop: namespaced objects need a namespace, others must not have one. */
  readonly namespaced: boolean;
}

/**
 * The kinds whose schemas are committed, one file each named `<group>_<kind in lower case>_<version>.json`.
 * NodeClass and NodePool are cluster-scoped (as Karpenter's node classes and pools); TargetGroupBinding is namespaced
 * (it binds a Service of its own namespace) and IngressClassParams cluster-scoped, as in the AWS Load Balancer
 * Controller's CRDs they come from.
 */
export const CUSTOM_RESOURCE_KINDS: readonly CustomResourceKind[] = [
  { apiVersion: 'eks.amazonaws.com/v1', kind: 'IngressClassParams', namespaced: false },
  { apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass', namespaced: false },
  { apiVersion: 'eks.amazonaws.com/v1', kind: 'TargetGroupBinding', namespaced: true },
  { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', namespaced: false },
];

export type ManifestProblemKind =
  | 'manifest-unverifiable'
  | 'manifest-unknown-kind'
  | 'manifest-unknown-field'
  | 'manifest-missing-field'
  | 'manifest-invalid-value';

/** Report titles of the manifest problems (SARIF rule names). */
export const MANIFEST_PROBLEM_TITLES: Record<ManifestProblemKind, string> = {
  'manifest-unverifiable': 'kubernetes_manifest cannot be checked: its manifest, apiVersion or kind is not a literal',
  'manifest-unknown-kind': 'kubernetes_manifest kind is unknown to the custom resource schemas of its API group',
  'manifest-unknown-field': 'Field is unknown to the custom resource schema',
  'manifest-missing-field': 'Required field of the custom resource is missing',
  'manifest-invalid-value': 'Value does not satisfy the custom resource schema',
};

/** The structural-schema keywords the committed CRD schemas use; any other keyword fails loading. */
export interface CrdSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, CrdSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | CrdSchema;
  readonly maxProperties?: number;
  readonly items?: CrdSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly enum?: readonly (string | number | boolean)[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: 'int32' | 'int64' | 'date-time';
  readonly anyOf?: readonly CrdSchema[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  // No effect on validity: documentation, defaulting, merge strategy, and CEL rules (not evaluated, see the header).
  readonly description?: string;
  readonly default?: unknown;
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-validations'?: readonly { readonly rule: string; readonly message?: string }[];
}

const SCHEMA_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'format',
  'anyOf',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'description',
  'default',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);
const FORMATS = new Set(['int32', 'int64', 'date-time']);
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** CRD patterns are RE2 (Go); the ones in use mean the same as JavaScript regular expressions. */
const compiled = memoized((pattern: string) => new RegExp(pattern));
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

// Kubernetes object-meta rules (apimachinery validation): names of custom resources are DNS subdomains,
// namespaces DNS labels, label and annotation keys qualified names, label values at most 63 characters.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** The metadata a manifest writes; the rest (uid, resourceVersion, managedFields...) belongs to the API server. */
const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations'];

interface LoadedKind extends CustomResourceKind {
  readonly schema: CrdSchema;
  /** The file it came from, for messages. */
  readonly origin: string;
}

type Lookup = { readonly found: LoadedKind } | { readonly unknownKind: string } | undefined;

/** The committed CRD schemas, by `apiVersion` and `kind`, with the known newer fields added. */
export class CustomResourceSchemas {
  private readonly kinds = new Map<string, LoadedKind>();

  /**
   * Loads `<dir>/*.json`. Fails on a file that no entry of `kinds` names (its scope is unknown), an entry without
   * its file, a keyword or format the walker does not implement, and a newer field the schema cannot take or
   * already has.
   */
  static fromDir(
    dir: string,
    newerFields: readonly KnownNewerCrdField[] = KNOWN_NEWER_CRD_FIELDS,
    kinds: readonly CustomResourceKind[] = CUSTOM_RESOURCE_KINDS,
  ): CustomResourceSchemas {
    if (!existsSync(dir)) throw new Error(`custom resource schemas: ${dir} does not exist`);
    const byFile = new Map(kinds.map((kind) => [schemaFileName(kind), kind]));
    const files = readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort();
    const set = new CustomResourceSchemas();
    for (const file of files) {
      const kind = byFile.get(file);
      const origin = join(dir, file);
      if (!kind) {
        const fix = 'add its apiVersion, kind and scope to CUSTOM_RESOURCE_KINDS (src/checks/schema/manifest.ts)';
        throw new Error(`${origin}: no entry in CUSTOM_RESOURCE_KINDS names this file; ${fix}`);
      }
      let schema: CrdSchema;
      try {
        schema = JSON.parse(readFileSync(origin, 'utf8')) as CrdSchema;
      } catch (error) {
        throw new Error(`cannot read custom resource schema ${origin}: ${(error as Error).message}`);
      }
      checkKeywords(schema, origin, '');
      set.kinds.set(key(kind.apiVersion, kind.kind), { ...kind, schema, origin });
    }
    const missing = kinds.filter((kind) => !set.kinds.has(key(kind.apiVersion, kind.kind)));
    if (missing.length > 0) throw new Error(`custom resource schemas: ${dir} lacks ${missing.map(schemaFileName).join(', ')}`);
    for (const field of newerFields) set.addNewerField(field);
    return set;
  }

  /** The schema for `apiVersion` + `kind`; a reason when the API group has schemas but not this kind; undefined for other groups. */
  lookup(apiVersion: string, kind: string): Lookup {
    const found = this.kinds.get(key(apiVersion, kind));
    if (found) return { found };
    const group = groupOf(apiVersion);
    const sameGroup = [...this.kinds.values()].filter((k) => groupOf(k.apiVersion) === group);
    if (sameGroup.length === 0) return undefined;
    const known = sameGroup
      .map((k) => `${k.kind} (${k.apiVersion})`)
      .sort()
      .join(', ');
    return { unknownKind: `no schema for kind "${kind}" of ${apiVersion}; the ${group} schemas cover ${known}` };
  }

  private addNewerField(field: KnownNewerCrdField): void {
    const target = this.kinds.get(key(field.apiVersion, field.kind));
    const where = `known newer field ${field.kind} ${field.path}`;
    if (!target) throw new Error(`${where}: no schema for ${field.kind} of ${field.apiVersion}`);
    const schema = structuredClone(target.schema) as { properties?: Record<string, CrdSchema> };
    const segments = field.path.split('.');
    const name = segments.pop()!;
    let parent = schema;
    for (const segment of segments) {
      const next = parent.properties?.[segment];
      if (next?.type !== 'object') throw new Error(`${where}: ${target.origin} has no object at "${segment}" on that path`);
      parent = next as typeof parent;
    }
    if (!parent.properties) throw new Error(`${where}: its parent in ${target.origin} lists no fields`);
    if (parent.properties[name]) {
      throw new Error(`${where}: ${target.origin} now defines it; remove the entry from known-newer-crd-fields.ts`);
    }
    checkKeywords(field.schema, where, '');
    parent.properties[name] = field.schema;
    this.kinds.set(key(field.apiVersion, field.kind), { ...target, schema });
  }
}

export function schemaFileName(kind: Pick<CustomResourceKind, 'apiVersion' | 'kind'>): string {
  const [group, version] = kind.apiVersion.split('/');
  return `${group}_${kind.kind.toLowerCase()}_${version}.json`;
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

/** `eks.amazonaws.com/v1` → `eks.amazonaws.com`; the core group (`v1`) is "". */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function checkKeywords(schema: CrdSchema, origin: string, at: string): void {
  const fail = (what: string) => {
    throw new Error(`${origin}: ${what} at "${at || '(root)'}"; the manifest check (src/checks/schema/manifest.ts) does not implement it`);
  };
  for (const keyword of Object.keys(schema)) if (!SCHEMA_KEYWORDS.has(keyword)) fail(`unsupported keyword "${keyword}"`);
  if (schema.format !== undefined && !FORMATS.has(schema.format)) fail(`unsupported format "${schema.format}"`);
  if (schema.pattern !== undefined) compiled(schema.pattern);
  for (const [name, child] of Object.entries(schema.properties ?? {})) checkKeywords(child, origin, at ? `${at}.${name}` : name);
  if (isObject(schema.additionalProperties)) checkKeywords(schema.additionalProperties, origin, `${at}.*`);
  if (schema.items) checkKeywords(schema.items, origin, `${at}[]`);
  schema.anyOf?.forEach((branch, index) => checkKeywords(branch, origin, `${at}.anyOf[${index}]`));
}

// ---------------------------------------------------------------------------------------------

interface Walk {
  readonly stack: StackDocument;
  readonly address: string;
  /** JSON path of the manifest in the file: `resource.kubernetes_manifest.x.manifest`. */
  readonly base: string;
  /** `NodeClass (eks.amazonaws.com/v1)`, for messages. */
  readonly subject: string;
  readonly out: SchemaProblem[];
}

/** Records a problem at `relative`, the path inside the manifest (`spec.subnetSelectorTerms[0].id`). */
function problem(walk: Walk, kind: ManifestProblemKind, relative: string, message: string): void {
  const path = relative ? `${walk.base}.${relative}` : walk.base;
  const { stack, address } = walk;
  walk.out.push({ kind, stack: stack.name, file: stack.file, path, address, message: `${message} (${address})` });
}

function invalid(walk: Walk, relative: string, rule: string, value: unknown): void {
  problem(walk, 'manifest-invalid-value', relative, `${relative} of ${walk.subject} ${rule}, got ${shape(value)}`);
}

function missing(walk: Walk, parent: string, name: string): void {
  const where = parent ? `${parent} of ${walk.subject}` : walk.subject;
  problem(walk, 'manifest-missing-field', childPath(parent, name), `missing required field "${name}" in ${where}`);
}

function unknownField(walk: Walk, parent: string, name: string, known: readonly string[]): void {
  const where = parent ? `${parent} of ${walk.subject}` : walk.subject;
  const hint = known.length > 0 ? ` (known: ${[...known].sort().join(', ')})` : '';
  problem(walk, 'manifest-unknown-field', childPath(parent, name), `unknown field "${name}" in ${where}${hint}`);
}

function childPath(relative: string, name: string): string {
  return relative ? `${relative}.${name}` : name;
}

function isUnset(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Validates the manifests of every `kubernetes_manifest` resource of one stack. */
export function validateManifests(stack: StackDocument, schemas: CustomResourceSchemas): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const resource of resourcesOfType(stack.doc, 'kubernetes_manifest')) {
    const manifest = resource.body.manifest;
    const walk: Walk = { stack, address: resource.address, base: `${resource.path}.manifest`, subject: 'manifest', out };
    if (isUnset(manifest)) continue; // a missing required argument: the provider schema's problem
    if (!isObject(manifest)) {
      const fix = 'write it as an object so its kind and fields can be checked';
      problem(walk, 'manifest-unverifiable', '', `manifest is ${shape(manifest)}; ${fix}`);
      continue;
    }
    const { apiVersion, kind } = manifest;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || isExpression(apiVersion) || isExpression(kind)) {
      const got = `got ${shape(apiVersion)} and ${shape(kind)}`;
      problem(walk, 'manifest-unverifiable', '', `manifest needs literal strings for apiVersion and kind (${got})`);
      continue;
    }
    const lookup = schemas.lookup(apiVersion, kind);
    if (lookup === undefined) continue; // an API group without committed schemas
    if ('unknownKind' in lookup) {
      problem(walk, 'manifest-unknown-kind', 'kind', lookup.unknownKind);
      continue;
    }
    validateTopLevel({ ...walk, subject: `${kind} (${apiVersion})` }, manifest, lookup.found);
  }
  if (stack.text === undefined || out.length === 0) return out;
  const located = locateJsonPaths(stack.text, 64);
  return out.map((p) => {
    const line = lineOf(located, p.path);
    return line === undefined ? p : { ...p, line };
  });
}

/** Validates several stacks. */
export function validateStacksManifests(stacks: readonly StackDocument[], schemas: CustomResourceSchemas): SchemaProblem[] {
  return stacks.flatMap((stack) => validateManifests(stack, schemas));
}

function validateTopLevel(walk: Walk, manifest: JsonObject, crd: LoadedKind): void {
  const fields = crd.schema.properties ?? {};
  const known = ['apiVersion', 'kind', 'metadata', ...Object.keys(fields).filter((name) => name !== 'status')];
  for (const [name, value] of Object.entries(manifest)) {
    if (name === 'apiVersion' || name === 'kind') continue;
    if (name === 'metadata') validateMetadata(walk, value, crd);
    else if (name === 'status') problem(walk, 'manifest-unknown-field', name, `status is written by the ${crd.kind} controller`);
    else if (fields[name]) validateValue(walk, value, fields[name], name);
    else unknownField(walk, '', name, known);
  }
  if (isUnset(manifest.metadata)) missing(walk, '', 'metadata');
  for (const name of crd.schema.required ?? []) if (isUnset(manifest[name])) missing(walk, '', name);
}

function validateMetadata(walk: Walk, metadata: unknown, crd: LoadedKind): void {
  if (metadata === null || isExpression(metadata)) return;
  if (!isObject(metadata)) return invalid(walk, 'metadata', 'must be an object', metadata);
  for (const name of Object.keys(metadata)) if (!METADATA_FIELDS.includes(name)) unknownField(walk, 'metadata', name, METADATA_FIELDS);
  checkName(walk, metadata, 'name', DNS_SUBDOMAIN, 253, 'a DNS subdomain name (lower-case alphanumerics, "-" and ".")');
  if (crd.namespaced) {
    if (isUnset(metadata.namespace)) {
      problem(walk, 'manifest-missing-field', 'metadata.namespace', `${crd.kind} is namespaced: metadata.namespace is required`);
    } else {
      checkName(walk, metadata, 'namespace', DNS_LABEL, 63, 'a DNS label (lower-case alphanumerics and "-")');
    }
  } else if (!isUnset(metadata.namespace)) {
    problem(walk, 'manifest-invalid-value', 'metadata.namespace', `${crd.kind} is cluster-scoped: metadata.namespace must not be set`);
  }
  checkStringMap(walk, metadata.labels, 'metadata.labels', true);
  checkStringMap(walk, metadata.annotations, 'metadata.annotations', false);
}

function checkName(walk: Walk, metadata: JsonObject, field: string, pattern: RegExp, max: number, what: string): void {
  // unknown rather than JsonValue: the isExpression guard below would otherwise narrow strings away.
  const value: unknown = metadata[field];
  if (isUnset(value)) return missing(walk, 'metadata', field);
  if (isExpression(value)) return;
  if (typeof value !== 'string' || value.length > max || !pattern.test(value)) {
    invalid(walk, `metadata.${field}`, `must be ${what} of at most ${max} characters`, value);
  }
}

function checkStringMap(walk: Walk, value: unknown, relative: string, labels: boolean): void {
  if (isUnset(value) || isExpression(value)) return;
  if (!isObject(value)) return invalid(walk, relative, 'must be a map of strings', value);
  for (const [name, item] of Object.entries(value)) {
    const at = childPath(relative, name);
    if (!isExpression(name) && !isQualifiedName(name)) {
      const rule = 'must be a qualified name ([prefix/]name of at most 63 characters)';
      problem(walk, 'manifest-invalid-value', at, `key "${name}" of ${relative} ${rule}`);
    }
    if (item === null || isExpression(item)) continue;
    if (!isScalar(item)) invalid(walk, at, 'must be a string', item);
    else if (labels && (String(item).length > 63 || !LABEL_VALUE.test(String(item)))) {
      invalid(walk, at, 'must be a label value (at most 63 alphanumerics, "-", "_" and ".")', item);
    }
  }
}

function isQualifiedName(name: string): boolean {
  const slash = name.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : name.slice(0, slash);
  const local = slash < 0 ? name : name.slice(slash + 1);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  return prefixOk && local.length <= 63 && QUALIFIED_NAME.test(local);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Checks `value` against `schema`; `relative` is its path inside the manifest. */
function validateValue(walk: Walk, value: unknown, schema: CrdSchema, relative: string): void {
  // null leaves a field unset (required fields are checked by the parent); an expression is unknown until plan.
  if (isUnset(value) || isExpression(value)) return;
  const fail = (rule: string) => invalid(walk, relative, rule, value);
  if (schema.anyOf && !schema.anyOf.some((branch) => conforms(walk, value, branch, relative))) {
    return fail(`must be ${schema.anyOf.map(describeType).join(' or ')}`);
  }
  if (schema.type && !hasType(value, schema.type)) return fail(`must be ${describeType(schema)}`);
  // Like validate.ts: a number or bool given for a string is converted by Terraform, so its text is what is checked.
  const text = typeof value === 'string' || (schema.type === 'string' && isScalar(value)) ? String(value) : undefined;
  if (schema.enum && !schema.enum.some((allowed) => allowed === value || (text !== undefined && allowed === text))) {
    return fail(`must be one of ${schema.enum.map((allowed) => JSON.stringify(allowed)).join(', ')}`);
  }
  if (text !== undefined) {
    if (schema.minLength !== undefined && text.length < schema.minLength) fail(`must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && text.length > schema.maxLength) fail(`must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !compiled(schema.pattern).test(text)) fail(`must match ${schema.pattern}`);
    if (schema.format === 'date-time' && !RFC3339.test(text)) fail('must be an RFC 3339 date-time');
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be at most ${schema.maximum}`);
    if (schema.format === 'int32' && (value < INT32.min || value > INT32.max)) fail('must fit in 32 bits');
  }
  if (Array.isArray(value)) validateArray(walk, value, schema, relative, fail);
  else if (isObject(value)) validateFields(walk, value, schema, relative, fail);
}

function validateArray(walk: Walk, value: unknown[], schema: CrdSchema, relative: string, fail: (rule: string) => void): void {
  const { minItems, maxItems, items } = schema;
  if (minItems !== undefined && value.length < minItems) fail(`needs at least ${minItems} item${minItems === 1 ? '' : 's'}`);
  if (maxItems !== undefined && value.length > maxItems) fail(`allows at most ${maxItems} items`);
  if (items) value.forEach((item, index) => validateValue(walk, item, items, `${relative}[${index}]`));
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  // A set's items, and a map-list's key fields, must be unique; items holding expressions cannot be compared.
  const keyFields = schema['x-kubernetes-list-map-keys'] ?? [];
  const identity = (item: unknown) => (listType === 'set' ? item : keyFields.map((field) => (isObject(item) ? item[field] : undefined)));
  const what = listType === 'set' ? 'an item' : `the key (${keyFields.join(', ')})`;
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const text = JSON.stringify(identity(item));
    if (text.includes('${')) return;
    const at = `${relative}[${index}]`;
    if (seen.has(text)) problem(walk, 'manifest-invalid-value', at, `${at} of ${walk.subject} repeats ${what} of an earlier item: ${text}`);
    seen.add(text);
  });
}

function validateFields(walk: Walk, value: JsonObject, schema: CrdSchema, relative: string, fail: (rule: string) => void): void {
  const fields = schema.properties ?? {};
  const extra = schema.additionalProperties;
  // Strict: a field the schema does not list is an error (the API server would prune or reject it), unless the
  // schema allows any fields (`additionalProperties: true`, or an object schema that lists none).
  const strict = extra === false || (extra === undefined && schema.properties !== undefined);
  for (const [name, item] of Object.entries(value)) {
    if (fields[name]) validateValue(walk, item, fields[name], childPath(relative, name));
    else if (isObject(extra)) validateValue(walk, item, extra, childPath(relative, name));
    else if (strict) unknownField(walk, relative, name, Object.keys(fields));
  }
  for (const name of schema.required ?? []) if (isUnset(value[name])) missing(walk, relative, name);
  const { maxProperties } = schema;
  if (maxProperties !== undefined && Object.keys(value).length > maxProperties) fail(`allows at most ${maxProperties} entries`);
}

/** Whether `value` satisfies `schema`, without reporting (for the branches of anyOf). */
function conforms(walk: Walk, value: unknown, schema: CrdSchema, relative: string): boolean {
  const trial: Walk = { ...walk, out: [] };
  validateValue(trial, value, schema, relative);
  return trial.out.length === 0;
}

function hasType(value: unknown, type: NonNullable<CrdSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return isScalar(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function describeType(schema: CrdSchema): string {
  switch (schema.type) {
    case undefined:
      return 'a value';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'integer':
      return 'an integer';
    default:
      return `a ${schema.type}`;
  }
}
