// Compares what the synthesized stacks actually publish with the outputs contract: every entry is a
// Terraform output of its layer in every environment, mirrored by an SSM parameter, and nothing else
// is published as an output.
import { parameterPath } from '../naming';
import type { SchemaBlock, SchemaSet } from '../checks/schema/provider-schema';
import { CROSS_STACK_OUTPUT_PREFIX, isExpression, isObject, type StackDocument } from '../checks/terraform-json';
import { LAYERS } from '../layers';
import type { ContractEntry, ContractType } from './catalog';

export interface ContractProblem {
  readonly stack: string;
  readonly output?: string;
  readonly message: string;
}

export interface SynthesizedCheckInput {
  readonly stacks: readonly StackDocument[];
  readonly catalog: readonly ContractEntry[];
  readonly project: string;
  readonly environments: readonly string[];
  /** Provider schemas: when given, an output that is a single attribute reference is type-checked. */
  readonly schemas?: SchemaSet;
}

/** Every difference between the synthesized stacks and the catalog, in stack order. */
export function checkSynthesized(input: SynthesizedCheckInput): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const byName = new Map(input.stacks.map((s) => [s.name, s]));
  const catalog = new Map(input.catalog.map((e) => [e.name, e]));
  for (const environment of input.environments) {
    for (const layer of LAYERS) {
      const name = `${environment}-${layer}`;
      const stack = byName.get(name);
      if (!stack) {
        problems.push({ stack: name, message: 'stack not synthesized; run npm run synth first' });
        continue;
      }
      const outputs = outputsOf(stack);
      for (const output of Object.keys(outputs)) {
        const entry = catalog.get(output);
        if (!entry) {
          problems.push({
            stack: name,
            output,
            message:
              `output "${output}" is not in the contract: ` +
              'publish only catalog entries (add it to src/contract/catalog.ts with this.publish) or remove it',
          });
        } else if (entry.layer !== layer) {
          problems.push({
            stack: name,
            output,
            message: `output "${output}" belongs to the ${entry.layer} layer (src/contract/catalog.ts), not ${layer}`,
          });
        }
      }
      for (const entry of input.catalog.filter((e) => e.layer === layer)) {
        const at = (message: string) => problems.push({ stack: name, output: entry.name, message });
        const output = outputs[entry.name];
        if (!isObject(output)) {
          at(`missing: the ${layer} layer does not publish "${entry.name}" (call this.publish('${entry.name}', value) in its stack)`);
          continue;
        }
        for (const message of outputProblems(entry, output, stack, input.schemas)) at(message);
        for (const message of parameterProblems(entry, output.value, stack, parameterPath(input.project, environment, entry.name)))
          at(message);
      }
    }
  }
  return problems;
}

function outputsOf(stack: StackDocument): Record<string, unknown> {
  const outputs = stack.doc.output;
  if (!isObject(outputs)) return {};
  // cdktn's cross-stack outputs are plumbing between layers, always sensitive and named after construct hashes: not
  // something a consumer may rely on, so outside the contract.
  return Object.fromEntries(Object.entries(outputs).filter(([name]) => !name.startsWith(CROSS_STACK_OUTPUT_PREFIX)));
}

function outputProblems(entry: ContractEntry, output: Record<string, unknown>, stack: StackDocument, schemas?: SchemaSet): string[] {
  const problems: string[] = [];
  if (output.description !== entry.description) {
    problems.push(`description ${JSON.stringify(output.description)} differs from the catalog's ${JSON.stringify(entry.description)}`);
  }
  const sensitive = output.sensitive === true || output.sensitive === 'true';
  if (sensitive !== entry.sensitive) problems.push(`sensitive is ${sensitive}, the catalog says ${entry.sensitive}`);
  const inferred = inferType(output.value, stack, schemas);
  if (inferred && inferred !== entry.type) problems.push(`value has type ${inferred}, the catalog says ${entry.type}`);
  if (!entry.sensitive && schemas) {
    const secret = references(output.value).find((ref) => resolveReference(ref, stack, schemas)?.sensitive);
    if (secret)
      problems.push(
        `references the sensitive attribute ${secret}: Terraform rejects it in a non-sensitive output; publish an ARN instead of the value`,
      );
  }
  return problems;
}

function parameterProblems(entry: ContractEntry, value: unknown, stack: StackDocument, path: string): string[] {
  const resources = stack.doc.resource?.aws_ssm_parameter;
  const matches = isObject(resources) ? Object.values(resources).filter((p) => isObject(p) && p.name === path) : [];
  if (matches.length !== 1) return [`expected one aws_ssm_parameter named ${path}, found ${matches.length}`];
  const parameter = matches[0] as Record<string, unknown>;
  const problems: string[] = [];
  const type = entry.sensitive ? 'SecureString' : 'String';
  if (parameter.type !== type) problems.push(`SSM parameter ${path} has type ${String(parameter.type)}, expected ${type}`);
  if ('insecure_value' in parameter || 'overwrite' in parameter)
    problems.push(`SSM parameter ${path} must set value only (no insecure_value, no deprecated overwrite)`);
  const published = typeof parameter.value === 'string' ? parameter.value : '';
  const [want, have] = [references(value).sort(), references(published).sort()];
  if (want.join('\n') !== have.join('\n')) {
    problems.push(`SSM parameter ${path} references ${have.join(', ') || 'nothing'}, the output ${want.join(', ') || 'nothing'}`);
  }
  for (const literal of literals(value)) {
    const found =
      typeof value === 'string' || typeof value === 'number' ? published === String(literal) : published.includes(JSON.stringify(literal));
    if (!found) problems.push(`SSM parameter ${path} does not carry the output's value ${JSON.stringify(literal)}`);
  }
  return problems;
}

/** `${aws_db_instance.x.port}` → `aws_db_instance.x.port`; every resource or data reference inside expressions. */
function references(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  const found = new Set<string>();
  for (const expression of expressions(text)) {
    for (const ref of expression.match(/(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_]+|\[\d+\])*/g) ?? [])
      found.add(ref);
  }
  return [...found];
}

/** The contents of every top-level `${…}` in a string, with nested braces (`${jsonencode({…})}`) kept whole. */
function expressions(text: string): string[] {
  const found: string[] = [];
  for (let start = text.indexOf('${'); start >= 0; start = text.indexOf('${', start + 1)) {
    let depth = 0;
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        found.push(text.slice(start + 2, i));
        start = i;
        break;
      }
    }
  }
  return found;
}

/** The literal leaves of a value (strings without expressions, numbers). */
function literals(value: unknown): (string | number)[] {
  if (typeof value === 'number') return [value];
  if (typeof value === 'string') return isExpression(value) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(literals);
  if (isObject(value)) return Object.values(value).flatMap(literals);
  return [];
}

/**
 * The contract type a value has, from its shape (list, map, literal) or, for a single attribute
 * reference, from the provider schema. Undefined when it cannot be told (e.g. a function call).
 */
function inferType(value: unknown, stack?: StackDocument, schemas?: SchemaSet): ContractType | 'bool' | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'list(string)' : undefined;
  if (isObject(value)) return Object.values(value).every((v) => typeof v === 'string') ? 'map(string)' : undefined;
  if (typeof value !== 'string') return undefined;
  if (!isExpression(value)) return 'string';
  const all = expressions(value);
  const single = all.length === 1 && value === `\${${all[0]}}` ? all[0]!.trim() : undefined;
  if (!single || !stack || !schemas || references(value)[0] !== single) return undefined;
  return contractTypeOf(resolveReference(single, stack, schemas)?.type);
}

function contractTypeOf(type: unknown): ContractType | 'bool' | undefined {
  if (type === 'string' || type === 'number' || type === 'bool') return type;
  if (Array.isArray(type) && type[1] === 'string') {
    if (type[0] === 'list' || type[0] === 'set') return 'list(string)';
    if (type[0] === 'map') return 'map(string)';
  }
  return undefined;
}

type Walk = { block: SchemaBlock; many: boolean } | { type: unknown; sensitive: boolean };

/** Resolves `aws_x.name.attr[0].field` against the provider schema: the attribute's cty type and sensitivity. */
function resolveReference(ref: string, stack: StackDocument, schemas: SchemaSet): { type: unknown; sensitive: boolean } | undefined {
  const match = /^(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.[A-Za-z0-9_-]+((?:\.[A-Za-z0-9_]+|\[\d+\])*)$/.exec(ref);
  if (!match) return undefined;
  const [, data, type, rest] = match;
  const provider = schemas.providerFor(stack.doc, type!);
  const schema = (data ? provider?.schema.data_source_schemas : provider?.schema.resource_schemas)?.[type!];
  if (!schema) return undefined;
  let at: Walk = { block: schema.block, many: false };
  for (const step of rest!.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    const next = walk(at, step);
    if (!next) return undefined;
    at = next;
  }
  return 'type' in at ? at : undefined;
}

function walk(at: Walk, step: string): Walk | undefined {
  const index = step.startsWith('[');
  const key = step.slice(1).replace(/\]$/, '');
  if ('block' in at) {
    if (index) return at.many ? { block: at.block, many: false } : undefined;
    if (at.many) return undefined;
    const attribute = at.block.attributes?.[key];
    if (attribute) return { type: attribute.type, sensitive: attribute.sensitive === true };
    const nested = at.block.block_types?.[key];
    return nested ? { block: nested.block, many: nested.nesting_mode === 'list' || nested.nesting_mode === 'set' } : undefined;
  }
  const type = at.type;
  if (!Array.isArray(type)) return undefined;
  if (index && (type[0] === 'list' || type[0] === 'set')) return { type: type[1], sensitive: at.sensitive };
  if (!index && type[0] === 'object' && isObject(type[1]) && key in type[1])
    return { type: (type[1] as Record<string, unknown>)[key], sensitive: at.sensitive };
  if (!index && type[0] === 'map') return { type: type[1], sensitive: at.sensitive };
  return undefined;
}
