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
    return `/${this.props.project}/${this.props.environment}/${key}`;
  }

  /** A CloudWatch log group of this environment: `/<project>/<env>[/<part>...]`. */
  logGroupName(...parts: string[]): string {
    return ['', this.props.project, this.props.environment, ...parts].join('/');
  }

  /** Secrets Manager name of a service's application secret: `<project>/<env>/<service>/<name>`. */
  secretName(service: string, name: string): string {
    return this.checked(`${this.props.project}/${this.props.environment}/${service}/${name}`, LIMITS.secret, 'Secrets Manager secret name');
  }

  /** The EKS cluster's name; the network layer tags subnets with it before the cluster exists. */
  get clusterName(): string {
    return this.name('eks');
  }

  /** The partition of the environment's region: ARNs of GovCloud and China regions differ. */
  get partition(): string {
    const { region } = this.props;
    if (region.startsWith('cn-')) return 'aws-cn';
    if (region.startsWith('us-gov-')) return 'aws-us-gov';
    return 'aws';
  }

  /** ARN of a CloudWatch alarm of this account and region; alarm names come from the resource they watch. */
  alarmArn(alarmName: string): string {
    return `arn:${this.partition}:cloudwatch:${this.props.region}:${this.props.accountId}:alarm:${alarmName}`;
  }

  /** ARN of an IAM role of this account. */
  roleArn(roleName: string): string {
    return `arn:${this.partition}:iam::${this.props.accountId}:role/${roleName}`;
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

  /** The role of the cluster's nodes (EC2 instances). */
  /** The OpenSearch fine-grained-access master role, and the role of the Job that maps roles as it. */
  get searchAdminRoleName(): string {
    return this.roleName('search-admin');
  }

  get searchRoleMappingsRoleName(): string {
    return this.roleName('search-role-mappings');
  }

  get eksNodeRoleName(): string {
    return this.roleName('eks-node');
  }

  /** The environment's AWS Backup vault; the copy in the recovery region (and account) has the same name. */
  get backupVaultName(): string {
    return this.name('backup');
  }

  /** Role AWS Backup assumes to back up, copy, restore and expire the recovery points of every layer. */
  get backupRoleName(): string {
    return this.roleName('backup');
  }

  /** The replica of the state bucket in the recovery region (bucket names are global). */
  stateReplicaBucket(recoveryRegion: string): string {
    return this.bucketName('tfstate-replica', recoveryRegion);
  }

  get stateBucket(): string {
    return this.bucketName('tfstate');
  }

  get stateLockTable(): string {
    return this.name('tfstate-lock');
  }

  get stateKeyAlias(): string {
    return `alias/${this.name('tfstate')}`;
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
