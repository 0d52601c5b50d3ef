import { LbTrustStore } from '@cdktn/provider-aws/lib/lb-trust-store';
import { S3Object } from '@cdktn/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { SecureBucket } from '../storage/secure-bucket';

/** Trust store names: 1–32 letters, digits and single hyphens (AWS::ElasticLoadBalancingV2::TrustStore Name). */
const TRUST_STORE_NAME = /^(?=.{1,32}$)([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$/;
const BUNDLE_KEY = 'ca-bundle.pem';

export interface OriginPullTrustStoreProps {
  /** Trust store name, from Naming. */
  readonly name: string;
  /** Bucket the load balancer reads the CA bundle from, from Naming. */
  readonly bucketName: string;
  readonly accessLogging: { readonly targetBucket: string; readonly targetPrefix: string };
  /** PEM of every trusted CA certificate: public certificates only, never a key. */
  readonly caBundlePem: string;
}

/**
 * The trust store a load balancer's mutual TLS verifies client certificates against, and the bucket its CA
 * bundle is imported from. The bundle holds only public certificates, so the bucket uses SSE-S3 (suppressed
 * S3_001, see policy/suppressions.json); the trust store pins the object version, so a changed bundle is
 * re-imported (ModifyTrustStore) on the apply that uploads it.
 */
export class OriginPullTrustStore extends Construct {
  readonly bucket: SecureBucket;
  readonly trustStore: LbTrustStore;

  constructor(scope: Construct, id: string, props: OriginPullTrustStoreProps) {
    super(scope, id);
    const where = `OriginPullTrustStore ${props.name}`;
    if (!TRUST_STORE_NAME.test(props.name)) invalidProp(where, 'name', 'at most 32 letters, digits and single hyphens', props.name);
    if (!props.caBundlePem.includes('-----BEGIN CERTIFICATE-----') || /PRIVATE KEY/.test(props.caBundlePem)) {
      invalidProp(where, 'caBundlePem', 'PEM certificates and no private key', '(PEM text)');
    }
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      encryption: 'sse-s3',
      accessLogging: props.accessLogging,
    });
    const bundle = new S3Object(this, 'ca-bundle', {
      bucket: this.bucket.bucket.id,
      key: BUNDLE_KEY,
      content: props.caBundlePem,
      contentType: 'application/x-pem-file',
    });
    this.trustStore = new LbTrustStore(this, 'trust-store', {
      name: props.name,
      caCertificatesBundleS3Bucket: this.bucket.name,
      caCertificatesBundleS3Key: bundle.key,
      caCertificatesBundleS3ObjectVersion: bundle.versionId,
      tags: { Name: props.name },
    });
  }

  get arn(): string {
    return this.trustStore.arn;
  }
}
