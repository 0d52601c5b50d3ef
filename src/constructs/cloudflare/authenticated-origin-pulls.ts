import { TerraformResource, Token, type ITerraformDependable } from 'cdktn';
import type { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

export interface CloudflareAuthenticatedOriginPullsConfig {
  readonly zoneId: string;
  /** The proxied host name whose origin connections present the certificate. */
  readonly hostname: string;
  /** Id Cloudflare gave the uploaded hostname client certificate (`origin_tls_client_auth/hostnames/certificates`). */
  readonly certificateId: string;
  /**
   * PEM of that certificate, when known: the resource then fails after apply or refresh if the certificate
   * Cloudflare associates with the host is another one (a wrong or stale `certificateId`).
   * @default - not checked
   */
  readonly expectedCertificatePem?: string;
  /**
   * Resources to create or update first.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Per-hostname Authenticated Origin Pulls (`cloudflare_authenticated_origin_pulls`, provider v5): Cloudflare
 * presents our own uploaded client certificate when it connects to the origin for this host. The provider
 * manages one hostname per resource ("config must contain exactly one hostname association") and never stores
 * the certificate's private key, which the API does not return; the key is uploaded outside Terraform
 * (scripts/origin-pull-certificate.sh).
 * https://registry.terraform.io/providers/cloudflare/cloudflare/5.22.0/docs/resources/authenticated_origin_pulls
 */
export class CloudflareAuthenticatedOriginPulls extends TerraformResource {
  static readonly tfResourceType = 'cloudflare_authenticated_origin_pulls';
  readonly config: CloudflareAuthenticatedOriginPullsConfig;

  constructor(scope: Construct, id: string, config: CloudflareAuthenticatedOriginPullsConfig) {
    super(scope, id, {
      terraformResourceType: CloudflareAuthenticatedOriginPulls.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
      dependsOn: config.dependsOn,
    });
    const where = `CloudflareAuthenticatedOriginPulls ${config.hostname}`;
    // Cloudflare's certificate ids are UUIDs (maxLength 36 in the API).
    if (!Token.isUnresolved(config.certificateId) && !/^[0-9a-f-]{32,36}$/i.test(config.certificateId)) {
      invalidProp(where, 'certificateId', 'the id Cloudflare returned for the uploaded certificate (a UUID)', config.certificateId);
    }
    this.config = config;
    if (config.expectedCertificatePem !== undefined) {
      // Compare the base64 bodies: the API may return other line breaks than the uploaded PEM has.
      const body = pemBody(config.expectedCertificatePem);
      this.addOverride('lifecycle.postcondition', [
        {
          condition: `\${replace(self.certificate, "/-----[A-Z ]+-----|[[:space:]]/", "") == "${body}"}`,
          error_message:
            `Cloudflare associates ${config.hostname} with another certificate than edge.originPull.certificate; ` +
            "set edge.originPull.certificateId to the id of that certificate's upload",
        },
      ]);
    }
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const { zoneId, hostname, certificateId } = this.config;
    return { zone_id: zoneId, config: [{ hostname, cert_id: certificateId, enabled: true }] };
  }
}

function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----|\s/g, '');
}
