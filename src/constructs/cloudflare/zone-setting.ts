import { TerraformResource } from 'cdktn';
import type { Construct } from 'constructs';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

/** HTTP Strict Transport Security as Cloudflare sends it; the `security_header` setting's value. */
export interface StrictTransportSecurity {
  readonly enabled: boolean;
  /** Seconds browsers remember to use HTTPS only. */
  readonly max_age: number;
  readonly include_subdomains: boolean;
  /** Ask to be listed in browsers' preload lists: hard to undo, so a decision for the domain's owner. */
  readonly preload: boolean;
  /** Also send `X-Content-Type-Options: nosniff`. */
  readonly nosniff: boolean;
}

/**
 * The settings this platform manages and the values each accepts, from the setting table of
 * https://registry.terraform.io/providers/cloudflare/cloudflare/5.22.0/docs/resources/zone_setting
 * (`value` is dynamic in the provider schema, so the types here are what keeps a value valid).
 */
export interface ZoneSettingValues {
  readonly ssl: 'off' | 'flexible' | 'full' | 'strict';
  readonly always_use_https: 'on' | 'off';
  readonly automatic_https_rewrites: 'on' | 'off';
  readonly min_tls_version: '1.0' | '1.1' | '1.2' | '1.3';
  /** `zrt` adds 0-RTT resumption, whose early data can be replayed. */
  readonly tls_1_3: 'on' | 'off' | 'zrt';
  readonly security_header: { readonly strict_transport_security: StrictTransportSecurity };
}
export type ZoneSettingId = keyof ZoneSettingValues;

export interface CloudflareZoneSettingConfig<K extends ZoneSettingId> {
  readonly zoneId: string;
  readonly settingId: K;
  readonly value: ZoneSettingValues[K];
}

/** A `cloudflare_zone_setting` (provider v5): one zone setting pinned to a value. */
export class CloudflareZoneSetting<K extends ZoneSettingId = ZoneSettingId> extends TerraformResource {
  static readonly tfResourceType = 'cloudflare_zone_setting';
  readonly config: CloudflareZoneSettingConfig<K>;

  constructor(scope: Construct, id: string, config: CloudflareZoneSettingConfig<K>) {
    super(scope, id, {
      terraformResourceType: CloudflareZoneSetting.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
    });
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const { zoneId, settingId, value } = this.config;
    return { zone_id: zoneId, setting_id: settingId, value };
  }
}
