// Cuts a full provider schema (tens of MB with descriptions) down to the types the synthesized output
// uses (AWS) or a declared list (the generated Kubernetes bindings), so the repository can commit it and
// the check needs nothing outside the repository.
import { allResources, type StackDocument } from '../terraform-json';
import {
  normalizeProviderAddress,
  SchemaSet,
  type ProviderSchema,
  type ProviderSchemasFile,
  type SchemaAttribute,
  type SchemaBlock,
  type SchemaEntry,
  type SchemaKind,
} from './provider-schema';

const KIND_OF_MODE = {
  managed: 'resource_schemas',
  data: 'data_source_schemas',
  ephemeral: 'ephemeral_resource_schemas',
} as const satisfies Record<string, SchemaKind>;

export interface SubsetResult {
  readonly subset: ProviderSchemasFile;
  /** Types the output uses or the selection names that the full schema does not have (`resource_schemas.aws_foo`). */
  readonly missing: string[];
  readonly counts: Record<SchemaKind, number>;
}

/** Resource, data source and ephemeral types to keep, by normalized provider address. */
export type TypeSelection = ReadonlyMap<string, ReadonlyMap<SchemaKind, ReadonlySet<string>>>;

/**
 * Keeps, for every provider of `full`, only the resource/data/ephemeral types used by `stacks`, and the
 * provider block schema. Descriptions are dropped (they are most of the size and the check never reads
 * them); everything else keeps the `terraform providers schema -json` format.
 */
export function buildSubset(full: ProviderSchemasFile, stacks: readonly StackDocument[]): SubsetResult {
  const schemas = new SchemaSet().add(full, 'full schema');
  const used = new Map<string, Map<SchemaKind, Set<string>>>();
  const missing = new Set<string>();
  for (const stack of stacks) {
    for (const entry of allResources(stack.doc)) {
      const provider = schemas.providerFor(stack.doc, entry.type, entry.body.provider);
      if (!provider) continue;
      const kind = KIND_OF_MODE[entry.mode];
      if (!provider.schema[kind]?.[entry.type]) {
        missing.add(`${kind}.${entry.type}`);
        continue;
      }
      const byKind = used.get(provider.address) ?? new Map<SchemaKind, Set<string>>();
      used.set(provider.address, byKind);
      const types = byKind.get(kind) ?? new Set<string>();
      byKind.set(kind, types);
      types.add(entry.type);
    }
  }
  return { ...selectTypes(full, used), missing: [...missing].sort() };
}

/**
 * Keeps, for every provider of `full`, its provider block schema and the types `selection` names for it,
 * without descriptions, in the `terraform providers schema -json` format. Selected types that `full`
 * lacks are listed in `missing` (`resource_schemas.kubernetes_foo`).
 */
export function selectTypes(full: ProviderSchemasFile, selection: TypeSelection): SubsetResult {
  const counts: Record<SchemaKind, number> = { resource_schemas: 0, data_source_schemas: 0, ephemeral_resource_schemas: 0 };
  const missing: string[] = [];
  const providerSchemas: Record<string, ProviderSchema> = {};
  for (const [originalAddress, schema] of Object.entries(full.provider_schemas).sort(([a], [b]) => a.localeCompare(b))) {
    const byKind = selection.get(normalizeProviderAddress(originalAddress));
    const out: Record<string, unknown> = {};
    if (schema.provider) out.provider = stripEntry(schema.provider);
    for (const kind of Object.values(KIND_OF_MODE)) {
      const names = [...(byKind?.get(kind) ?? [])].sort();
      const present = names.filter((name) => schema[kind]?.[name]);
      missing.push(...names.filter((name) => !schema[kind]?.[name]).map((name) => `${kind}.${name}`));
      counts[kind] += present.length;
      out[kind] = Object.fromEntries(present.map((name) => [name, stripEntry(schema[kind]![name]!)]));
    }
    providerSchemas[originalAddress] = out as ProviderSchema;
  }
  return { subset: { format_version: full.format_version, provider_schemas: providerSchemas }, missing: missing.sort(), counts };
}

const DOCUMENTATION = new Set(['description', 'description_kind']);

function withoutDocumentation<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !DOCUMENTATION.has(key))) as T;
}

/** Drops documentation by walking the schema structure: attribute types may have a "description" field. */
function stripEntry(entry: SchemaEntry): SchemaEntry {
  return { ...withoutDocumentation(entry), block: stripBlock(entry.block) };
}

function stripBlock(block: SchemaBlock): SchemaBlock {
  return {
    ...withoutDocumentation(block),
    ...(block.attributes ? { attributes: mapValues(block.attributes, stripAttribute) } : {}),
    ...(block.block_types ? { block_types: mapValues(block.block_types, (type) => ({ ...type, block: stripBlock(type.block) })) } : {}),
  };
}

function stripAttribute(attribute: SchemaAttribute): SchemaAttribute {
  const stripped = withoutDocumentation(attribute);
  return attribute.nested_type
    ? { ...stripped, nested_type: { ...attribute.nested_type, attributes: mapValues(attribute.nested_type.attributes, stripAttribute) } }
    : stripped;
}

function mapValues<T>(record: Record<string, T>, map: (value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
