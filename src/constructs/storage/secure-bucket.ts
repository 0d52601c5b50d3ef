import { S3Bucket } from '@cdktn/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktn/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktn/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktn/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktn/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktn/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { denyInsecureTransport, policyDocument, type PolicyStatement } from '../security/policy-document';
import { stableAddress } from '../stable-address';

/**
 * Where the bucket's server access logs go, or that the bucket is itself a log destination
 * (S3 cannot log a bucket into itself, and log destinations must not use SSE-KMS).
 */
export type BucketAccessLogging = { readonly targetBucket: string; readonly targetPrefix: string } | 'is-log-destination';

export interface BucketArns {
  readonly arn: string;
  /** `arn:…:bucket/*`, for object-level statements. */
  readonly objectsArn: string;
}

export interface SecureBucketProps {
  readonly bucketName: string;
  /**
   * Region of the bucket and its settings, for replicas kept in the recovery region.
   * @default - the provider's region
   */
  readonly region?: string;
  /**
   * KMS key ARN for SSE-KMS with an S3 bucket key. Required unless the bucket is a log destination,
   * which S3 server access logging and ELB access logging only support with SSE-S3.
   */
  readonly kmsKeyArn?: string;
  /**
   * Set to 'sse-s3' (with no kmsKeyArn) for a bucket that must serve unsigned requests, e.g. reads
   * allowed by source IP for a CDN: S3 refuses anonymous requests for SSE-KMS objects.
   * @default 'sse-kms'; for a log destination, 'sse-kms' only when kmsKeyArn is given
   */
  readonly encryption?: 'sse-kms' | 'sse-s3';
  readonly accessLogging: BucketAccessLogging;
  /**
   * Days before noncurrent object versions expire.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Extra lifecycle rules (transitions, expirations) next to the built-in noncurrent-version and
   * incomplete-upload rules.
   * @default - none
   */
  readonly lifecycleRules?: readonly S3BucketLifecycleConfigurationRule[];
  /**
   * Statements added to the bucket policy after the TLS-only deny, given the bucket's own ARNs.
   * @default - none
   */
  readonly policyStatements?: (bucket: BucketArns) => readonly PolicyStatement[];
  /**
   * Turns the rendered policy (TLS-only deny plus `policyStatements`) into the bucket policy, for
   * statements with values known only at plan time (token lists), which need an
   * aws_iam_policy_document that lists the rendered policy in `source_policy_documents`.
   * @default - the rendered policy as is
   */
  readonly composePolicy?: (rendered: string, bucket: BucketArns) => string;
  /**
   * Refuse `terraform destroy` of the bucket (lifecycle prevent_destroy).
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket with everything on that a bucket should have: versioning, default encryption, all
 * public access blocked, ACLs disabled (bucket-owner-enforced), a TLS-only policy, access logging
 * and lifecycle rules that bound the cost of versioning.
 */
export class SecureBucket extends Construct implements BucketArns {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;
  /** Replication must wait for versioning. */
  readonly versioning: S3BucketVersioningA;
  private readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const isLogDestination = props.accessLogging === 'is-log-destination';
    const wantsKms = props.encryption === 'sse-kms' || (props.encryption === undefined && !isLogDestination);
    const where = `SecureBucket ${props.bucketName}`;
    if (wantsKms && !props.kmsKeyArn) {
      invalidProp(where, 'kmsKeyArn', `a key ARN unless accessLogging is 'is-log-destination' or encryption is 'sse-s3'`, props.kmsKeyArn);
    }
    if (props.encryption === 'sse-s3' && props.kmsKeyArn) {
      invalidProp(where, 'kmsKeyArn', "absent when encryption is 'sse-s3' (S3 managed keys)", props.kmsKeyArn);
    }
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? 90;
    if (!Number.isInteger(noncurrentDays) || noncurrentDays < 1) {
      invalidProp(where, 'noncurrentVersionExpirationDays', 'a whole number ≥ 1', noncurrentDays);
    }

    this.bucket = new S3Bucket(this, 'bucket', {
      region: props.region,
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    stableAddress(this.bucket, props.bucketName, { region: props.region });
    const bucket = this.bucket.id;

    this.versioning = new S3BucketVersioningA(this, 'versioning', {
      region: props.region,
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    stableAddress(this.versioning, props.bucketName, { region: props.region });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      region: props.region,
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      region: props.region,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { region: props.region, bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    if (props.accessLogging !== 'is-log-destination') {
      new S3BucketLoggingA(this, 'logging', {
        region: props.region,
        bucket,
        targetBucket: props.accessLogging.targetBucket,
        targetPrefix: props.accessLogging.targetPrefix,
      });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      region: props.region,
      bucket,
      rule: [
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
        ...(props.lifecycleRules ?? []),
      ],
    });
    this.policy = new S3BucketPolicy(this, 'policy', {
      region: props.region,
      bucket,
      policy: this.composedPolicy(props),
      // A policy applied before the block is in place could be public for a moment.
      dependsOn: [this.publicAccessBlock],
    });
  }

  private composedPolicy(props: SecureBucketProps): string {
    const rendered = policyDocument([denyInsecureTransport([this.arn, this.objectsArn]), ...(props.policyStatements?.(this) ?? [])]);
    return props.composePolicy ? props.composePolicy(rendered, this) : rendered;
  }

  get name(): string {
    return this.bucket.bucket;
  }

  get arn(): string {
    return this.bucket.arn;
  }

  /** `arn:…:bucket/*`, for object-level statements. */
  get objectsArn(): string {
    return `${this.bucket.arn}/*`;
  }
}
