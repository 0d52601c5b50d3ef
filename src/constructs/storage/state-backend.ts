import { DynamodbTable } from '@cdktn/provider-aws/lib/dynamodb-table';
import { S3BucketReplicationConfigurationA } from '@cdktn/provider-aws/lib/s3-bucket-replication-configuration';
import { Construct } from 'constructs';
import { s3Arn } from '../../naming';
import { AwsServiceRole } from '../security/aws-service-role';
import type { PolicyStatement } from '../security/policy-document';
import { EncryptionKey } from '../security/kms-key';
import { AccessLogBucket } from './access-log-bucket';
import { SecureBucket } from './secure-bucket';
import { stableAddress } from '../stable-address';

const STATE_BUCKET_LOG_PREFIX = 'state-bucket/';

export interface StateBackendProps {
  readonly accountId: string;
  /** ARN partition of the environment's region (`Naming.partition`). */
  readonly partition: string;
  /** Roles that administer the state key (EncryptionKey.administratorArns). */
  readonly keyAdministratorArns: readonly string[];
  readonly stateBucketName: string;
  readonly accessLogBucketName: string;
  readonly lockTableName: string;
  /** Key alias without `alias/`; the stacks' backends refer to the key by this alias. */
  readonly keyAliasName: string;
  /** Days old state versions are kept: the window for rolling back a bad apply. */
  readonly noncurrentVersionRetentionDays: number;
  /** Days server access logs of the state bucket are kept. */
  readonly accessLogRetentionDays: number;
  /**
   * A replica of the state bucket in another region, with its own key and access-log bucket.
   * @default - no replica
   */
  readonly replica?: StateReplicaProps;
}

export interface StateReplicaProps {
  readonly region: string;
  readonly bucketName: string;
  readonly accessLogBucketName: string;
  /** Alias (without `alias/`) of the replica's key in the replica's region. */
  readonly keyAliasName: string;
  /** Role S3 replication assumes, from `Naming.roleName(...)`. */
  readonly roleName: string;
}

/**
 * Where every other stack keeps its Terraform state: a versioned, KMS-encrypted bucket whose access
 * is logged to a second bucket. Backends lock with S3 lock files next to the state (layer-stack.ts).
 */
export class StateBackend extends Construct {
  readonly key: EncryptionKey;
  readonly stateBucket: SecureBucket;
  readonly accessLogBucket: AccessLogBucket;
  /**
   * The DynamoDB lock table backends used before S3 lock files. Nothing locks with it any more; it stays, protected,
   * because removing it would destroy it in applied environments (docs/recovery.md, the lock table retired from use).
   */
  readonly lockTable: DynamodbTable;
  readonly replicaBucket?: SecureBucket;
  readonly replicaKey?: EncryptionKey;
  /** The state bucket's ARN, written out rather than referenced, as the CI roles' policies have always named it. */
  private readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    this.bucketArn = s3Arn(props.partition, props.stateBucketName);
    this.key = new EncryptionKey(this, 'key', {
      aliasName: props.keyAliasName,
      description: 'Encrypts Terraform state and its lock table',
      accountId: props.accountId,
      partition: props.partition,
      administratorArns: props.keyAdministratorArns,
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
    stableAddress(this.lockTable, props.lockTableName);
    if (props.replica) [this.replicaKey, this.replicaBucket] = this.replicate(props, props.replica);
  }

  /**
   * What a role needs to use this backend for one environment's state (its `<environment>/` keys): `read` for plans
   * (they run with -lock=false and are never applied), `write` for applies, which also write state and take the lock.
   */
  stateAccess(environment: string, access: 'read' | 'write'): PolicyStatement[] {
    const stateObjects = `${this.bucketArn}/${environment}/*`;
    const list: PolicyStatement = { sid: 'StateList', actions: ['s3:ListBucket'], resources: [this.bucketArn] };
    if (access === 'read') {
      return [
        list,
        { sid: 'StateRead', actions: ['s3:GetObject'], resources: [stateObjects] },
        { sid: 'StateKey', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [this.key.arn] },
      ];
    }
    return [
      list,
      { sid: 'StateReadWrite', actions: ['s3:GetObject', 's3:PutObject'], resources: [stateObjects] },
      // Terraform's S3 lock file is created and deleted next to the state object.
      { sid: 'StateLockFile', actions: ['s3:DeleteObject'], resources: [`${this.bucketArn}/${environment}/*.tflock`] },
      {
        sid: 'StateKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.key.arn],
      },
    ];
  }

  /**
   * Replicates every new state version to the replica, encrypted with a key of the replica's region.
   * Deleting a version (a request with a version id) is never replicated, and delete markers are not
   * replicated either (delete_marker_replication Disabled), so a version deleted or hidden in the
   * source stays readable in the replica:
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
   * SSE-KMS objects replicate only when the rule opts in and names the destination key:
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
   */
  private replicate(props: StateBackendProps, replica: StateReplicaProps): [EncryptionKey, SecureBucket] {
    const key = new EncryptionKey(this, 'replica-key', {
      aliasName: replica.keyAliasName,
      description: 'Encrypts the replica of the Terraform state',
      accountId: props.accountId,
      partition: props.partition,
      administratorArns: props.keyAdministratorArns,
      region: replica.region,
    });
    const logs = new AccessLogBucket(this, 'replica-access-logs', {
      bucketName: replica.accessLogBucketName,
      accountId: props.accountId,
      region: replica.region,
      retentionDays: props.accessLogRetentionDays,
      s3AccessLogPrefix: STATE_BUCKET_LOG_PREFIX,
    });
    const bucket = new SecureBucket(this, 'replica', {
      bucketName: replica.bucketName,
      region: replica.region,
      kmsKeyArn: key.arn,
      accessLogging: { targetBucket: logs.name, targetPrefix: STATE_BUCKET_LOG_PREFIX },
      noncurrentVersionExpirationDays: props.noncurrentVersionRetentionDays,
    });
    const source = this.stateBucket;
    const role = new AwsServiceRole(this, 'replication-role', {
      roleName: replica.roleName,
      description: `Replicates ${props.stateBucketName} to ${replica.bucketName}`,
      servicePrincipal: 's3.amazonaws.com',
      accountId: props.accountId,
      inlinePolicyName: 'replicate-state',
      statements: [
        { sid: 'ReadSourceConfiguration', actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [source.arn] },
        {
          sid: 'ReadSourceVersions',
          actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          resources: [source.objectsArn],
        },
        { sid: 'WriteReplicas', actions: ['s3:ReplicateObject', 's3:ReplicateTags'], resources: [bucket.objectsArn] },
        { sid: 'DecryptSource', actions: ['kms:Decrypt'], resources: [this.key.arn] },
        { sid: 'EncryptReplicas', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [key.arn] },
      ],
    });
    const replication = new S3BucketReplicationConfigurationA(this, 'replication', {
      bucket: source.bucket.id,
      role: role.arn,
      rule: [
        {
          id: 'state-to-recovery-region',
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: { bucket: bucket.arn, storageClass: 'STANDARD', encryptionConfiguration: { replicaKmsKeyId: key.arn } },
        },
      ],
      dependsOn: [source.versioning, bucket.versioning, ...role.grants],
    });
    stableAddress(replication, props.stateBucketName);
    return [key, bucket];
  }
}
