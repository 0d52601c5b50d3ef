import { TerraformProvider } from 'cdktn';
import type { Construct } from 'constructs';

/** Provider source every Cloudflare binding here is written against. */
const CLOUDFLARE_PROVIDER_SOURCE = 'cloudflare/cloudflare';
/**
 * Pinned exactly: the bindings and `schemas/cloudflare-provider-v5.json` are written from this release's
 * resource schemas and docs (https://registry.terraform.io/providers/cloudflare/cloudflare/5.22.0/docs), and
 * v5 minor releases have changed nested attributes. Pinned, not a range: a plan must run the provider the lock file
 * holds (docs/delivery.md, "Providers"). Upgrade by re-checking every binding against the new docs.
 */
export const CLOUDFLARE_PROVIDER_VERSION = '5.22.0';

/** Generator metadata shared by the bindings, so required_providers names the same version. */
export const CLOUDFLARE_GENERATOR_METADATA = {
  providerName: 'cloudflare',
  providerVersionConstraint: CLOUDFLARE_PROVIDER_VERSION,
} as const;

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
