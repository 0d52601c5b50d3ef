import { IamPolicy } from '@cdktn/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktn/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { ACCESS_POLICIES } from '../compute/eks-cluster';
import { invalidProp } from '../invalid-prop';
import {
  auditRecordDenies,
  CLUSTER_ACCESS_ACTIONS,
  IAM_WRITE_ACTIONS,
  ORGANIZATION_ACTIONS,
  recoveryAndKeyDenies,
  type AuditRecord,
  SECRET_VALUE_READS,
} from './guardrails';
import { KEY_USE_ACTIONS } from './kms-key';
import { managedPolicyDocument, type PolicyStatement } from './policy-document';
import { eksAccessPolicyArn, formatArn, partitionOf, iamArn, s3Arn } from '../../naming';

/**
 * Services the apply role may pass a platform role to (condition key iam:PassedToService,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService).
 * Never ec2.amazonaws.com: an instance carrying a platform role would be a way around this policy.
 */
const PASSABLE_TO_SERVICES = [
  'eks.amazonaws.com',
  'pods.eks.amazonaws.com',
  'monitoring.rds.amazonaws.com',
  'vpc-flow-logs.amazonaws.com',
  'backup.amazonaws.com',
  'codebuild.amazonaws.com',
  's3.amazonaws.com',
  // The out-of-band change alert's cross-region forwarder, and the alarm topic's Slack channel.
  'events.amazonaws.com',
  'chatbot.amazonaws.com',
] as const;

/** Role writes that IAM can tie to a permissions boundary (condition key iam:PermissionsBoundary). */
const BOUNDED_ROLE_WRITES = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];
/** The rest of what Terraform calls to manage roles and instance profiles; no trust or deletion changes. */
const OTHER_ROLE_ACTIONS = [
  'iam:GetRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:AddRoleToInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:UntagInstanceProfile',
];

export interface CiApplyPermissionsProps {
  /** `<project>-<env>`: every name the apply role may manage starts with it. */
  readonly prefix: string;
  /** Values of the Project and Environment default tags, which every resource (keys included) carries. */
  readonly project: string;
  readonly environment: string;
  /** `/<project>/<env>/`: log groups and SSM parameters of the environment. */
  readonly pathPrefix: string;
  readonly accountId: string;
  /** The home region and, if configured, the recovery region; requests elsewhere are not allowed. */
  readonly regions: readonly string[];
  /** The role the policies are attached to. */
  readonly roleName: string;
  readonly roleArn: string;
  readonly planRoleArn: string;
  /** The permissions boundary every role the apply role writes must carry. */
  readonly boundaryArn: string;
  /** Cluster administrators and read-only principals (config platform.adminRoleArns / readOnlyRoleArns). */
  readonly clusterAdminArns: readonly string[];
  readonly clusterReaderArns: readonly string[];
  /** ARN pattern of the services' deploy roles, whose access entries map them to Kubernetes groups only. */
  readonly deployRoleArnPattern: string;
  /** The EKS Auto Mode node role, whose access entry (type EC2) carries AmazonEKSAutoNodePolicy. */
  readonly nodeRoleArn: string;
  /**
   * The CI roles' policies (`<prefix>-ci-*`), which CI must never change, like the CI roles themselves (`roleArn`,
   * `planRoleArn`). The roles are named exactly: a pattern would also cover the platform's roles named `…-ci-…`
   * (the in-VPC runner's), which CI creates.
   */
  readonly ciPolicyArnPattern: string;
  readonly oidcProviderArn: string;
  /**
   * ARNs or ARN patterns covering the state bucket, its replica and their access-log buckets: their history, logging
   * and protection are administrator-only.
   */
  readonly stateBucketArns: readonly string[];
  /** ARN pattern of the services' application secrets (`Naming.applicationSecretsArnPattern`), with their resource policies. */
  readonly applicationSecretsArnPattern: string;
  /** Buckets whose objects Terraform writes (the edge layer's origin-pull CA bundle); no other object is CI's to write. */
  readonly managedObjectBuckets: readonly string[];
  /** Service-linked roles the apply role may create / delete (ARN patterns). */
  readonly creatableServiceLinkedRoleArns: readonly string[];
  readonly deletableServiceLinkedRoleArns: readonly string[];
  /**
   * The account's audit trail and its bucket, which CI may read but never change (an administrator does).
   * @default - none: the organization's trail records the account
   */
  readonly audit?: AuditRecord;
  /**
   * The role the provider assumes (config `assumeRoleArn`): the only role the apply role may assume.
   * @default - none: the apply role assumes no role
   */
  readonly assumeRoleArn?: string;
}

/**
 * The CI apply role's permissions, replacing the AWS-managed PowerUserAccess: per service, the
 * actions Terraform uses for the resource types the layers manage, scoped by name prefix where the
 * ARN carries the name and by region (and tag, for KMS keys) where it carries only an id; and a
 * separate policy of explicit denies for everything that would erase or take over the platform.
 * They are customer-managed policies (at most 6,144 characters each, and 10 per role by default:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), which only an
 * administrator can change (the guardrails deny CI every write to `<prefix>-ci-*`).
 */
export class CiApplyPermissions extends Construct {
  readonly policies: ReadonlyMap<string, IamPolicy>;

  constructor(scope: Construct, id: string, props: CiApplyPermissionsProps) {
    super(scope, id);
    const owner = `CiApplyPermissions ${props.prefix}`;
    if (props.regions.length === 0) invalidProp(owner, 'regions', 'at least the home region', props.regions);
    const policies = new Map<string, IamPolicy>();
    for (const [group, statements] of Object.entries(ciApplyPolicyGroups(props))) {
      const policy = new IamPolicy(this, group, {
        name: `${props.prefix}-ci-apply-${group}`,
        description: `CI apply role of ${props.prefix}: ${group}`,
        policy: managedPolicyDocument(owner, `policy ${group}`, statements),
      });
      new IamRolePolicyAttachment(this, `${group}-attachment`, { role: props.roleName, policyArn: policy.arn });
      policies.set(group, policy);
    }
    this.policies = policies;
  }
}

/** The partition of every ARN the policies name: the home region's (the first of `regions`). */
function homePartition(props: CiApplyPermissionsProps): string {
  return partitionOf(props.regions[0]!);
}

/** The statements of each managed policy, by policy suffix. */
function ciApplyPolicyGroups(props: CiApplyPermissionsProps): Record<string, PolicyStatement[]> {
  const { prefix, accountId } = props;
  const partition = homePartition(props);
  const inRegions = { StringEquals: { 'aws:RequestedRegion': [...props.regions] } };
  const arn = (service: string, resource: string, region = '*') => formatArn(partition, service, region, accountId, resource);
  const iam = (resource: string) => iamArn(partition, accountId, resource);
  return {
    network: [
      {
        // An interface endpoint with private DNS associates the VPC with the service's private hosted zone, which AWS
        // owns and names; the caller needs this dependent action of ec2:CreateVpcEndpoint (Service Authorization
        // Reference, Amazon EC2). Route 53 ARNs carry no region or account.
        sid: 'EndpointPrivateDns',
        actions: ['route53:AssociateVPCWithHostedZone'],
        resources: [formatArn(partition, 'route53', '', '', 'hostedzone/*')],
      },
      {
        // EC2 networking ARNs carry ids, not names: scoped to this account and its regions.
        sid: 'Networking',
        actions: [
          'ec2:Describe*',
          'ec2:CreateVpc',
          'ec2:DeleteVpc',
          'ec2:ModifyVpcAttribute',
          'ec2:CreateSubnet',
          'ec2:DeleteSubnet',
          'ec2:ModifySubnetAttribute',
          'ec2:CreateInternetGateway',
          'ec2:DeleteInternetGateway',
          'ec2:AttachInternetGateway',
          'ec2:DetachInternetGateway',
          'ec2:AllocateAddress',
          'ec2:ReleaseAddress',
          'ec2:DisassociateAddress',
          'ec2:CreateNatGateway',
          'ec2:DeleteNatGateway',
          'ec2:CreateRouteTable',
          'ec2:DeleteRouteTable',
          'ec2:CreateRoute',
          'ec2:DeleteRoute',
          'ec2:ReplaceRoute',
          'ec2:AssociateRouteTable',
          'ec2:ReplaceRouteTableAssociation',
          'ec2:DisassociateRouteTable',
          'ec2:CreateSecurityGroup',
          'ec2:DeleteSecurityGroup',
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress',
          'ec2:RevokeSecurityGroupEgress',
          'ec2:ModifySecurityGroupRules',
          'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
          'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
          'ec2:CreateVpcEndpoint',
          'ec2:DeleteVpcEndpoints',
          'ec2:ModifyVpcEndpoint',
          'ec2:CreateFlowLogs',
          'ec2:DeleteFlowLogs',
          'ec2:CreateLaunchTemplate',
          'ec2:CreateLaunchTemplateVersion',
          'ec2:DeleteLaunchTemplate',
          'ec2:ModifyLaunchTemplate',
          'ec2:CreateTags',
          'ec2:DeleteTags',
        ],
        resources: ['*'],
        conditions: inRegions,
      },
      { sid: 'LoadBalancerReads', actions: ['elasticloadbalancing:Describe*'], resources: ['*'] },
      {
        sid: 'LoadBalancers',
        actions: [
          'elasticloadbalancing:CreateLoadBalancer',
          'elasticloadbalancing:DeleteLoadBalancer',
          'elasticloadbalancing:ModifyLoadBalancerAttributes',
          'elasticloadbalancing:SetSecurityGroups',
          'elasticloadbalancing:SetSubnets',
          'elasticloadbalancing:SetIpAddressType',
          'elasticloadbalancing:CreateTargetGroup',
          'elasticloadbalancing:DeleteTargetGroup',
          'elasticloadbalancing:ModifyTargetGroup',
          'elasticloadbalancing:ModifyTargetGroupAttributes',
          'elasticloadbalancing:CreateListener',
          'elasticloadbalancing:DeleteListener',
          'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:ModifyListenerAttributes',
          'elasticloadbalancing:CreateRule',
          'elasticloadbalancing:DeleteRule',
          'elasticloadbalancing:ModifyRule',
          'elasticloadbalancing:SetRulePriorities',
          // The mutual-TLS trust store of the HTTPS listener (edge layer).
          'elasticloadbalancing:CreateTrustStore',
          'elasticloadbalancing:ModifyTrustStore',
          'elasticloadbalancing:DeleteTrustStore',
          'elasticloadbalancing:AddTags',
          'elasticloadbalancing:RemoveTags',
        ],
        resources: ['loadbalancer/app', 'listener/app', 'listener-rule/app', 'targetgroup', 'truststore'].map((kind) =>
          arn('elasticloadbalancing', `${kind}/${prefix}-*`),
        ),
      },
      {
        sid: 'Certificates',
        actions: [
          'acm:RequestCertificate',
          'acm:DeleteCertificate',
          'acm:DescribeCertificate',
          'acm:ListCertificates',
          'acm:AddTagsToCertificate',
          'acm:RemoveTagsFromCertificate',
          'acm:ListTagsForCertificate',
        ],
        resources: ['*'],
        conditions: inRegions,
      },
      { sid: 'Caller', actions: ['sts:GetCallerIdentity'], resources: ['*'] },
    ],
    compute: [
      { sid: 'EksReads', actions: ['eks:Describe*', 'eks:List*'], resources: ['*'] },
      {
        sid: 'EksClusters',
        actions: [
          'eks:CreateCluster',
          'eks:DeleteCluster',
          'eks:UpdateClusterConfig',
          'eks:UpdateClusterVersion',
          'eks:AssociateEncryptionConfig',
          'eks:CreateNodegroup',
          'eks:DeleteNodegroup',
          'eks:UpdateNodegroupConfig',
          'eks:UpdateNodegroupVersion',
          'eks:CreateAddon',
          'eks:DeleteAddon',
          'eks:UpdateAddon',
          'eks:CreatePodIdentityAssociation',
          'eks:DeletePodIdentityAssociation',
          'eks:UpdatePodIdentityAssociation',
          'eks:TagResource',
          'eks:UntagResource',
        ],
        // An access entry's tags change through TagResource on the entry itself.
        resources: ['cluster', 'nodegroup', 'addon', 'podidentityassociation', 'access-entry'].map((kind) =>
          arn('eks', kind === 'cluster' ? `cluster/${prefix}-*` : `${kind}/${prefix}-*/*`),
        ),
      },
      {
        // Access entries only for the principals config and this repository name; eks:principalArn
        // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html).
        // The plan and deploy roles get entries without access policies (Kubernetes groups); cluster admin
        // only for platform.adminRoleArns and this role itself, which applies the cluster layer (RBAC,
        // namespaces, cluster-scoped objects: what only a cluster admin may create).
        sid: 'AccessEntriesForKnownPrincipals',
        actions: ['eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:DeleteAccessEntry'],
        resources: [arn('eks', `cluster/${prefix}-*`), arn('eks', `access-entry/${prefix}-*/*`)],
        conditions: {
          ArnLike: {
            'eks:principalArn': accessEntryPrincipals(props),
          },
        },
      },
      ...accessPolicyStatements(props, arn),
      {
        sid: 'ImageRepositories',
        actions: [
          'ecr:CreateRepository',
          'ecr:DeleteRepository',
          'ecr:DescribeRepositories',
          'ecr:PutLifecyclePolicy',
          'ecr:GetLifecyclePolicy',
          'ecr:DeleteLifecyclePolicy',
          'ecr:PutImageScanningConfiguration',
          'ecr:PutImageTagMutability',
          'ecr:GetRepositoryPolicy',
          'ecr:TagResource',
          'ecr:UntagResource',
          'ecr:ListTagsForResource',
        ],
        resources: [arn('ecr', `repository/${prefix}-*`)],
      },
      {
        sid: 'ContractParameters',
        actions: [
          'ssm:PutParameter',
          'ssm:DeleteParameter',
          'ssm:GetParameter',
          'ssm:GetParameters',
          'ssm:AddTagsToResource',
          'ssm:RemoveTagsFromResource',
          'ssm:ListTagsForResource',
        ],
        resources: [arn('ssm', `parameter${props.pathPrefix}*`)],
      },
      { sid: 'ParameterReads', actions: ['ssm:DescribeParameters'], resources: ['*'] },
      {
        sid: 'LogGroups',
        actions: [
          'logs:CreateLogGroup',
          'logs:DeleteLogGroup',
          'logs:PutRetentionPolicy',
          'logs:DeleteRetentionPolicy',
          'logs:AssociateKmsKey',
          'logs:DisassociateKmsKey',
          'logs:TagResource',
          'logs:UntagResource',
          'logs:ListTagsForResource',
          'logs:TagLogGroup',
          'logs:ListTagsLogGroup',
        ],
        resources: [
          `/aws/eks/${prefix}-`,
          `/aws/rds/instance/${prefix}-`,
          `/aws/codebuild/${prefix}-`,
          `/aws/containerinsights/${prefix}-`,
          props.pathPrefix,
        ].map((name) => arn('logs', `log-group:${name}*`)),
      },
      {
        // Account-level: the resource policy OpenSearch publishes through, and the vended-log deliveries
        // ElastiCache sets up (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html).
        sid: 'LogDeliveries',
        actions: [
          'logs:DescribeLogGroups',
          'logs:DescribeResourcePolicies',
          'logs:PutResourcePolicy',
          'logs:DeleteResourcePolicy',
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
        ],
        resources: ['*'],
      },
      {
        sid: 'BuildRunners',
        actions: [
          'codebuild:CreateProject',
          'codebuild:DeleteProject',
          'codebuild:UpdateProject',
          'codebuild:BatchGetProjects',
          'codebuild:CreateWebhook',
          'codebuild:DeleteWebhook',
          'codebuild:UpdateWebhook',
        ],
        resources: [arn('codebuild', `project/${prefix}-*`)],
      },
      {
        sid: 'BuildConnections',
        actions: [
          'codebuild:ImportSourceCredentials',
          'codebuild:DeleteSourceCredentials',
          'codebuild:ListSourceCredentials',
          'codeconnections:CreateConnection',
          'codeconnections:DeleteConnection',
          'codeconnections:GetConnection',
          'codeconnections:ListConnections',
          'codeconnections:PassConnection',
          'codeconnections:TagResource',
          'codeconnections:UntagResource',
          'codeconnections:ListTagsForResource',
        ],
        resources: ['*'],
        conditions: inRegions,
      },
    ],
    data: [
      {
        sid: 'Postgres',
        actions: [
          'rds:CreateDBInstance',
          'rds:ModifyDBInstance',
          'rds:RebootDBInstance',
          'rds:CreateDBSnapshot',
          'rds:CreateDBParameterGroup',
          'rds:DeleteDBParameterGroup',
          'rds:ModifyDBParameterGroup',
          'rds:ResetDBParameterGroup',
          'rds:CreateDBSubnetGroup',
          'rds:DeleteDBSubnetGroup',
          'rds:ModifyDBSubnetGroup',
          'rds:AddTagsToResource',
          'rds:RemoveTagsFromResource',
          'rds:ListTagsForResource',
        ],
        resources: ['db', 'pg', 'subgrp', 'snapshot'].map((kind) => arn('rds', `${kind}:${prefix}-*`)).concat(arn('rds', 'og:default*')),
      },
      {
        sid: 'DataReads',
        actions: ['rds:Describe*', 'elasticache:Describe*', 'es:Describe*', 'es:List*', 'es:Get*', 'dynamodb:Describe*', 'dynamodb:List*'],
        resources: ['*'],
      },
      {
        sid: 'Cache',
        actions: [
          'elasticache:CreateReplicationGroup',
          'elasticache:DeleteReplicationGroup',
          'elasticache:ModifyReplicationGroup',
          'elasticache:IncreaseReplicaCount',
          'elasticache:DecreaseReplicaCount',
          'elasticache:CreateSnapshot',
          'elasticache:CreateCacheCluster',
          'elasticache:DeleteCacheCluster',
          'elasticache:ModifyCacheCluster',
          'elasticache:CreateCacheParameterGroup',
          'elasticache:DeleteCacheParameterGroup',
          'elasticache:ModifyCacheParameterGroup',
          'elasticache:ResetCacheParameterGroup',
          'elasticache:CreateCacheSubnetGroup',
          'elasticache:DeleteCacheSubnetGroup',
          'elasticache:ModifyCacheSubnetGroup',
          'elasticache:CreateUser',
          'elasticache:DeleteUser',
          'elasticache:ModifyUser',
          'elasticache:CreateUserGroup',
          'elasticache:DeleteUserGroup',
          'elasticache:ModifyUserGroup',
          'elasticache:AddTagsToResource',
          'elasticache:RemoveTagsFromResource',
          'elasticache:ListTagsForResource',
        ],
        resources: ['replicationgroup', 'cluster', 'parametergroup', 'subnetgroup', 'user', 'usergroup', 'snapshot'].map((kind) =>
          arn('elasticache', `${kind}:${prefix}-*`),
        ),
      },
      {
        sid: 'Search',
        actions: ['es:CreateDomain', 'es:DeleteDomain', 'es:UpdateDomainConfig', 'es:UpgradeDomain', 'es:AddTags', 'es:RemoveTags'],
        resources: [arn('es', `domain/${prefix}-*`)],
      },
      {
        // The versions Terraform writes are write-only, which the provider reads back with ListSecretVersionIds, not
        // GetSecretValue (hashicorp/terraform-provider-aws#44876): CI reads no secret value. rds!db-* is the master
        // secret RDS creates with the caller's permissions.
        sid: 'Secrets',
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:DescribeSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecret',
          'secretsmanager:ListSecretVersionIds',
          'secretsmanager:GetResourcePolicy',
          'secretsmanager:RestoreSecret',
          'secretsmanager:TagResource',
          'secretsmanager:UntagResource',
          'secretsmanager:RotateSecret',
        ],
        resources: [
          arn('secretsmanager', `secret:${prefix}-*`),
          arn('secretsmanager', 'secret:rds!db-*'),
          props.applicationSecretsArnPattern,
        ],
      },
      {
        // Each application secret's resource policy (aws_secretsmanager_secret_policy) keeps its value to its readers.
        sid: 'ApplicationSecretPolicies',
        actions: ['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy'],
        resources: [props.applicationSecretsArnPattern],
      },
      { sid: 'RandomPasswords', actions: ['secretsmanager:GetRandomPassword', 'secretsmanager:ListSecrets'], resources: ['*'] },
      {
        sid: 'LockTable',
        actions: [
          'dynamodb:CreateTable',
          'dynamodb:UpdateTable',
          'dynamodb:UpdateContinuousBackups',
          'dynamodb:TagResource',
          'dynamodb:UntagResource',
        ],
        resources: [arn('dynamodb', `table/${prefix}-*`)],
      },
      {
        sid: 'Buckets',
        actions: [
          's3:CreateBucket',
          's3:DeleteBucket',
          's3:ListBucket',
          's3:Get*',
          's3:PutBucket*',
          's3:DeleteBucketPolicy',
          's3:PutEncryptionConfiguration',
          's3:PutLifecycleConfiguration',
          's3:PutReplicationConfiguration',
        ],
        resources: [s3Arn(partition, `${prefix}-*`)],
      },
      { sid: 'BucketReads', actions: ['s3:ListAllMyBuckets', 's3:GetBucketLocation'], resources: ['*'] },
      {
        // aws_s3_object: PutObject carries the default tags (PutObjectTagging); a refresh is HeadObject (GetObject).
        sid: 'ManagedObjects',
        // In a versioned bucket the provider deletes an object by deleting each of its versions (ListBucketVersions).
        actions: [
          's3:PutObject',
          's3:PutObjectTagging',
          's3:GetObject',
          's3:GetObjectTagging',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        resources: props.managedObjectBuckets.map((bucket) => s3Arn(partition, `${bucket}/*`)),
      },
      {
        sid: 'ManagedObjectVersions',
        actions: ['s3:ListBucketVersions'],
        resources: props.managedObjectBuckets.map((bucket) => s3Arn(partition, bucket)),
      },
      {
        sid: 'Email',
        actions: [
          // The SESv2 domain identity (its default configuration set and MAIL FROM) the edge layer manages.
          'ses:CreateEmailIdentity',
          'ses:DeleteEmailIdentity',
          'ses:GetEmailIdentity',
          'ses:ListEmailIdentities',
          'ses:PutEmailIdentityConfigurationSetAttributes',
          'ses:PutEmailIdentityMailFromAttributes',
          'ses:PutEmailIdentityDkimAttributes',
          'ses:CreateConfigurationSet',
          'ses:DeleteConfigurationSet',
          'ses:GetConfigurationSet',
          'ses:PutConfigurationSet*',
          'ses:CreateConfigurationSetEventDestination',
          'ses:UpdateConfigurationSetEventDestination',
          'ses:DeleteConfigurationSetEventDestination',
          'ses:GetConfigurationSetEventDestinations',
          'ses:TagResource',
          'ses:UntagResource',
          'ses:ListTagsForResource',
        ],
        resources: ['*'],
        conditions: inRegions,
      },
    ],
    recovery: [
      {
        // Key ARNs carry ids: keys are created with, and used by, the environment's default tags. CreateKey with tags
        // also needs TagResource "in an IAM policy ... that covers all KMS keys in the account and Region"
        // (https://docs.aws.amazon.com/kms/latest/developerguide/manage-tags-api.html), so both are on "*": the
        // environment's tags only, and never on a key another environment or project has tagged (a key being created
        // has no tags yet).
        sid: 'CreateKeysTagged',
        actions: ['kms:CreateKey', 'kms:TagResource'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:RequestedRegion': [...props.regions],
            'aws:RequestTag/Project': props.project,
            'aws:RequestTag/Environment': props.environment,
          },
          StringEqualsIfExists: { 'aws:ResourceTag/Project': props.project, 'aws:ResourceTag/Environment': props.environment },
        },
      },
      { sid: 'KeyReads', actions: ['kms:ListKeys', 'kms:ListAliases'], resources: ['*'] },
      // The key policies allow IAM only these (KEY_USE_ACTIONS), and only on the environment's keys.
      {
        sid: 'UseOwnKeys',
        actions: KEY_USE_ACTIONS,
        resources: [arn('kms', 'key/*')],
        conditions: { StringEquals: { 'aws:ResourceTag/Project': props.project, 'aws:ResourceTag/Environment': props.environment } },
      },
      {
        sid: 'OwnKeyAliases',
        actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'],
        resources: [arn('kms', `alias/${prefix}-*`)],
      },
      {
        sid: 'GrantsForAwsResources',
        actions: ['kms:CreateGrant'],
        resources: [arn('kms', 'key/*')],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      {
        sid: 'BackupPlans',
        actions: [
          'backup:CreateBackupPlan',
          'backup:UpdateBackupPlan',
          'backup:DeleteBackupPlan',
          'backup:GetBackupPlan',
          'backup:CreateBackupSelection',
          'backup:DeleteBackupSelection',
          'backup:GetBackupSelection',
          'backup:ListBackupSelections',
          'backup:ListBackupPlans',
          'backup:CreateRestoreTestingPlan',
          'backup:UpdateRestoreTestingPlan',
          'backup:DeleteRestoreTestingPlan',
          'backup:GetRestoreTestingPlan',
          'backup:CreateRestoreTestingSelection',
          'backup:UpdateRestoreTestingSelection',
          'backup:DeleteRestoreTestingSelection',
          'backup:GetRestoreTestingSelection',
          'backup:ListRestoreTestingSelections',
          'backup:TagResource',
          'backup:UntagResource',
          'backup:ListTags',
        ],
        resources: ['*'],
        conditions: inRegions,
      },
      {
        sid: 'BackupVaults',
        actions: ['backup:CreateBackupVault', 'backup:DescribeBackupVault', 'backup:GetBackupVaultAccessPolicy'],
        resources: [arn('backup', `backup-vault:${prefix}-*`)],
      },
      // CreateBackupVault also needs backup-storage:MountCapsule, which has no resource type.
      { sid: 'BackupStorage', actions: ['backup-storage:MountCapsule'], resources: ['*'] },
    ],
    iam: [
      // Permissions of platform roles can only change while the role carries the boundary, so no role
      // the apply role writes can hold more than the boundary allows.
      {
        sid: 'WritePlatformRolesWithinBoundary',
        actions: BOUNDED_ROLE_WRITES,
        resources: [iam(`role/${prefix}-*`)],
        conditions: { StringEquals: { 'iam:PermissionsBoundary': props.boundaryArn } },
      },
      {
        sid: 'ManagePlatformRoles',
        actions: OTHER_ROLE_ACTIONS,
        resources: [iam(`role/${prefix}-*`), iam(`instance-profile/${prefix}-*`)],
      },
      {
        sid: 'PassPlatformRolesToServices',
        actions: ['iam:PassRole'],
        resources: [iam(`role/${prefix}-*`)],
        conditions: { StringEquals: { 'iam:PassedToService': [...PASSABLE_TO_SERVICES] } },
      },
      {
        sid: 'ReadGithubOidcProvider',
        actions: ['iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviderTags'],
        resources: [props.oidcProviderArn],
      },
      // Refreshing the bootstrap layer reads its managed policies (the guardrails deny writing them).
      {
        sid: 'ReadBootstrapPolicies',
        actions: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:ListPolicyTags'],
        resources: [props.ciPolicyArnPattern, props.boundaryArn],
      },
      {
        sid: 'CreateServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole', 'iam:GetRole'],
        resources: [...props.creatableServiceLinkedRoleArns],
      },
      {
        sid: 'DeleteBootstrapServiceLinkedRoles',
        actions: ['iam:DeleteServiceLinkedRole', 'iam:GetServiceLinkedRoleDeletionStatus'],
        resources: [...props.deletableServiceLinkedRoleArns],
      },
    ],
    observability: observabilityStatements(props, arn),
    // The denies it shares with the permissions boundary, and its own.
    'guardrails-recovery': [...recoveryAndKeyDenies(props.stateBucketArns), ...(props.audit ? auditRecordDenies(props.audit) : [])],
    guardrails: ciApplyDenies(props),
  };
}

/**
 * Alarms, dashboards, the alarm topic and its subscriptions, budgets, EventBridge rules (in any region:
 * the out-of-band change alert forwards from us-east-1) and the Slack channel, all by the environment's
 * name prefix; reads of the audit trail, which the guardrails keep CI from changing.
 */
function observabilityStatements(props: CiApplyPermissionsProps, arn: (service: string, resource: string) => string): PolicyStatement[] {
  const { prefix, accountId } = props;
  const global = (service: string, resource: string) => formatArn(homePartition(props), service, '', accountId, resource);
  return [
    {
      sid: 'Alarms',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:UntagResource',
        'cloudwatch:ListTagsForResource',
      ],
      resources: [arn('cloudwatch', `alarm:${prefix}-*`)],
    },
    {
      sid: 'Dashboards',
      actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
      resources: [global('cloudwatch', `dashboard/${prefix}-*`)],
    },
    {
      // Subscriptions' ARNs extend their topic's: `<topic arn>:<id>`.
      sid: 'AlarmTopics',
      actions: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:GetSubscriptionAttributes',
        'sns:SetSubscriptionAttributes',
        'sns:ListSubscriptionsByTopic',
        'sns:TagResource',
        'sns:UntagResource',
        'sns:ListTagsForResource',
      ],
      resources: [arn('sns', `${prefix}-*`)],
    },
    {
      // Budgets authorizes creating, changing and deleting a budget and its notifications as ModifyBudget.
      sid: 'Budgets',
      actions: [
        'budgets:ModifyBudget',
        'budgets:ViewBudget',
        'budgets:TagResource',
        'budgets:UntagResource',
        'budgets:ListTagsForResource',
      ],
      resources: [global('budgets', `budget/${prefix}-*`)],
    },
    {
      sid: 'EventRules',
      actions: [
        'events:PutRule',
        'events:DeleteRule',
        'events:DescribeRule',
        'events:EnableRule',
        'events:DisableRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:ListTargetsByRule',
        'events:TagResource',
        'events:UntagResource',
        'events:ListTagsForResource',
      ],
      resources: [arn('events', `rule/${prefix}-*`)],
    },
    {
      sid: 'ChatChannels',
      actions: [
        'chatbot:CreateSlackChannelConfiguration',
        'chatbot:UpdateSlackChannelConfiguration',
        'chatbot:DeleteSlackChannelConfiguration',
        'chatbot:TagResource',
        'chatbot:UntagResource',
        'chatbot:ListTagsForResource',
      ],
      resources: [global('chatbot', `chat-configuration/slack-channel/${prefix}-*`)],
    },
    {
      sid: 'ObservabilityReads',
      actions: [
        'cloudwatch:DescribeAlarms',
        'chatbot:DescribeSlackChannelConfigurations',
        'cloudtrail:DescribeTrails',
        'cloudtrail:GetTrail',
        'cloudtrail:GetTrailStatus',
        'cloudtrail:GetEventSelectors',
        'cloudtrail:GetInsightSelectors',
        'cloudtrail:ListTags',
      ],
      resources: ['*'],
    },
  ];
}

/** Every principal an access entry may be made for: as config and this repository name them. */
function accessEntryPrincipals(props: CiApplyPermissionsProps): string[] {
  return [
    ...props.clusterAdminArns,
    ...props.clusterReaderArns,
    props.deployRoleArnPattern,
    props.planRoleArn,
    props.roleArn,
    props.nodeRoleArn,
  ];
}

/** EKS access policies only as config and the repository define them: admin, view, Auto Mode nodes. */
function accessPolicyStatements(props: CiApplyPermissionsProps, arn: (service: string, resource: string) => string): PolicyStatement[] {
  const resources = [arn('eks', `cluster/${props.prefix}-*`), arn('eks', `access-entry/${props.prefix}-*/*`)];
  const actions = ['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy'];
  const association = (
    sid: string,
    principals: readonly string[],
    policy: string,
    scope: Record<string, string> = {},
  ): PolicyStatement[] =>
    principals.length === 0
      ? []
      : [
          {
            sid,
            actions,
            resources,
            conditions: {
              ArnLike: { 'eks:principalArn': [...principals] },
              StringEquals: { 'eks:policyArn': eksAccessPolicyArn(homePartition(props), policy), ...scope },
            },
          },
        ];
  return [
    ...association('AdminAccessForConfiguredAdmins', [...props.clusterAdminArns, props.roleArn], ACCESS_POLICIES.clusterAdmin),
    ...association('ViewAccessForConfiguredReaders', props.clusterReaderArns, ACCESS_POLICIES.view),
    ...association('AutoModeNodeAccess', [props.nodeRoleArn], ACCESS_POLICIES.autoNode, { 'eks:accessScope': 'cluster' }),
  ];
}

/** Explicit denies: no allow anywhere (this role's, a future one's) can reopen these. */
function ciApplyDenies(props: CiApplyPermissionsProps): PolicyStatement[] {
  const partition = homePartition(props);
  const iam = (resource: string) => iamArn(partition, props.accountId, resource);
  return [
    {
      // Trusts are administrator changes: IAM has no condition key on a trust policy's content, so the
      // only way to keep "who may assume a platform role" as reviewed is to keep CI from writing it,
      // or from deleting a role to create it again with another trust.
      sid: 'NoTrustChangesOrRoleDeletion',
      effect: 'Deny',
      actions: ['iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary'],
      resources: ['*'],
    },
    {
      // CI never changes its own identities, its policies, the boundary or the OIDC provider (it reads them).
      sid: 'NoChangesToCiIdentitiesOrBoundary',
      effect: 'Deny',
      actions: [...IAM_WRITE_ACTIONS, 'iam:PassRole'],
      resources: [props.roleArn, props.planRoleArn, props.ciPolicyArnPattern, props.boundaryArn, props.oidcProviderArn],
    },
    {
      // No layer needs a secret's value (the versions it writes are write-only), so none is CI's to read: not the
      // database's master password, not the cache admin passwords, not an application secret.
      sid: 'NoSecretValueReads',
      effect: 'Deny',
      actions: [...SECRET_VALUE_READS],
      resources: ['*'],
    },
    {
      sid: 'NoBoundaryEscape',
      effect: 'Deny',
      actions: [
        'iam:CreatePolicy',
        'iam:CreatePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:CreateUser',
        'iam:CreateAccessKey',
        'iam:CreateOpenIDConnectProvider',
        'iam:CreateSAMLProvider',
      ],
      resources: ['*'],
    },
    {
      // IAM writes only to the platform's own roles and instance profiles and to service-linked roles:
      // never users, keys, MFA, groups, policies, identity providers or roles of anyone else.
      sid: 'NoIamWritesOutsidePlatformRoles',
      effect: 'Deny',
      actions: [...IAM_WRITE_ACTIONS],
      notResources: [iam(`role/${props.prefix}-*`), iam(`instance-profile/${props.prefix}-*`), iam('role/aws-service-role/*')],
    },
    // Role permissions change only with the boundary attached, whatever any allow says.
    {
      sid: 'NoRoleWritesWithoutBoundary',
      effect: 'Deny',
      actions: BOUNDED_ROLE_WRITES,
      resources: ['*'],
      conditions: { StringNotEquals: { 'iam:PermissionsBoundary': props.boundaryArn } },
    },
    {
      sid: 'NoPassRoleButToListedServices',
      effect: 'Deny',
      actions: ['iam:PassRole'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'iam:PassedToService': [...PASSABLE_TO_SERVICES] } },
    },
    { sid: 'NoOrganizationChanges', effect: 'Deny', actions: [...ORGANIZATION_ACTIONS], resources: ['*'] },
    // Sessions of the platform roles are for the services they belong to, never for CI.
    props.assumeRoleArn
      ? { sid: 'NoRoleAssumptionButProviderRole', effect: 'Deny', actions: ['sts:AssumeRole'], notResources: [props.assumeRoleArn] }
      : { sid: 'NoRoleAssumption', effect: 'Deny', actions: ['sts:AssumeRole'], resources: ['*'] },
    // A database is deleted by an administrator, after the guard's approval: DeleteDBInstance can also
    // delete the automated backups.
    { sid: 'NoDatabaseDeletion', effect: 'Deny', actions: ['rds:DeleteDBInstance', 'rds:DeleteDBCluster'], resources: ['*'] },
    {
      sid: 'NoAccessEntriesForOthers',
      effect: 'Deny',
      actions: CLUSTER_ACCESS_ACTIONS,
      resources: ['*'],
      conditions: {
        ArnNotLike: { 'eks:principalArn': accessEntryPrincipals(props) },
      },
    },
    {
      sid: 'NoOtherAccessPolicies',
      effect: 'Deny',
      actions: ['eks:AssociateAccessPolicy'],
      resources: ['*'],
      conditions: {
        StringNotEquals: {
          'eks:policyArn': Object.values(ACCESS_POLICIES).map((p) => eksAccessPolicyArn(partition, p)),
        },
      },
    },
    {
      sid: 'NoClusterAdminButConfiguredAdmins',
      effect: 'Deny',
      actions: ['eks:AssociateAccessPolicy'],
      resources: ['*'],
      conditions: {
        ArnNotLike: { 'eks:principalArn': [...props.clusterAdminArns, props.roleArn] },
        StringEquals: { 'eks:policyArn': eksAccessPolicyArn(partition, ACCESS_POLICIES.clusterAdmin) },
      },
    },
    {
      sid: 'NoOtherRegions',
      effect: 'Deny',
      actions: ['ec2:*', 'rds:*', 'elasticache:*', 'es:*', 'eks:*', 'backup:*', 'kms:*'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:RequestedRegion': [...props.regions] } },
    },
  ];
}
