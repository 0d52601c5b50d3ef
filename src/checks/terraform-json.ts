// Shared helpers for the checks that read synthesized Terraform JSON (`cdktf.out/stacks/*/cdk.tf.json`).
// Nothing here knows about the app's code: everything is derived from the JSON documents.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Layer, parseStackName, SYNTH_OUT_DIR } from '../layers';
import { escapeRegExp } from '../regexp';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A synthesized Terraform JSON document (only the top-level keys the checks read are typed). */
export interface TerraformJson {
  readonly terraform?: {
    readonly backend?: Record<string, JsonObject>;
    readonly required_providers?: Record<string, JsonObject | string>;
    readonly [key: string]: JsonValue | undefined;
  };
  readonly provider?: Record<string, JsonObject | JsonObject[]>;
  readonly resource?: Record<string, Record<string, JsonObject | JsonObject[]>>;
  readonly data?: Record<string, Record<string, JsonObject | JsonObject[]>>;
  readonly ephemeral?: Record<string, Record<string, JsonObject | JsonObject[]>>;
  readonly [key: string]: unknown;
}

/** One synthesized stack: its name (`<env>-<layer>`), where it was read from and the parsed document. */
export interface StackDocument {
  readonly name: string;
  /** The `<env>` of a `<env>-<layer>` name (`parseStackName`); the whole name when it ends in no layer. */
  readonly environment: string;
  readonly layer?: Layer;
  /** Path of the cdk.tf.json, relative to the working directory when read from disk. */
  readonly file: string;
  readonly doc: TerraformJson;
  /** The raw text, when known; used to point reports at line numbers. */
  readonly text?: string;
}

export function stackDocument(name: string, doc: TerraformJson, file?: string, text?: string): StackDocument {
  return {
    name,
    ...(parseStackName(name) ?? { environment: name }),
    file: file ?? `${SYNTH_OUT_DIR}/stacks/${name}/cdk.tf.json`,
    doc,
    ...(text === undefined ? {} : { text }),
  };
}

/** The folder of one stack in a synthesized output: `<outDir>/stacks/<name>` (its `cdk.tf.json` and lock file). */
export function stackFolder(outDir: string, name: string): string {
  return join(outDir, 'stacks', name);
}

/** Reads every `<dir>/stacks/<name>/cdk.tf.json`, sorted by stack name. */
export function readStacks(outDir: string): StackDocument[] {
  const stacksDir = join(outDir, 'stacks');
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(stacksDir, entry.name, 'cdk.tf.json')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(stackFolder(outDir, name), 'cdk.tf.json');
      const text = readFileSync(file, 'utf8');
      let doc: TerraformJson;
      try {
        doc = JSON.parse(text) as TerraformJson;
      } catch (error) {
        throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
      }
      return stackDocument(name, doc, file, text);
    });
}

// ---------------------------------------------------------------------------------------------
// Values and expressions

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when a string is (or contains) a Terraform template expression, whose value is unknown here. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && (value.includes('${') || value.includes('%{'));
}

/**
 * Blocks appear in Terraform JSON as one object or an array of objects; this returns them as a list
 * (empty when absent or null).
 */
export function blocks(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** A list-valued attribute as a list (a lone value becomes a one-element list; null/absent → []). */
export function list(value: unknown): JsonValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value as JsonValue];
}

/** Follows a path of keys through nested blocks, flattening block lists on the way. */
export function dig(value: unknown, ...path: string[]): JsonValue[] {
  let current: unknown[] = [value];
  for (const key of path) {
    current = current
      .flatMap((item) => blocks(item))
      .map((item) => item[key])
      .filter((item) => item !== undefined && item !== null);
  }
  return current as JsonValue[];
}

/** True for `true` (cdktn renders booleans as booleans) and the string "true". */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** True when a value is set to something non-empty (a non-empty string, a number, an expression...). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * How cdktn names the outputs it adds to a stack whose resource another stack references (read back there through
 * `terraform_remote_state`): `cross-stack-output-<resource><attribute>`.
 */
export const CROSS_STACK_OUTPUT_PREFIX = 'cross-stack-output-';

/**
 * True when `value` references the resource at `address` (e.g. `aws_s3_bucket.logs`), through any of
 * its attributes: `${aws_s3_bucket.logs.id}`, `${aws_s3_bucket.logs.bucket}`, `${aws_s3_bucket.logs}`.
 */
export function references(value: unknown, address: string): boolean {
  if (typeof value !== 'string') return false;
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escapeRegExp(address)}(?![A-Za-z0-9_-])`).test(value) && isExpression(value);
}

/**
 * The name of the `type` resource whose `attribute` (by default any) the whole of `value` is
 * (`${aws_iam_policy.ci.arn}` → `ci`), or undefined for a literal or any other expression.
 */
export function referencedName(value: unknown, type: string, attribute?: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const attributePattern = attribute === undefined ? '[a-z_]+' : escapeRegExp(attribute);
  return new RegExp(`^\\$\\{${escapeRegExp(type)}\\.([A-Za-z0-9_-]+)\\.${attributePattern}\\}$`).exec(value)?.[1];
}

/** The `type` resource of `doc` that `value` references whole (`referencedName`), with its body, if `doc` has it. */
export function referenced(
  doc: TerraformJson,
  type: string,
  value: unknown,
  attribute?: string,
): { name: string; body: JsonObject } | undefined {
  const name = referencedName(value, type, attribute);
  const body = name === undefined ? undefined : doc.resource?.[type]?.[name];
  return name !== undefined && isObject(body) ? { name, body } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Resources

export type ResourceMode = 'managed' | 'data' | 'ephemeral';

export interface ResourceEntry {
  readonly mode: ResourceMode;
  readonly type: string;
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.state`, `data.aws_iam_policy_document.tls`. */
  readonly address: string;
  /** JSON path inside the document: `resource.aws_s3_bucket.state`. */
  readonly path: string;
  readonly body: JsonObject;
}

const MODE_KEY: Record<ResourceMode, 'resource' | 'data' | 'ephemeral'> = { managed: 'resource', data: 'data', ephemeral: 'ephemeral' };

function resourceAddress(mode: ResourceMode, type: string, name: string): string {
  return mode === 'managed' ? `${type}.${name}` : `${MODE_KEY[mode]}.${type}.${name}`;
}

/** Every resource / data source / ephemeral resource of a document, optionally only those of `mode`. */
export function allResources(doc: TerraformJson, mode?: ResourceMode): ResourceEntry[] {
  const modes: ResourceMode[] = mode ? [mode] : ['managed', 'data', 'ephemeral'];
  const out: ResourceEntry[] = [];
  for (const m of modes) {
    const section = doc[MODE_KEY[m]];
    if (!isObject(section)) continue;
    for (const [type, byName] of Object.entries(section)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        // Terraform JSON allows a resource body to be an array of objects; cdktn renders one object.
        for (const item of blocks(body)) {
          out.push({ mode: m, type, name, address: resourceAddress(m, type, name), path: `${MODE_KEY[m]}.${type}.${name}`, body: item });
        }
      }
    }
  }
  return out;
}

/** Managed resources of one type. */
export function resourcesOfType(doc: TerraformJson, type: string, mode: ResourceMode = 'managed'): ResourceEntry[] {
  return allResources(doc, mode).filter((entry) => entry.type === type);
}

/**
 * Resources of `type` whose `attribute` references `target` (an address such as `aws_s3_bucket.x`), e.g.
 * the `aws_s3_bucket_versioning` whose `bucket = "${aws_s3_bucket.x.id}"`. Literal values are matched too
 * when `literal` is given (e.g. the bucket's literal name).
 */
export function findReferencing(doc: TerraformJson, type: string, attribute: string, target: string, literal?: unknown): ResourceEntry[] {
  return resourcesOfType(doc, type).filter((entry) => {
    const value = entry.body[attribute];
    return references(value, target) || (typeof literal === 'string' && literal !== '' && !isExpression(literal) && value === literal);
  });
}

// ---------------------------------------------------------------------------------------------
// IAM policy documents

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  /** `[{ type: 'AWS', identifiers: ['*'] }]`; a bare `"Principal": "*"` becomes `{ type: '*', identifiers: ['*'] }`. */
  readonly principals: { type: string; identifiers: string[] }[];
  readonly notPrincipals: { type: string; identifiers: string[] }[];
  /** `[{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }]` (values as strings). */
  readonly conditions: { test: string; variable: string; values: string[] }[];
}

const strings = (value: unknown): string[] => list(value).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));

function principalsFromJson(value: unknown): { type: string; identifiers: string[] }[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ type: value === '*' ? '*' : 'AWS', identifiers: [value] }];
  if (!isObject(value)) return [];
  return Object.entries(value).map(([type, ids]) => ({ type, identifiers: strings(ids) }));
}

function conditionsFromJson(value: unknown): { test: string; variable: string; values: string[] }[] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([test, byVariable]) =>
    isObject(byVariable)
      ? Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: list(values).map((v) => String(v)) }))
      : [],
  );
}

function statementFromJson(raw: JsonObject): PolicyStatement {
  return {
    ...(typeof raw.Sid === 'string' ? { sid: raw.Sid } : {}),
    effect: raw.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(raw.Action),
    notActions: strings(raw.NotAction),
    resources: strings(raw.Resource),
    notResources: strings(raw.NotResource),
    principals: principalsFromJson(raw.Principal),
    notPrincipals: principalsFromJson(raw.NotPrincipal),
    conditions: conditionsFromJson(raw.Condition),
  };
}

function statementFromDataSource(raw: JsonObject): PolicyStatement {
  const principals = (key: string) => blocks(raw[key]).map((p) => ({ type: String(p.type ?? ''), identifiers: strings(p.identifiers) }));
  return {
    ...(typeof raw.sid === 'string' ? { sid: raw.sid } : {}),
    effect: raw.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(raw.actions),
    notActions: strings(raw.not_actions),
    resources: strings(raw.resources),
    notResources: strings(raw.not_resources),
    principals: principals('principals'),
    notPrincipals: principals('not_principals'),
    conditions: blocks(raw.condition).map((c) => ({
      test: String(c.test ?? ''),
      variable: String(c.variable ?? ''),
      values: list(c.values).map((v) => String(v)),
    })),
  };
}

const POLICY_DOCUMENT_REF = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(json|minified_json)\}$/;

/**
 * Resolves a policy attribute to its statements. Handles a JSON-encoded policy string and a reference to
 * a `data.aws_iam_policy_document` (including its `source_policy_documents` / `override_policy_documents`
 * and `source_json` / `override_json`). Returns undefined when the policy cannot be read statically
 * (e.g. `${jsonencode(...)}` or a reference to something else), so callers can report "cannot verify".
 */
export function resolvePolicyDocument(doc: TerraformJson, value: unknown, seen: Set<string> = new Set()): PolicyStatement[] | undefined {
  if (isObject(value)) return list(value.Statement).filter(isObject).map(statementFromJson);
  if (typeof value !== 'string') return undefined;
  const ref = POLICY_DOCUMENT_REF.exec(value.trim());
  if (ref) {
    const name = ref[1]!;
    if (seen.has(name)) return undefined;
    seen.add(name);
    const body = doc.data?.aws_iam_policy_document?.[name];
    if (!isObject(body)) return undefined;
    const nested: PolicyStatement[] = [];
    for (const key of ['source_policy_documents', 'source_json', 'override_policy_documents', 'override_json']) {
      for (const item of list(body[key])) {
        const statements = resolvePolicyDocument(doc, item, seen);
        if (!statements) return undefined;
        nested.push(...statements);
      }
    }
    return [...nested, ...blocks(body.statement).map(statementFromDataSource)];
  }
  // A JSON policy string may contain `${...}` interpolations (ARNs); it still parses as JSON.
  try {
    const parsed = JSON.parse(value) as unknown;
    return isObject(parsed) ? list(parsed.Statement).filter(isObject).map(statementFromJson) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Locating JSON paths in the text (for line numbers in reports)

/**
 * Maps JSON paths (`resource.aws_s3_bucket.state.versioning`, array items as `[0]`) to 1-based line
 * numbers of their keys. A small scanner rather than JSON.parse, because positions are needed.
 */
export function locateJsonPaths(text: string, maxDepth = 8): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const ws = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
      i++;
    }
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const keyLine = line;
        const key = str();
        const child = path ? `${path}.${key}` : key;
        if (depth < maxDepth && !lines.has(child)) lines.set(child, keyLine);
        ws();
        i++; // ':'
        value(child, depth + 1);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        ws();
        const child = `${path}[${index}]`;
        if (depth < maxDepth && !lines.has(child)) lines.set(child, line);
        value(child, depth + 1);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !',}]'.includes(text[i]!) && !/\s/.test(text[i]!)) i++;
    }
  };
  try {
    value('', 0);
  } catch {
    // A malformed file only loses line numbers; JSON.parse reports the real error elsewhere.
  }
  return lines;
}

/** The line of the longest prefix of `path` found in `located` (undefined when none is). */
export function lineOf(located: Map<string, number>, path: string): number | undefined {
  let current = path;
  for (;;) {
    const found = located.get(current);
    if (found !== undefined) return found;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    if (cut <= 0) return undefined;
    current = current.slice(0, cut);
  }
}
