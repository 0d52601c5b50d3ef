import { Cloudtrail } from '@cdktn/provider-aws/lib/cloudtrail';
import { Construct } from 'constructs';
import { stableAddress } from '../stable-address';
import { AccessLogBucket } from '../storage/access-log-bucket';
import { SecureBucket } from '../storage/secure-bucket';
import { EncryptionKey } from './kms-key';
import { formatArn, partitionOf, s3Arn } from '../../naming';

const TRAIL_BUCKET_LOG_PREFIX = 'audit-bucket/';

export interface AuditTrailProps {
  /** Trail name, from Naming. */
  readonly trailName: string;
  readonly bucketName: string;
  readonly accessLogBucketName: string;
  /** Alias (without `alias/`) of the key that encrypts the log files. */
  readonly keyAliasName: string;
  readonly accountId: string;
  /** The trail's home region. */
  readonly region: string;
  /** Roles that administer the key (EncryptionKey.administratorArns). */
  readonly keyAdministratorArns: readonly string[];
  /** Days log files (and digest files) are kept. */
  readonly logRetentionDays: number;
  /** Days server access logs of the trail bucket are kept. */
  readonly accessLogRetentionDays: number;
}

/**
 * The account's audit record: a multi-region trail of every management event (read and write, global
 * services included) with log file validation, delivered KMS-encrypted to a bucket protected like the
 * state bucket (versioned, access-logged, TLS-only, no public access, Terraform refuses to destroy it;
 * the guardrails deny CI and every platform role changes to the trail and the bucket's protection).
 * Bucket and key policies: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 * and https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly bucket: SecureBucket;
  readonly key: EncryptionKey;
  /** The trail's and the log bucket's ARNs as text, known at synth time (guardrails and policies name them). */
  readonly trailArn: string;
  readonly logBucketArn: string;
  /** The log bucket's own access logs: who read or wrote the log files. */
  readonly accessLogBucketArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    this.trailArn = formatArn(partition, 'cloudtrail', props.region, props.accountId, `trail/${props.trailName}`);
    this.logBucketArn = s3Arn(partition, props.bucketName);
    this.accessLogBucketArn = s3Arn(partition, props.accessLogBucketName);
    const fromTheTrail = { StringEquals: { 'aws:SourceArn': this.trailArn } };
    this.key = new EncryptionKey(this, 'key', {
      aliasName: props.keyAliasName,
      description: `Encrypts the CloudTrail log files of ${props.trailName}`,
      accountId: props.accountId,
      partition,
      administratorArns: props.keyAdministratorArns,
      additionalStatements: [
        {
          sid: 'CloudTrailEncryptsLogFiles',
          principals: { Service: 'cloudtrail.amazonaws.com' },
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            ...fromTheTrail,
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': formatArn(partition, 'cloudtrail', '*', props.accountId, 'trail/*') },
          },
        },
        {
          sid: 'CloudTrailDescribesKey',
          principals: { Service: 'cloudtrail.amazonaws.com' },
          actions: ['kms:DescribeKey'],
          resources: ['*'],
          conditions: fromTheTrail,
        },
      ],
    });
    const accessLogs = new AccessLogBucket(this, 'access-logs', {
      bucketName: props.accessLogBucketName,
      accountId: props.accountId,
      retentionDays: props.accessLogRetentionDays,
      s3AccessLogPrefix: TRAIL_BUCKET_LOG_PREFIX,
    });
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      accessLogging: { targetBucket: accessLogs.name, targetPrefix: TRAIL_BUCKET_LOG_PREFIX },
      // CloudTrail never rewrites a log file: a noncurrent version exists only if someone overwrote one.
      noncurrentVersionExpirationDays: props.logRetentionDays,
      lifecycleRules: [{ id: 'expire-audit-logs', status: 'Enabled', filter: [{}], expiration: [{ days: props.logRetentionDays }] }],
      policyStatements: (bucket) => [
        {
          sid: 'CloudTrailChecksAcl',
          principals: { Service: 'cloudtrail.amazonaws.com' },
          actions: ['s3:GetBucketAcl'],
          resources: [bucket.arn],
          conditions: fromTheTrail,
        },
        {
          sid: 'CloudTrailWritesLogFiles',
          principals: { Service: 'cloudtrail.amazonaws.com' },
          actions: ['s3:PutObject'],
          resources: [`${bucket.arn}/AWSLogs/${props.accountId}/*`],
          conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': this.trailArn } },
        },
      ],
    });
    this.trail = new Cloudtrail(this, 'trail', {
      name: props.trailName,
      s3BucketName: this.bucket.name,
      kmsKeyId: this.key.arn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      eventSelector: [{ readWriteType: 'All', includeManagementEvents: true }],
      // CloudTrail checks on creation that it may write to the bucket.
      dependsOn: [this.bucket.policy],
    });
    stableAddress(this.trail, props.trailName);
  }
}
