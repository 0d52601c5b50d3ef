import { Construct } from 'constructs';
import { CLOUDFLARE_PLAN_FEATURES, type CloudflarePlan } from '../../config/schema/cloudflare';
import { CloudflareCloudConnectorRules } from '../cloudflare/cloud-connector-rules';
import { CloudflareRuleset } from '../cloudflare/ruleset';

export interface MediaOriginRouteProps {
  readonly zoneId: string;
  readonly plan: CloudflarePlan;
  /** The proxied media host, e.g. "media.example-usercontent.com". */
  readonly host: string;
  /** The bucket's regional endpoint, `<bucket>.s3.<region>.amazonaws.com`. */
  readonly bucketHost: string;
}

/**
 * Makes Cloudflare ask S3 for the media bucket: S3 picks the bucket by the Host header and presents
 * `*.s3.<region>.amazonaws.com`, so both Host and SNI must be the bucket's endpoint for SSL Full (strict).
 * On Enterprise an Origin Rule (`http_request_origin`) overrides the Host header, and SNI follows it; an
 * explicit SNI override would have to name a host on our own Cloudflare account, which the bucket's is not
 * (https://developers.cloudflare.com/rules/origin-rules/features/). Host header overrides are Enterprise-only,
 * so on the other plans a Cloud Connector rule does the same for S3.
 */
export class MediaOriginRoute extends Construct {
  constructor(scope: Construct, id: string, props: MediaOriginRouteProps) {
    super(scope, id);
    const expression = `http.host eq "${props.host}"`;
    const description = `${props.host}: the media bucket by its own Host and SNI`;
    if (CLOUDFLARE_PLAN_FEATURES[props.plan].originHostOverride) {
      new CloudflareRuleset(this, 'origin-rules', {
        zoneId: props.zoneId,
        name: 'origin rules',
        description: 'Origin Rules of the zone',
        phase: 'http_request_origin',
        rules: [{ ref: 'media_bucket_host', description, expression, action: 'route', hostHeader: props.bucketHost }],
      });
    } else {
      new CloudflareCloudConnectorRules(this, 'cloud-connector', {
        zoneId: props.zoneId,
        rules: [{ description, expression, bucketHost: props.bucketHost }],
      });
    }
  }
}
