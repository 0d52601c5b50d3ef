// Provider schemas in the format printed by `terraform providers schema -json`, and the dispatch of a
// resource type to the provider whose schema describes it.
import { readFileSync } from 'node:fs';
import { isObject, type TerraformJson } from '../terraform-json';

/** A cty type as serialized by Terraform: "string", ["list","string"], ["object",{...},["optional"]]... */
export type CtyType = string | [string, ...unknown[]];

export interface SchemaAttribute {
  readonly type?: CtyType;
  /** Plugin-framework nested attributes (Cloudflare v5 uses these); AWS uses blocks instead. */
  readonly nested_type?: { readonly attributes: Record<string, SchemaAttribute>; readonly nesting_mode: 'single' | 'list' | 'set' | 'map' };
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly write_only?: boolean;
  readonly deprecated?: boolean;
  readonly sensitive?: boolean;
  readonly description?: string;
  readonly description_kind?: string;
}

export interface SchemaBlockType {
  readonly nesting_mode: 'single' | 'group' | 'list' | 'set' | 'map';
  readonly min_items?: number;
  readonly max_items?: number;
  readonly block: SchemaBlock;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, SchemaBlockType>;
  readonly description?: string;
  readonly description_kind?: string;
  readonly deprecated?: boolean;
}

export interface SchemaEntry {
  readonly version?: number;
  readonly block: SchemaBlock;
}

export interface ProviderSchema {
  readonly provider?: SchemaEntry;
  readonly resource_schemas?: Record<string, SchemaEntry>;
  readonly data_source_schemas?: Record<string, SchemaEntry>;
  readonly ephemeral_resource_schemas?: Record<string, SchemaEntry>;
}

export interface ProviderSchemasFile {
  readonly format_version: string;
  readonly provider_schemas: Record<string, ProviderSchema>;
}

export interface LoadedProvider {
  /** Full provider address, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  readonly schema: ProviderSchema;
  /** The file it came from, quoted in messages about unknown types. */
  readonly origin: string;
}

/**
 * All loaded provider schemas, by full provider address. A later file wins for the same provider, except
 * that a file without the provider block keeps the earlier file's: the full Kubernetes schema in
 * ../shared has none, and the committed subset carries one written from the provider's docs.
 */
export class SchemaSet {
  readonly providers = new Map<string, LoadedProvider>();

  static fromFiles(files: readonly string[]): SchemaSet {
    const set = new SchemaSet();
    for (const file of files) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new Error(`cannot read provider schema ${file}: ${(error as Error).message}`);
      }
      set.add(parsed, file);
    }
    return set;
  }

  add(parsed: unknown, origin: string): this {
    if (!isObject(parsed) || !isObject(parsed.provider_schemas) || typeof parsed.format_version !== 'string') {
      throw new Error(
        `${origin}: not a provider schema file (expected format_version and provider_schemas, ` +
          'as printed by `terraform providers schema -json`)',
      );
    }
    for (const [rawAddress, rawSchema] of Object.entries(parsed.provider_schemas)) {
      const address = normalizeProviderAddress(rawAddress);
      const schema = rawSchema as ProviderSchema;
      const earlierBlock = this.providers.get(address)?.schema.provider;
      const merged = schema.provider || !earlierBlock ? schema : { ...schema, provider: earlierBlock };
      this.providers.set(address, { address, schema: merged, origin });
    }
    return this;
  }

  /**
   * The provider that owns a resource: from its `provider` meta-argument or the type prefix, mapped
   * through `terraform.required_providers` to a source address. Undefined when no schema was loaded for
   * it (such resources are not validated).
   */
  providerFor(doc: TerraformJson, type: string, providerMeta?: unknown): LoadedProvider | undefined {
    const localName = typeof providerMeta === 'string' && providerMeta !== '' ? providerMeta.split('.')[0]! : type.split('_')[0]!;
    const required = doc.terraform?.required_providers?.[localName];
    const source =
      typeof required === 'string' ? undefined : isObject(required) && typeof required.source === 'string' ? required.source : undefined;
    const address = normalizeProviderAddress(source ?? `hashicorp/${localName}`);
    const exact = this.providers.get(address);
    if (exact) return exact;
    if (source) return undefined;
    // No required_providers entry: fall back to any loaded provider with that local name.
    return [...this.providers.values()].find((p) => p.address.endsWith(`/${localName}`));
  }
}

/** `hashicorp/aws` → `registry.terraform.io/hashicorp/aws` (lower-cased, as Terraform compares them). */
export function normalizeProviderAddress(source: string): string {
  const parts = source.toLowerCase().split('/');
  return parts.length === 2 ? `registry.terraform.io/${parts.join('/')}` : parts.join('/');
}

export type SchemaKind = 'resource_schemas' | 'data_source_schemas' | 'ephemeral_resource_schemas';
