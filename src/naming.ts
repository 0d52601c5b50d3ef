import type { Layer } from './layers';

export interface NamingProps {
  readonly project: string;
  readonly environment: string;
  readonly accountId: string;
  readonly region: string;
}

const LIMITS = { bucket: 63, iamRole: 64, generic: 255 } as const;

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

  /** The EKS cluster's name; the network layer tags subnets with it before the cluster exists. */
  get clusterName(): string {
    return this.name('eks');
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
      throw new Error(`${what} "${name}" is ${name.length} characters, over the limit of ${limit}; shorten project or environment name in the config`);
    }
    return name;
  }
}
