import { TerraformDataSource } from 'cdktn';
import type { Construct } from 'constructs';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

export interface DataCloudflareZoneConfig {
  /** Exact name of the zone, e.g. "example.com" (v5 `filter.name`, default operator `equal`). */
  readonly name: string;
}

/**
 * The `cloudflare_zone` data source (provider v5), looked up by name with the v5 `filter` nested
 * attribute (v4's top-level `name` argument no longer exists), in any account the token can read.
 * Only an active zone matches: a pending zone does not serve records yet, so planning against it is a mistake.
 */
export class DataCloudflareZone extends TerraformDataSource {
  static readonly tfResourceType = 'cloudflare_zone';
  private readonly config: DataCloudflareZoneConfig;

  constructor(scope: Construct, id: string, config: DataCloudflareZoneConfig) {
    super(scope, id, {
      terraformResourceType: DataCloudflareZone.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
    });
    this.config = config;
  }

  /** The zone identifier, the `zone_id` of every record in the zone. */
  get zoneId(): string {
    return this.getStringAttribute('id');
  }

  get name(): string {
    return this.getStringAttribute('name');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { filter: { name: this.config.name, status: 'active' } };
  }
}
