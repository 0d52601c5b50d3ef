import { IamServiceLinkedRole } from '@cdktn/provider-aws/lib/iam-service-linked-role';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { ACCOUNT_SERVICE_LINKED_ROLES, type AccountServiceLinkedRole } from '../config/schema/bootstrap';
import { CI_APPLY_JOB_MINUTES } from '../config/schema/ci';
import { BackupVault } from '../constructs/recovery/backup-vault';
import { AuditTrail } from '../constructs/security/audit-trail';
import { AwsServiceRole } from '../constructs/security/aws-service-role';
import { CiApplyPermissions } from '../constructs/security/ci-apply-permissions';
import { GithubOidcProvider, githubOidcProviderArn } from '../constructs/security/github-oidc';
import { GithubOidcRole } from '../constructs/security/github-oidc-role';
import { type AuditRecord, SECRET_VALUE_READS } from '../constructs/security/guardrails';
import { PermissionsBoundary } from '../constructs/security/permissions-boundary';
import { allowRecoveryAccountCopies } from '../constructs/security/kms-key';
import type { PolicyStatement } from '../constructs/security/policy-document';
import { StateBackend } from '../constructs/storage/state-backend';
import { LayerStack } from './layer-stack';

/** The services of ACCOUNT_SERVICE_LINKED_ROLES. (EKS Auto Mode launches nodes without Auto Scaling groups, so that role is not needed.) */
const ACCOUNT_SERVICES = Object.keys(ACCOUNT_SERVICE_LINKED_ROLES) as AccountServiceLinkedRole[];

/**
 * What AWS Backup needs to back up and restore RDS and S3; S3 has its own policies, which decrypt only
 * through S3 (kms:ViaService): https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForS3Backup.html
 */
const BACKUP_ROLE_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];

/**
 * Service-linked roles the apply role may create when a service first needs one; only those
 * bootstrap manages may it delete.
 */
const CREATABLE_SERVICE_LINKED_ROLES = [
  ...ACCOUNT_SERVICES,
  'eks.amazonaws.com',
  'rds.amazonaws.com',
  'elasticache.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'backup.amazonaws.com',
  'restore-testing.backup.amazonaws.com',
];

/**
 * The first layer of an environment, applied by hand once with local state: the state backend every
 * other layer uses, and the identities CI uses to plan and apply them.
 */
export class BootstrapStack extends LayerStack {
  readonly stateBackend: StateBackend;
  readonly planRole: GithubOidcRole;
  readonly applyRole: GithubOidcRole;
  /** The environment's vault, its copy in the recovery region, and the role AWS Backup works with. */
  readonly recovery: { readonly vault: BackupVault; readonly recoveryVault?: BackupVault; readonly role: AwsServiceRole };
  /**
   * The account's audit trail, here because bootstrap is applied by an administrator and CI may not
   * change it: what audits CI must not be CI's to switch off. Absent when config names the
   * organization's trail (`observability.audit.organizationTrailArn`).
   */
  readonly auditTrail?: AuditTrail;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config, 'bootstrap');
    const { naming } = this;
    this.stateBackend = new StateBackend(this, 'state', {
      accountId: config.accountId,
      partition: naming.partition,
      keyAdministratorArns: config.platform.adminRoleArns,
      stateBucketName: naming.stateBucket,
      accessLogBucketName: naming.stateAccessLogBucket(),
      lockTableName: naming.stateLockTable,
      keyAliasName: naming.stateKeyAliasName,
      noncurrentVersionRetentionDays: config.stateBackend.noncurrentVersionRetentionDays,
      accessLogRetentionDays: config.stateBackend.accessLogRetentionDays,
      replica: config.recovery && {
        region: config.recovery.region,
        bucketName: naming.stateReplicaBucket(config.recovery.region),
        accessLogBucketName: naming.stateAccessLogBucket(config.recovery.region),
        ...naming.stateReplication,
      },
    });
    this.recovery = this.recoveryVaults();
    // Versions of the state are recoverable from the bucket, its replica and the vault's daily backups.
    this.backUp('tfstate', [this.stateBackend.stateBucket.arn]);

    this.auditTrail = this.accountTrail();
    // The trail's log files are evidence: locked daily copies, in the recovery region too.
    if (this.auditTrail) this.backUp('audit', [this.auditTrail.bucket.arn]);
    const trail = this.auditTrail;
    const audit: AuditRecord | undefined = trail && {
      trailArns: [trail.trailArn],
      bucketArns: [trail.logBucketArn, trail.accessLogBucketArn],
    };

    // Account-wide singletons the later layers rely on: the platform key names the Auto Scaling role
    // (KMS accepts only existing principals), and OpenSearch needs its role to place a domain in a VPC.
    const { importExisting } = config.bootstrap;
    for (const service of ACCOUNT_SERVICES) {
      const role = new IamServiceLinkedRole(this, `service-linked-role-${service.split('.')[0]}`, { awsServiceName: service });
      if (importExisting.serviceLinkedRoles.includes(service)) {
        // The import ID is the role's ARN (provider docs of aws_iam_service_linked_role, "Import").
        role.importFrom(naming.roleArn(`aws-service-role/${service}/${ACCOUNT_SERVICE_LINKED_ROLES[service]}`));
      }
    }

    new PermissionsBoundary(this, 'permissions-boundary', {
      policyName: naming.permissionsBoundaryName,
      accountId: config.accountId,
      partition: naming.partition,
      clusterRoleArn: naming.roleArn(naming.eksClusterRoleName),
      nodeRoleArn: naming.roleArn(naming.eksNodeRoleName),
      roleAssumption: { from: naming.roleArn(naming.searchRoleMappingsRoleName), to: naming.roleArn(naming.searchAdminRoleName) },
      stateBucketArns: [naming.stateBucketsArnPattern],
      audit,
    });
    const oidc = new GithubOidcProvider(this, 'github-oidc');
    // The import ID is the provider's ARN (provider docs of aws_iam_openid_connect_provider, "Import").
    if (importExisting.githubOidcProvider) oidc.provider.importFrom(githubOidcProviderArn(naming));
    const { organization, infraRepository } = config.project.github;

    this.planRole = new GithubOidcRole(this, 'ci-plan', {
      roleName: naming.ciRoleName('plan'),
      description: `Plans ${config.name} from pull requests and drift checks of ${organization}/${infraRepository}; read-only`,
      oidcProviderArn: oidc.arn,
      organization,
      repository: infraRepository,
      // Drift detection runs on the main branch with this read-only role.
      subjects: [{ pullRequest: true }, { branch: 'main' }],
      managedPolicyArns: [naming.awsManagedPolicyArn('ReadOnlyAccess')],
      statements: [...this.stateBackend.stateAccess(config.name, 'read'), ...this.planRefreshes(), ...this.noDataReads()],
    });

    this.applyRole = new GithubOidcRole(this, 'ci-apply', {
      roleName: naming.ciRoleName('apply'),
      description:
        `Applies ${config.name} from the main branch of ${organization}/${infraRepository} ` +
        `through the "${config.ci.applyEnvironment}" GitHub environment`,
      oidcProviderArn: oidc.arn,
      organization,
      repository: infraRepository,
      subjects: [{ environment: config.ci.applyEnvironment }],
      // A session outlives the longest apply job, so credentials never expire half-way through an apply.
      maxSessionDuration: CI_APPLY_JOB_MINUTES * 60,
      statements: this.stateBackend.stateAccess(config.name, 'write'),
    });
    // No AWS-managed PowerUser/Administrator policy: per service, what the layers manage (docs/recovery.md "Who can do what").
    new CiApplyPermissions(this, 'ci-apply-permissions', {
      prefix: naming.prefix,
      pathPrefix: naming.parameterPath(''),
      project: config.project.project,
      environment: config.name,
      accountId: config.accountId,
      regions: [config.region, ...(config.recovery ? [config.recovery.region] : [])],
      roleName: this.applyRole.name,
      roleArn: naming.roleArn(naming.ciRoleName('apply')),
      planRoleArn: naming.roleArn(naming.ciRoleName('plan')),
      boundaryArn: this.permissionsBoundaryArn,
      clusterAdminArns: config.platform.adminRoleArns,
      clusterReaderArns: config.platform.readOnlyRoleArns,
      deployRoleArnPattern: naming.roleArn(`${naming.roleName('deploy')}-*`),
      nodeRoleArn: naming.roleArn(naming.eksNodeRoleName),
      ciPolicyArnPattern: naming.policyArn(`${naming.name('ci')}-*`),
      oidcProviderArn: githubOidcProviderArn(naming),
      stateBucketArns: [naming.stateBucketsArnPattern],
      applicationSecretsArnPattern: naming.applicationSecretsArnPattern,
      managedObjectBuckets: this.managedObjectBuckets,
      creatableServiceLinkedRoleArns: CREATABLE_SERVICE_LINKED_ROLES.map((service) => naming.roleArn(`aws-service-role/${service}/*`)),
      deletableServiceLinkedRoleArns: ACCOUNT_SERVICES.map((service) => naming.roleArn(`aws-service-role/${service}/*`)),
      audit,
      assumeRoleArn: config.assumeRoleArn,
    });
  }

  /**
   * A multi-region trail of the account, unless the organization's already records it: the out-of-band
   * change alert needs a trail logging management events in the account's regions.
   */
  private accountTrail(): AuditTrail | undefined {
    const { config, naming } = this;
    const { audit } = config.observability;
    if (audit.organizationTrailArn) return undefined;
    return new AuditTrail(this, 'audit-trail', {
      trailName: naming.name('audit'),
      bucketName: naming.bucketName('audit'),
      accessLogBucketName: naming.bucketName('audit-logs'),
      keyAliasName: naming.name('audit'),
      accountId: config.accountId,
      region: config.region,
      keyAdministratorArns: config.platform.adminRoleArns,
      logRetentionDays: audit.logRetentionDays,
      accessLogRetentionDays: config.stateBackend.accessLogRetentionDays,
    });
  }

  /** The vaults every layer backs up into, locked as the tier's protection profile says (src/stacks/protection.ts). */
  private recoveryVaults(): BootstrapStack['recovery'] {
    const { config, naming } = this;
    const lock = this.protection.vaultLock;
    const recoveryAccount = config.recovery?.accountId;
    const keyStatements = recoveryAccount ? allowRecoveryAccountCopies(naming.partition, recoveryAccount) : [];
    const common = {
      name: naming.backupVaultName,
      accountId: config.accountId,
      partition: naming.partition,
      keyAdministratorArns: config.platform.adminRoleArns,
      lock,
      keyStatements,
    };
    const vault = new BackupVault(this, 'backup-vault', common);
    const recoveryVault = config.recovery && new BackupVault(this, 'backup-vault-recovery', { ...common, region: config.recovery.region });
    // Outside the boundary (bootstrap roles are not bounded): AWS Backup deletes expired snapshots and
    // shares them for cross-account copies with this role, which the boundary would deny. CI cannot
    // change it (the apply role writes only roles that carry the boundary).
    const role = new AwsServiceRole(this, 'backup-role', {
      roleName: naming.backupRoleName,
      description: `AWS Backup: backs up, copies, restores and restore-tests ${config.name}`,
      servicePrincipal: 'backup.amazonaws.com',
      accountId: config.accountId,
      // AWS Backup does not send aws:SourceAccount when it assumes its role (https://github.com/prowler-cloud/prowler/issues/2810).
      pinSourceAccount: false,
      managedPolicyArns: BACKUP_ROLE_MANAGED_POLICIES.map((policy) => naming.awsManagedPolicyArn(policy)),
    });
    return { vault, recoveryVault, role };
  }

  /**
   * A plan refreshes every resource, and two need more than ReadOnlyAccess: the ephemeral cache admin password
   * (GetRandomPassword, which reads nothing), and the in-VPC runner's GitHub connection, which the provider reads
   * under the `codeconnections` prefix that ReadOnlyAccess lacks (it has only `codestar-connections:*`, and "the
   * service prefix needs to match that of the resource": https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html).
   * The cache admin secrets' versions are write-only, which the provider refreshes with ListSecretVersionIds, never
   * GetSecretValue (hashicorp/aws since 6.26.0: hashicorp/terraform-provider-aws#44876), so no plan reads a secret value.
   */
  private planRefreshes(): PolicyStatement[] {
    return [
      { sid: 'EphemeralPasswords', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] },
      {
        sid: 'RefreshCodeConnections',
        actions: ['codeconnections:GetConnection', 'codeconnections:ListTagsForResource'],
        resources: [this.naming.arn('codeconnections', 'connection/*')],
      },
    ];
  }

  /** Buckets whose objects the layers write with Terraform: the origin-pull CA bundle's, public certificates. */
  private get managedObjectBuckets(): string[] {
    return [this.naming.originPullBucket];
  }

  /**
   * ReadOnlyAccess also reads data: objects, items, log events and files, images, search documents,
   * function code. Plans need none of it, and the plan role is usable from unreviewed pull-request code.
   */
  private noDataReads(): PolicyStatement[] {
    return [
      {
        // Refreshing an aws_s3_object reads it (HeadObject); the managed objects are public certificates.
        sid: 'NoObjectReadsButStateAndCaBundle',
        effect: 'Deny',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        notResources: [
          this.naming.s3Arn(this.naming.stateBucket, `${this.config.name}/*`),
          ...this.managedObjectBuckets.map((bucket) => this.naming.s3Arn(bucket, '*')),
        ],
      },
      { sid: 'NoSecretReads', effect: 'Deny', actions: [...SECRET_VALUE_READS], resources: ['*'] },
      {
        sid: 'NoDataReads',
        effect: 'Deny',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:GetRecords',
          'dynamodb:PartiQLSelect',
          'dynamodb:ExecuteStatement',
          'dynamodb:BatchExecuteStatement',
          'logs:GetLogEvents',
          'logs:FilterLogEvents',
          'logs:StartQuery',
          'logs:GetQueryResults',
          'logs:StartLiveTail',
          'logs:GetLogRecord',
          'rds:DownloadDBLogFilePortion',
          'rds:DownloadCompleteDBLogFile',
          'es:ESHttpGet',
          'es:ESHttpHead',
          'es:ESHttpPost',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'lambda:GetFunction',
          'sqs:ReceiveMessage',
          'kinesis:GetRecords',
        ],
        resources: ['*'],
      },
    ];
  }
}
