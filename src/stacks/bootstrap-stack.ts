import { IamServiceLinkedRole } from '@cdktn/provider-aws/lib/iam-service-linked-role';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { GithubOidcProvider } from '../constructs/security/github-oidc';
import { GithubOidcRole } from '../constructs/security/github-oidc-role';
import { PermissionsBoundary } from '../constructs/security/permissions-boundary';
import type { PolicyStatement } from '../constructs/security/policy-document';
import { StateBackend } from '../constructs/storage/state-backend';
import { LayerStack } from './layer-stack';

/**
 * Service-linked roles that must exist before the layers that use them are applied. The apply role
 * may create the others (EKS, RDS, ElastiCache) on first use.
 */
export const ACCOUNT_SERVICE_LINKED_ROLES = ['autoscaling.amazonaws.com', 'opensearchservice.amazonaws.com'] as const;

/**
 * Service-linked roles the apply role may create when a service first needs one; only those
 * bootstrap manages may it delete.
 */
const CREATABLE_SERVICE_LINKED_ROLES = [...ACCOUNT_SERVICE_LINKED_ROLES, 'eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'rds.amazonaws.com', 'elasticache.amazonaws.com', 'elasticloadbalancing.amazonaws.com'];

/** Role writes that IAM can tie to a permissions boundary (condition key iam:PermissionsBoundary). */
const BOUNDED_ROLE_WRITES = ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary'];
/** The rest of what Terraform calls to manage roles and instance profiles; no wildcards. */
const OTHER_ROLE_ACTIONS = [
  'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
  'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:PassRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile',
  'iam:UntagInstanceProfile', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions',
];
const IAM_OIDC_PROVIDER_READS = ['iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviderTags'];

/**
 * The first layer of an environment, applied by hand once with local state: the state backend every
 * other layer uses, and the identities CI uses to plan and apply them.
 */
export class BootstrapStack extends LayerStack {
  readonly stateBackend: StateBackend;
  readonly planRole: GithubOidcRole;
  readonly applyRole: GithubOidcRole;

  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config, 'bootstrap');
    const { naming } = this;
    this.stateBackend = new StateBackend(this, 'state', {
      accountId: config.accountId,
      stateBucketName: naming.stateBucket,
      accessLogBucketName: naming.bucketName('tfstate-logs'),
      lockTableName: naming.stateLockTable,
      keyAliasName: naming.stateKeyAlias.replace(/^alias\//, ''),
      noncurrentVersionRetentionDays: config.stateBackend.noncurrentVersionRetentionDays,
      accessLogRetentionDays: config.stateBackend.accessLogRetentionDays,
    });

    // Account-wide singletons the later layers rely on: the platform key names the Auto Scaling role
    // (KMS accepts only existing principals), and OpenSearch needs its role to place a domain in a VPC.
    for (const service of ACCOUNT_SERVICE_LINKED_ROLES) {
      new IamServiceLinkedRole(this, `service-linked-role-${service.split('.')[0]}`, { awsServiceName: service });
    }

    new PermissionsBoundary(this, 'permissions-boundary', { policyName: naming.permissionsBoundaryName });
    const oidc = new GithubOidcProvider(this, 'github-oidc');
    const { organization, infraRepository } = config.project.github;

    this.planRole = new GithubOidcRole(this, 'ci-plan', {
      roleName: naming.ciRoleName('plan'),
      description: `Plans ${config.name} from pull requests and drift checks of ${organization}/${infraRepository}; read-only`,
      oidcProviderArn: oidc.arn,
      organization,
      repository: infraRepository,
      // Drift detection runs on the main branch with this read-only role.
      subjects: [{ pullRequest: true }, { branch: 'main' }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      statements: [...this.stateAccessStatements('read'), ...this.noDataReads()],
    });

    this.applyRole = new GithubOidcRole(this, 'ci-apply', {
      roleName: naming.ciRoleName('apply'),
      description: `Applies ${config.name} from the main branch of ${organization}/${infraRepository} through the "${config.ci.applyEnvironment}" GitHub environment`,
      oidcProviderArn: oidc.arn,
      organization,
      repository: infraRepository,
      subjects: [{ environment: config.ci.applyEnvironment }],
      maxSessionDuration: 7200,
      // PowerUserAccess covers every service but IAM and Organizations; IAM is granted below, only
      // for names inside this environment's prefix, so CI cannot mint identities outside the platform.
      managedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      statements: [...this.stateAccessStatements('write'), ...this.scopedIamStatements()],
    });
  }

  /**
   * Plans only read state (they run with -lock=false and are never applied); applies also write it
   * and take the lock. Both only for this environment's keys.
   */
  private stateAccessStatements(access: 'read' | 'write'): PolicyStatement[] {
    const bucketArn = `arn:aws:s3:::${this.naming.stateBucket}`;
    const stateObjects = `${bucketArn}/${this.config.name}/*`;
    const list: PolicyStatement = { sid: 'StateList', actions: ['s3:ListBucket'], resources: [bucketArn] };
    if (access === 'read') {
      return [
        list,
        { sid: 'StateRead', actions: ['s3:GetObject'], resources: [stateObjects] },
        { sid: 'StateKey', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [this.stateBackend.key.arn] },
      ];
    }
    return [
      list,
      { sid: 'StateReadWrite', actions: ['s3:GetObject', 's3:PutObject'], resources: [stateObjects] },
      // Terraform's S3 lock file is created and deleted next to the state object.
      { sid: 'StateLockFile', actions: ['s3:DeleteObject'], resources: [`${bucketArn}/${this.config.name}/*.tflock`] },
      {
        sid: 'StateLockTable',
        actions: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.stateBackend.lockTable.arn],
      },
      { sid: 'StateKey', actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: [this.stateBackend.key.arn] },
    ];
  }

  /**
   * ReadOnlyAccess also reads data: objects, items, log events, images. Plans need none of it, and the
   * plan role is usable from unreviewed pull-request code.
   */
  private noDataReads(): PolicyStatement[] {
    return [
      { sid: 'NoObjectReadsButState', effect: 'Deny', actions: ['s3:GetObject', 's3:GetObjectVersion'], notResources: [`arn:aws:s3:::${this.naming.stateBucket}/${this.config.name}/*`] },
      {
        sid: 'NoDataReads',
        effect: 'Deny',
        actions: [
          'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:GetRecords',
          'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:GetQueryResults', 'logs:StartLiveTail', 'logs:GetLogRecord',
          'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'secretsmanager:GetSecretValue', 'sqs:ReceiveMessage', 'kinesis:GetRecords',
        ],
        resources: ['*'],
      },
    ];
  }

  private scopedIamStatements(): PolicyStatement[] {
    const iam = (resource: string) => `arn:aws:iam::${this.config.accountId}:${resource}`;
    const prefix = this.naming.prefix;
    const boundary = iam(`policy/${this.naming.permissionsBoundaryName}`);
    const platformRoles = [iam(`role/${prefix}-*`), iam(`instance-profile/${prefix}-*`)];
    const bootstrapOwned = [iam(`role/${this.naming.roleName('ci')}-*`), boundary, iam('oidc-provider/token.actions.githubusercontent.com')];
    return [
      // Permissions of platform roles can only change while the role carries the boundary, so no role
      // the apply role writes can hold more than the boundary allows (no identity changes).
      { sid: 'WritePlatformRolesWithinBoundary', actions: BOUNDED_ROLE_WRITES, resources: platformRoles, conditions: { StringEquals: { 'iam:PermissionsBoundary': boundary } } },
      { sid: 'ManagePlatformRoles', actions: OTHER_ROLE_ACTIONS, resources: [...platformRoles, boundary] },
      { sid: 'ReadGithubOidcProvider', actions: IAM_OIDC_PROVIDER_READS, resources: [iam('oidc-provider/token.actions.githubusercontent.com')] },
      {
        sid: 'CreateServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole', 'iam:GetRole'],
        resources: CREATABLE_SERVICE_LINKED_ROLES.map((service) => iam(`role/aws-service-role/${service}/*`)),
      },
      {
        sid: 'DeleteBootstrapServiceLinkedRoles',
        actions: ['iam:DeleteServiceLinkedRole', 'iam:GetServiceLinkedRoleDeletionStatus'],
        resources: ACCOUNT_SERVICE_LINKED_ROLES.map((service) => iam(`role/aws-service-role/${service}/*`)),
      },
      {
        // CI never changes its own identities or the boundary: an administrator applies those (README).
        sid: 'NoChangesToCiIdentitiesOrBoundary',
        effect: 'Deny',
        actions: [...BOUNDED_ROLE_WRITES, 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy', 'iam:DeleteOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider'],
        resources: bootstrapOwned,
      },
      { sid: 'NoBoundaryRemoval', effect: 'Deny', actions: ['iam:DeleteRolePermissionsBoundary'], resources: ['*'] },
    ];
  }
}
