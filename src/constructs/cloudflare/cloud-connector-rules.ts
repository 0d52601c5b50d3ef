import { TerraformResource, Token } from 'cdktn';
import type { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

/** Regional S3 endpoint host names Cloud Connector accepts (`*s3.<region>.amazonaws.com`), bucket label first. */
const S3_REGIONAL_HOST = /^[a-z0-9-]+\.s3\.[a-z0-9-]+\.amazonaws\.com$/;

export interface CloudConnectorS3Rule {
  readonly description: string;
  /** Rules language expression selecting the requests routed to the bucket. */
  readonly expression: string;
  /**
   * The bucket's regional endpoint, `<bucket>.s3.<region>.amazonaws.com`. Cloudflare sends it as the Host
   * header, and under SSL Full (strict) connects with TLS to it, which needs a bucket name without dots.
   */
  readonly bucketHost: string;
}

export interface CloudflareCloudConnectorRulesConfig {
  readonly zoneId: string;
  readonly rules: readonly CloudConnectorS3Rule[];
}

/**
 * The zone's `cloudflare_cloud_connector_rules` (provider v5): the zone's whole Cloud Connector rule list,
 * here only AWS S3 rules. Cloud Connector rewrites the Host header to the bucket endpoint on every plan, where
 * an Origin Rule may override the Host header on Enterprise only
 * (https://developers.cloudflare.com/rules/cloud-connector/providers/,
 * https://registry.terraform.io/providers/cloudflare/cloudflare/5.22.0/docs/resources/cloud_connector_rules).
 */
export class CloudflareCloudConnectorRules extends TerraformResource {
  static readonly tfResourceType = 'cloudflare_cloud_connector_rules';
  readonly config: CloudflareCloudConnectorRulesConfig;

  constructor(scope: Construct, id: string, config: CloudflareCloudConnectorRulesConfig) {
    super(scope, id, {
      terraformResourceType: CloudflareCloudConnectorRules.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
    });
    if (config.rules.length === 0) invalidProp('CloudflareCloudConnectorRules', 'rules', 'at least one rule', config.rules);
    for (const rule of config.rules) {
      if (!Token.isUnresolved(rule.bucketHost) && !S3_REGIONAL_HOST.test(rule.bucketHost)) {
        invalidProp(
          'CloudflareCloudConnectorRules',
          'rules[].bucketHost',
          'a regional S3 endpoint "<bucket without dots>.s3.<region>.amazonaws.com"',
          rule.bucketHost,
        );
      }
    }
    this.config = config;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      zone_id: this.config.zoneId,
      rules: this.config.rules.map((rule) => ({
        description: rule.description,
        enabled: true,
        expression: rule.expression,
        provider: 'aws_s3',
        parameters: { host: rule.bucketHost },
      })),
    };
  }
}
