import { IamServiceLinkedRole } from '@cdktn/provider-aws/lib/iam-service-linked-role';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { GithubOidcProvider } from '../constructs/security/github-oidc';
import { GithubOidcRole } from '../constructs/security/github-oidc-role';
import type { PolicyStatement } from '../constructs/security/policy-document';
import { StateBackend } from '../constructs/storage/state-backend';
import { LayerStack } from './layer-stack';

/**
 * Service-linked roles that must exist before the layers that use them are applied. The apply role
 * may create the others (EKS, RDS, ElastiCache) on first use.
 */
export const ACCOUNT_SERVICE_LINKED_ROLES = ['autoscaling.amazonaws.com', 'opensearchservice.amazonaws.com'] as const;

/** What Terraform calls to manage roles, their policies and instance profiles; no wildcards. */
const IAM_ROLE_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
  'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:PassRole',
  'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies',
  'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole',
  'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile',
];
const IAM_POLICY_ACTIONS = [
  'iam:CreatePolicy', 'iam:DeletePolicy', 'iam:GetPolicy', 'iam:TagPolicy', 'iam:UntagPolicy',
  'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions',
];
const IAM_OIDC_PROVIDER_ACTIONS = [
  'iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider',
  'iam:UntagOpenIDConnectProvider', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
];

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

    const oidc = new GithubOidcProvider(this, 'github-oidc');
    const { organization, infraRepository } = config.project.github;

    this.planRole = new GithubOidcRole(this, 'ci-plan', {
      roleName: naming.roleName('ci-plan'),
      description: `Plans ${config.name} from pull requests and drift checks of ${organization}/${infraRepository}; read-only`,
      oidcProviderArn: oidc.arn,
      organization,
      repository: infraRepository,
      // Drift detection runs on the main branch with this read-only role.
      subjects: [{ pullRequest: true }, { branch: 'main' }],
      managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      statements: this.stateAccessStatements('read'),
    });

    this.applyRole = new GithubOidcRole(this, 'ci-apply', {
      roleName: naming.roleName('ci-apply'),
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

  /** Plans read state and take the lock; only applies write state. Both only for this environment's keys. */
  private stateAccessStatements(access: 'read' | 'write'): PolicyStatement[] {
    const bucketArn = `arn:aws:s3:::${this.naming.stateBucket}`;
    const stateObjects = `${bucketArn}/${this.config.name}/*`;
    return [
      { sid: 'StateList', actions: ['s3:ListBucket'], resources: [bucketArn] },
      { sid: 'StateRead', actions: ['s3:GetObject'], resources: [stateObjects] },
      ...(access === 'write' ? [{ sid: 'StateWrite', actions: ['s3:PutObject'], resources: [stateObjects] }] : []),
      // Terraform's S3 lock file is created and deleted next to the state object.
      { sid: 'StateLockFile', actions: ['s3:PutObject', 's3:DeleteObject'], resources: [`${bucketArn}/${this.config.name}/*.tflock`] },
      {
        sid: 'StateLockTable',
        actions: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.stateBackend.lockTable.arn],
      },
      { sid: 'StateKey', actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: [this.stateBackend.key.arn] },
    ];
  }

  private scopedIamStatements(): PolicyStatement[] {
    const iam = (resource: string) => `arn:aws:iam::${this.config.accountId}:${resource}`;
    const prefix = this.naming.prefix;
    return [
      {
        sid: 'ManagePlatformRoles',
        actions: IAM_ROLE_ACTIONS,
        resources: [iam(`role/${prefix}-*`), iam(`instance-profile/${prefix}-*`)],
      },
      { sid: 'ManagePlatformPolicies', actions: IAM_POLICY_ACTIONS, resources: [iam(`policy/${prefix}-*`)] },
      { sid: 'ManageGithubOidcProvider', actions: IAM_OIDC_PROVIDER_ACTIONS, resources: [iam('oidc-provider/token.actions.githubusercontent.com')] },
      {
        // Bootstrap manages the Auto Scaling and OpenSearch ones; EKS, RDS and ElastiCache create theirs on first use.
        sid: 'ManageServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:GetServiceLinkedRoleDeletionStatus', 'iam:GetRole'],
        resources: [iam('role/aws-service-role/*')],
      },
    ];
  }

}
