import { TerraformProvider } from 'cdktn';
import type { Construct } from 'constructs';

/**
 * Provider source and the exact version every Cloudflare binding here is written against. Pinned, not a
 * range: a plan must run the provider the lock file holds (docs/delivery.md, "Providers"). 5.27.0 is the
 * v5 release of 2026-10-03 (github.com/cloudflare/terraform-provider-cloudflare/releases/tag/v5.27.0).
 */
export const CLOUDFLARE_PROVIDER_SOURCE = 'cloudflare/cloudflare';
export const CLOUDFLARE_PROVIDER_VERSION = '5.27.0';

/** Generator metadata shared by the bindings, so required_providers names the same version. */
export const CLOUDFLARE_GENERATOR_METADATA = { providerName: 'cloudflare', providerVersionConstraint: CLOUDFLARE_PROVIDER_VERSION } as const;

/**
 * The Cloudflare provider (v5). It deliberately takes no arguments: the provider reads the API token
 * from the `CLOUDFLARE_API_TOKEN` environment variable, so no token can end up in config, in the
 * synthesized JSON or in a plan file.
 */
export class CloudflareProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: 'cloudflare',
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
      terraformProviderSource: CLOUDFLARE_PROVIDER_SOURCE,
    });
  }
}
