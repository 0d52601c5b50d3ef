import type { Layer } from './layers';

export interface NamingProps {
  readonly project: string;
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
}

// CodeBuild project names: 150; CodeConnections connection names: 32; EventBridge rule names: 64 (CreateProject,
// CreateConnection, PutRule API references).
const LIMITS = { bucket: 63, iamRole: 64, secret: 512, codeBuildProject: 150, codeConnection: 32, eventRule: 64, generic: 255 } as const;

/** Names of the environment's CodeBuild-hosted GitHub Actions runner and what belongs to it. */
export interface CiRunnerNames {
  /** Part of the label every job names in `runs-on`, hence short: `<project>-<env>-runner`. */
  readonly projectName: string;
  readonly roleName: string;
  readonly securityGroupName: string;
  /** Where CodeBuild would put the project's logs by default, created by us first. */
  readonly logGroupName: string;
  /** The CodeConnections connection to GitHub (one-time console handshake). */
  readonly connectionName: string;
}

/** Names of the automated validation of the PostgreSQL restore test (src/constructs/recovery/restore-validation.ts). */
export interface RestoreValidationNames {
  /** The CodeBuild project that checks a restored instance, its role, security group and log group. */
  readonly projectName: string;
  readonly roleName: string;
  readonly securityGroupName: string;
  /** Under `/<project>/<env>/`, which the data key's policy admits for CloudWatch Logs. */
  readonly logGroupName: string;
  /** The EventBridge rule that starts a build for each completed restore job, and the role it starts builds with. */
  readonly ruleName: string;
  readonly startRoleName: string;
  /** The PostgreSQL login the check connects as (IAM authentication); not environment-specific, as snapshots move between them. */
  readonly databaseUser: string;
}

/** Region and account of an ARN when they differ from the environment's; `''` for an ARN without them. */
export interface ArnScope {
  readonly region?: string;
  readonly account?: string;
}

/**
 * The ARN partition of a region: GovCloud (`us-gov-*`), China (`cn-*`) and the isolated regions
 * (`us-iso-*`, `us-isob-*`, …) have their own, and an ARN of another partition names nothing there.
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  const isolated = /^[a-z]{2}-iso([a-z]?)-/.exec(region);
  if (isolated) return isolated[1] ? `aws-iso-${isolated[1]}` : 'aws-iso';
  return 'aws';
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, for constructs that know their region but have no Naming. */
export function formatArn(partition: string, service: string, region: string, account: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** An IAM resource (`role/…`, `policy/…`, `root`) of `account`: IAM ARNs have no region. */
export function iamArn(partition: string, account: string, resource: string): string {
  return formatArn(partition, 'iam', '', account, resource);
}

/** A bucket, or `<bucket>/<key>` its objects: S3 ARNs have neither region nor account. */
export function s3Arn(partition: string, bucketOrObjects: string): string {
  return formatArn(partition, 's3', '', '', bucketOrObjects);
}

/** A policy AWS manages: account `aws`, no region. */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return iamArn(partition, 'aws', `policy/${name}`);
}

/** An EKS access policy (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html): AWS's, in no region. */
export function eksAccessPolicyArn(partition: string, name: string): string {
  return formatArn(partition, 'eks', '', 'aws', `cluster-access-policy/${name}`);
}

/** The purpose in the state bucket's name, which its replica's and their access-log buckets' names extend. */
const STATE_BUCKET = 'tfstate';

/** `/<project>/<env>[/<part>…]`: the hierarchy an environment's SSM parameters and log groups share. */
function environmentPath(project: string, environment: string, parts: readonly string[]): string {
  return ['', project, environment, ...parts].join('/');
}

/** Path of a parameter in SSM Parameter Store: `/<project>/<env>/<key>`; the contract check reads the same paths. */
export function parameterPath(project: string, environment: string, key: string): string {
  return environmentPath(project, environment, [key]);
}

/**
 * The one place resource names are made. Names read `<project>-<env>-<purpose>` so that a name
 * alone tells which platform and environment a resource belongs to.
 */
export class Naming {
  constructor(private readonly props: NamingProps) {}

  get prefix(): string {
    return `${this.props.project}-${this.props.environment}`;
  }

  /** `<project>-<env>-<parts…>`, for names unique within an account and region. */
  name(...parts: string[]): string {
    return this.checked([this.prefix, ...parts].join('-'), LIMITS.generic, 'resource name');
  }

  /** IAM role names are account-wide and limited to 64 characters. */
  roleName(...parts: string[]): string {
    return this.checked([this.prefix, ...parts].join('-'), LIMITS.iamRole, 'IAM role name');
  }

  /** Bucket names are global: the account id and region keep them from colliding with anyone's. */
  bucketName(purpose: string, region: string = this.props.region): string {
    return this.checked(`${this.prefix}-${purpose}-${this.props.accountId}-${region}`, LIMITS.bucket, 'S3 bucket name');
  }

  /** Path of a parameter in SSM Parameter Store: `/<project>/<env>/<key>`. */
  parameterPath(key: string): string {
    return parameterPath(this.props.project, this.props.environment, key);
  }

  /** A CloudWatch log group of this environment: `/<project>/<env>[/<part>...]`. */
  logGroupName(...parts: string[]): string {
    return environmentPath(this.props.project, this.props.environment, parts);
  }

  /** Secrets Manager name of a service's application secret: `<project>/<env>/<service>/<name>`. */
  secretName(service: string, name: string): string {
    return this.checked(`${this.applicationSecretsPrefix}${service}/${name}`, LIMITS.secret, 'Secrets Manager secret name');
  }

  private get applicationSecretsPrefix(): string {
    return `${this.props.project}/${this.props.environment}/`;
  }

  /** The EKS cluster's name; the network layer tags subnets with it before the cluster exists. */
  get clusterName(): string {
    return this.name('eks');
  }

  /** The partition of the environment's region (see partitionOf). */
  get partition(): string {
    return partitionOf(this.props.region);
  }

  /** An ARN in this environment's partition, by default of its region and account (ArnScope overrides them). */
  arn(service: string, resource: string, { region = this.props.region, account = this.props.accountId }: ArnScope = {}): string {
    return formatArn(this.partition, service, region, account, resource);
  }

  /** An IAM resource (`role/…`, `policy/…`, `oidc-provider/…`, `root`): IAM ARNs have no region. */
  iamArn(resource: string): string {
    return iamArn(this.partition, this.props.accountId, resource);
  }

  /** A policy AWS manages (account `aws`), e.g. `service-role/AWSBackupServiceRolePolicyForBackup`. */
  awsManagedPolicyArn(name: string): string {
    return awsManagedPolicyArn(this.partition, name);
  }

  /** ARN of an IAM role of this account. */
  roleArn(roleName: string): string {
    return this.iamArn(`role/${roleName}`);
  }

  /** ARN of a customer-managed IAM policy of this account. */
  policyArn(policyName: string): string {
    return this.iamArn(`policy/${policyName}`);
  }

  /** A bucket, or with `key` its objects (a key may end in `*`): S3 ARNs have neither region nor account. */
  s3Arn(bucket: string, key?: string): string {
    return s3Arn(this.partition, key === undefined ? bucket : `${bucket}/${key}`);
  }

  /** The SSM parameter at `parameterPath(key)`; the path's leading `/` is the separator after `parameter`. */
  parameterArn(key: string): string {
    return this.arn('ssm', `parameter${this.parameterPath(key)}`);
  }

  /** ARN of a CloudWatch alarm of this account and region; alarm names come from the resource they watch. */
  alarmArn(alarmName: string): string {
    return this.arn('cloudwatch', `alarm:${alarmName}`);
  }

  /** A service's pod-identity role (platform layer); other layers name it in literals that must be known at plan time. */
  serviceRoleName(service: string): string {
    return this.roleName('svc', service);
  }

  /** The CI roles bootstrap creates: `plan` for pull requests and drift, `apply` for the gated pipeline. */
  ciRoleName(kind: 'plan' | 'apply'): string {
    return this.roleName(`ci-${kind}`);
  }

  /**
   * Kubernetes groups that EKS access entries map IAM roles to, bound by RBAC in the cluster layer. The
   * prefix keeps them apart from the `system:`/`eks:` groups Kubernetes and EKS reserve.
   */
  kubernetesGroup(purpose: 'plan-readers' | `deploy-${string}`): string {
    return `${this.props.project}:${purpose}`;
  }

  /**
   * The environment's in-VPC GitHub Actions runner; jobs select it with
   * `runs-on: codebuild-<projectName>-${{ github.run_id }}-${{ github.run_attempt }}`.
   */
  get ciRunner(): CiRunnerNames {
    const projectName = this.checked(this.name('runner'), LIMITS.codeBuildProject, 'CodeBuild project name');
    return {
      projectName,
      roleName: this.roleName('ci-runner'),
      securityGroupName: this.name('ci-runner'),
      logGroupName: `/aws/codebuild/${projectName}`,
      connectionName: this.checked(this.name('github'), LIMITS.codeConnection, 'CodeConnections connection name'),
    };
  }

  /** The validation of the weekly PostgreSQL restore test. */
  get postgresRestoreValidation(): RestoreValidationNames {
    const purpose = 'postgres-restore-validation';
    const projectName = this.checked(this.name(purpose), LIMITS.codeBuildProject, 'CodeBuild project name');
    return {
      projectName,
      roleName: this.roleName(purpose),
      securityGroupName: this.name(purpose),
      logGroupName: this.logGroupName('codebuild', purpose),
      ruleName: this.checked(this.name(purpose), LIMITS.eventRule, 'EventBridge rule name'),
      startRoleName: this.roleName(purpose, 'start'),
      databaseUser: 'platform_restore_validation',
    };
  }

  /** The permissions boundary every role outside bootstrap carries. */
  get permissionsBoundaryName(): string {
    return this.name('permissions-boundary');
  }

  /** The EKS cluster's IAM role; the permissions boundary lets only it pass the node role. */
  get eksClusterRoleName(): string {
    return this.roleName('eks-cluster');
  }

  /** The OpenSearch fine-grained-access master role, and the role of the Job that maps roles as it. */
  get searchAdminRoleName(): string {
    return this.roleName('search-admin');
  }

  get searchRoleMappingsRoleName(): string {
    return this.roleName('search-role-mappings');
  }

  /** The role of the cluster's nodes (EC2 instances). */
  get eksNodeRoleName(): string {
    return this.roleName('eks-node');
  }

  /** The environment's AWS Backup vault; the copy in the recovery region (and account) has the same name. */
  get backupVaultName(): string {
    return this.name('backup');
  }

  /** The vault's ARN, by default in the environment's region and account. */
  backupVaultArn(scope: ArnScope = {}): string {
    return this.arn('backup', `backup-vault:${this.backupVaultName}`, scope);
  }

  /** Role AWS Backup assumes to back up, copy, restore and expire the recovery points of every layer. */
  get backupRoleName(): string {
    return this.roleName('backup');
  }

  /** The replica of the state bucket in the recovery region (bucket names are global). */
  stateReplicaBucket(recoveryRegion: string): string {
    return this.bucketName(`${STATE_BUCKET}-replica`, recoveryRegion);
  }

  get stateBucket(): string {
    return this.bucketName(STATE_BUCKET);
  }

  /** The access logs of the state bucket, or of its replica in `recoveryRegion`. */
  stateAccessLogBucket(recoveryRegion?: string): string {
    return recoveryRegion ? this.bucketName(`${STATE_BUCKET}-replica-logs`, recoveryRegion) : this.bucketName(`${STATE_BUCKET}-logs`);
  }

  /**
   * The state backend's buckets, as an S3 ARN pattern: the state bucket, its replica and the buckets of their access
   * logs, whose names all start `<prefix>-tfstate-` (one pattern keeps the guardrails within IAM's policy size quota).
   */
  get stateBucketsArnPattern(): string {
    return this.s3Arn(`${this.prefix}-${STATE_BUCKET}-*`);
  }

  /** The data layer's replication groups: the services' cache, which evicts, and that of shared keyspaces, which never does. */
  get cacheNames(): { readonly services: string; readonly sharedKeyspaces: string } {
    return { services: this.name('cache'), sharedKeyspaces: this.name('cache-shared') };
  }

  /** The edge layer's bucket of the origin-pull CA bundle, the one object CI writes and plans read. */
  get originPullBucket(): string {
    return this.bucketName('origin-pull');
  }

  /** Every application secret of this environment (`secretName`), as an IAM resource pattern. */
  get applicationSecretsArnPattern(): string {
    return this.arn('secretsmanager', `secret:${this.applicationSecretsPrefix}*`);
  }

  get stateLockTable(): string {
    return this.name(`${STATE_BUCKET}-lock`);
  }

  /** The state key's alias name; `stateKeyAlias` is the alias as KMS and IAM name it (`alias/…`). */
  get stateKeyAliasName(): string {
    return this.name(STATE_BUCKET);
  }

  get stateKeyAlias(): string {
    return `alias/${this.stateKeyAliasName}`;
  }

  /** What the state bucket's replication to the recovery region uses: the replica's key alias and the replication role. */
  get stateReplication(): { readonly keyAliasName: string; readonly roleName: string } {
    return { keyAliasName: this.name(`${STATE_BUCKET}-replica`), roleName: this.roleName(`${STATE_BUCKET}-replication`) };
  }

  stateKey(layer: Layer): string {
    return `${this.props.environment}/${layer}.tfstate`;
  }

  private checked(name: string, limit: number, what: string): string {
    if (name.length > limit) {
      throw new Error(
        `${what} "${name}" is ${name.length} characters, over the limit of ${limit}; shorten project or environment name in the config`,
      );
    }
    return name;
  }
}
