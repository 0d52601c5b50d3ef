import { TerraformDataSource } from 'cdktn';
import type { Construct } from 'constructs';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

export interface DataCloudflareZoneConfig {
  /** Exact name of the zone, e.g. "example.com" (v5 `filter.name`, default operator `equal`). */
  readonly name: string;
  /**
   * Only match a zone in this state.
   * @default 'active' - a pending zone does not serve records yet, so planning against it is a mistake
   */
  readonly status?: 'initializing' | 'pending' | 'active' | 'moved';
  /**
   * Account that owns the zone, when the token sees more than one account with that zone name.
   * @default - any account the token can read
   */
  readonly accountId?: string;
}

/**
 * The `cloudflare_zone` data source (provider v5), looked up by name with the v5 `filter` nested
 * attribute (v4's top-level `name` argument no longer exists).
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
    const { name, status = 'active', accountId } = this.config;
    return { filter: { name, status, ...(accountId ? { account: { id: accountId } } : {}) } };
  }
}
