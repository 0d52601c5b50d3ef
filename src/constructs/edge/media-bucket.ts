import { DataAwsIamPolicyDocument } from '@cdktn/provider-aws/lib/data-aws-iam-policy-document';
import { S3BucketCorsConfiguration } from '@cdktn/provider-aws/lib/s3-bucket-cors-configuration';
import { TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { ServiceGrant } from '../security/service-grant';
import { SecureBucket } from '../storage/secure-bucket';

/** Object-level actions that change content; only the writer roles may perform them. */
const MEDIA_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:AbortMultipartUpload'] as const;

/**
 * Top-level key prefixes. Only `public/` is readable through the CDN; `private/` (direct-message
 * attachments, unmoderated uploads) is readable only by signed requests: service roles and the presigned
 * URLs they hand out.
 */
export type MediaVisibility = 'public' | 'private';

export interface MediaBucketProps {
  readonly bucketName: string;
  /** Bucket and prefix receiving this bucket's S3 server access logs. */
  readonly accessLogging: { readonly targetBucket: string; readonly targetPrefix: string };
  /**
   * Source ranges allowed to read objects without signing (the CDN's edge ranges), each no broader than
   * /8 (IPv4) or /32 (IPv6) so S3 Block Public Access still deems the policy non-public. May be a token
   * list resolved at plan time.
   */
  readonly readerSourceIps: string[];
  /** ARNs of the roles that may write, delete or abort uploads; everyone else is denied those actions. */
  readonly writerRoleArns: readonly string[];
  /** Browser origins allowed by CORS (reads through the CDN and presigned uploads). */
  readonly corsOrigins: readonly string[];
  /** Days after which current objects move to STANDARD_IA. */
  readonly coldAfterDays: number;
  /** Days noncurrent versions are kept. */
  readonly noncurrentRetentionDays: number;
}

/**
 * The bucket of user uploads. Everything of SecureBucket, plus: unsigned object reads only from the
 * CDN's source ranges and only under `public/`, writes only by named roles, CORS for the app origins and a cold-storage
 * transition. It uses SSE-S3, not SSE-KMS: S3 rejects unsigned requests for SSE-KMS objects, so a CDN
 * that reads by source IP could not serve them.
 */
export class MediaBucket extends Construct {
  readonly bucket: SecureBucket;
  readonly policyDocument: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: MediaBucketProps) {
    super(scope, id);
    const where = `MediaBucket ${props.bucketName}`;
    if (props.corsOrigins.length === 0) invalidProp(where, 'corsOrigins', 'at least one https origin', props.corsOrigins);
    if (props.coldAfterDays < 30) invalidProp(where, 'coldAfterDays', 'at least 30 (the STANDARD_IA minimum)', props.coldAfterDays);
    let policyDocument: DataAwsIamPolicyDocument | undefined;
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      encryption: 'sse-s3',
      accessLogging: props.accessLogging,
      noncurrentVersionExpirationDays: props.noncurrentRetentionDays,
      lifecycleRules: [
        {
          id: 'transition-cold-objects',
          status: 'Enabled',
          filter: [{}],
          transition: [{ days: props.coldAfterDays, storageClass: 'STANDARD_IA' }],
        },
      ],
      policyStatements: (bucket) => [
        {
          sid: 'OnlyWriterRolesChangeObjects',
          effect: 'Deny',
          principals: '*',
          actions: [...MEDIA_WRITE_ACTIONS],
          resources: [bucket.objectsArn],
          ...(props.writerRoleArns.length > 0 ? { conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.writerRoleArns } } } : {}),
        },
      ],
      // The source ranges may be a plan-time token list, which only an aws_iam_policy_document can hold.
      composePolicy: (rendered, bucket) => {
        policyDocument = new DataAwsIamPolicyDocument(this, 'policy-document', {
          sourcePolicyDocuments: [rendered],
          statement: [
            {
              sid: 'CdnReadsObjectsFromItsRangesOnly',
              effect: 'Allow',
              principals: [{ type: '*', identifiers: ['*'] }],
              actions: ['s3:GetObject'],
              resources: [mediaObjectsArn(bucket.arn, 'public')],
              condition: [{ test: 'IpAddress', variable: 'aws:SourceIp', values: props.readerSourceIps }],
            },
          ],
        });
        return policyDocument.json;
      },
    });
    this.policyDocument = policyDocument!;
    new S3BucketCorsConfiguration(this, 'cors', {
      bucket: this.bucket.bucket.id,
      corsRule: [
        {
          id: 'app-origins',
          allowedOrigins: [...props.corsOrigins],
          allowedMethods: ['GET', 'HEAD', 'PUT', 'POST'],
          allowedHeaders: ['content-type', 'content-md5', 'content-disposition', 'x-amz-*'],
          exposeHeaders: ['ETag'],
          maxAgeSeconds: 3600,
        },
      ],
    });
  }

  get name(): string {
    return this.bucket.name;
  }

  /**
   * Lets a service read public media and its own private media (`private/<service>/*`) only: it can
   * presign GET URLs for its own private objects, and never read another service's (e.g. direct-message
   * attachments of `svc-msg`).
   */
  grantRead(service: string, roleName: string): ServiceGrant {
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: 'media-read',
      statements: [
        {
          sid: 'ReadPublicAndOwnPrivateMedia',
          actions: ['s3:GetObject'],
          resources: [this.objectsArnUnder('public'), this.objectsArnUnder('private', service)],
        },
      ],
    });
  }

  /**
   * Lets a service write and delete under its own prefixes `public/<service>/` and `private/<service>/`
   * only, so one compromised service cannot overwrite or delete another's uploads. Its role must also
   * be among `writerRoleArns`, which the bucket policy exempts from its deny of writes.
   */
  grantWrite(service: string, roleName: string): ServiceGrant {
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: 'media-write',
      statements: [
        {
          sid: 'WriteOwnMedia',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
          resources: [this.objectsArnUnder('public', service), this.objectsArnUnder('private', service)],
        },
      ],
    });
  }

  /** ARN pattern of the objects under `<visibility>/` or, with `owner`, under `<visibility>/<owner>/`. */
  objectsArnUnder(visibility: MediaVisibility, owner?: string): string {
    return mediaObjectsArn(this.bucket.arn, visibility, owner);
  }

  /** `<bucket>.s3.<region>.amazonaws.com`: the origin host the CDN connects to. */
  get regionalDomainName(): string {
    return this.bucket.bucket.bucketRegionalDomainName;
  }
}

function mediaObjectsArn(bucketArn: string, visibility: MediaVisibility, owner?: string): string {
  return owner === undefined ? `${bucketArn}/${visibility}/*` : `${bucketArn}/${visibility}/${owner}/*`;
}
