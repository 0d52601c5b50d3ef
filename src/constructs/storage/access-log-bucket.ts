import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import type { PolicyStatement } from '../security/policy-document';
import { SecureBucket, type BucketArns } from './secure-bucket';

export interface AccessLogBucketProps {
  readonly bucketName: string;
  readonly accountId: string;
  /**
   * Region of the bucket (S3 delivers server access logs only to a bucket in the source bucket's region).
   * @default - the provider's region
   */
  readonly region?: string;
  /** Days log objects are kept. */
  readonly retentionDays: number;
  /** Key prefix (ending in `/`) S3 server access logs of this account may be delivered under. */
  readonly s3AccessLogPrefix: string;
  /**
   * Further delivery statements, e.g. for ELB access logs.
   * @default - none
   */
  readonly deliveryStatements?: (bucket: BucketArns) => readonly PolicyStatement[];
}

/**
 * A locked-down destination for access logs: SSE-S3 (log delivery does not support SSE-KMS),
 * versioned, all public access blocked, objects expire after the retention period, and only the log
 * delivery services of this account may write, under their prefixes.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    if (!props.s3AccessLogPrefix.endsWith('/')) {
      invalidProp(`AccessLogBucket ${props.bucketName}`, 's3AccessLogPrefix', 'a prefix ending with "/"', props.s3AccessLogPrefix);
    }
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      region: props.region,
      accessLogging: 'is-log-destination',
      noncurrentVersionExpirationDays: 30,
      lifecycleRules: [{ id: 'expire-access-logs', status: 'Enabled', filter: [{}], expiration: [{ days: props.retentionDays }] }],
      policyStatements: (bucket) => [
        {
          sid: 'S3ServerAccessLogDelivery',
          principals: { Service: 'logging.s3.amazonaws.com' },
          actions: ['s3:PutObject'],
          resources: [`${bucket.arn}/${props.s3AccessLogPrefix}*`],
          conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
        ...(props.deliveryStatements?.(bucket) ?? []),
      ],
    });
  }

  get name(): string {
    return this.bucket.name;
  }
}
