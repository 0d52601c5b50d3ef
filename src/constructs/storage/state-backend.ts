import { DynamodbTable } from '@cdktn/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { EncryptionKey } from '../security/kms-key';
import { AccessLogBucket } from './access-log-bucket';
import { SecureBucket } from './secure-bucket';

const STATE_BUCKET_LOG_PREFIX = 'state-bucket/';

export interface StateBackendProps {
  readonly accountId: string;
  readonly stateBucketName: string;
  readonly accessLogBucketName: string;
  readonly lockTableName: string;
  /** Key alias without `alias/`; the stacks' backends refer to the key by this alias. */
  readonly keyAliasName: string;
  /** Days old state versions are kept: the window for rolling back a bad apply. */
  readonly noncurrentVersionRetentionDays: number;
  /** Days server access logs of the state bucket are kept. */
  readonly accessLogRetentionDays: number;
}

/**
 * Where every other stack keeps its Terraform state: a versioned, KMS-encrypted bucket whose access
 * is logged to a second bucket, and a lock table for Terraform versions without S3 lock files.
 */
export class StateBackend extends Construct {
  readonly key: EncryptionKey;
  readonly stateBucket: SecureBucket;
  readonly accessLogBucket: AccessLogBucket;
  readonly lockTable: DynamodbTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    this.key = new EncryptionKey(this, 'key', {
      aliasName: props.keyAliasName,
      description: 'Encrypts Terraform state and its lock table',
      accountId: props.accountId,
    });
    this.accessLogBucket = new AccessLogBucket(this, 'access-logs', {
      bucketName: props.accessLogBucketName,
      accountId: props.accountId,
      retentionDays: props.accessLogRetentionDays,
      s3AccessLogPrefix: STATE_BUCKET_LOG_PREFIX,
    });
    this.stateBucket = new SecureBucket(this, 'state', {
      bucketName: props.stateBucketName,
      kmsKeyArn: this.key.arn,
      accessLogging: { targetBucket: this.accessLogBucket.name, targetPrefix: STATE_BUCKET_LOG_PREFIX },
      noncurrentVersionExpirationDays: props.noncurrentVersionRetentionDays,
    });
    this.lockTable = new DynamodbTable(this, 'lock-table', {
      name: props.lockTableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
