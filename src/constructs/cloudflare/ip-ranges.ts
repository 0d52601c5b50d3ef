import { TerraformDataSource } from 'cdktn';
import type { Construct } from 'constructs';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

/**
 * The `cloudflare_ip_ranges` data source (provider v5): the ranges Cloudflare's edge connects to
 * origins from, read from the public `/ips` endpoint at plan time.
 */
export class DataCloudflareIpRanges extends TerraformDataSource {
  static readonly tfResourceType = 'cloudflare_ip_ranges';

  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: DataCloudflareIpRanges.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
    });
  }

  /** IPv4 CIDRs (a token list: known at plan time, not at synth time). */
  get ipv4Cidrs(): string[] {
    return this.getListAttribute('ipv4_cidrs');
  }

  /** IPv6 CIDRs (a token list). */
  get ipv6Cidrs(): string[] {
    return this.getListAttribute('ipv6_cidrs');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}
