// Proof for issue 12: evaluates the synthesized identity, boundary, key and bucket policies of the production environment
// for escalation requests that must be denied and for what each role needs (src/checks/iam/evaluate.ts
// says what the evaluator does not model).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, MODELLED_MANAGED_POLICIES, type Policies, type Request, type Statement } from '../../../src/checks/iam/evaluate';
import { rolesOf, statements, type RolePolicies } from '../../../src/checks/iam/roles';
import { Naming } from '../../../src/naming';
import { exampleStacks, originPullCaBundle, projectPrefix, resourceAt, resourcesOf, stack, exampleOfTier } from '../../support/synth';

const PREFIX = projectPrefix();

const config = exampleOfTier('production');
/** `<project>-<env>`, the start of every name of the environment under test. */
const NAMED = `${PREFIX}-${config.name}`;
const account = config.accountId;
const region = config.region;
const roles = rolesOf(exampleStacks(), config.name);
const role = (name: string): RolePolicies => {
  const found = roles.find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name}; have ${roles.map((r) => r.name).join(', ')}`);
  return found;
};
const iam = (resource: string) => `arn:aws:iam::${account}:${resource}`;
const stateBucket = `arn:aws:s3:::${NAMED}-tfstate-${account}-${region}`;
const boundaryArn = iam(`policy/${NAMED}-permissions-boundary`);
const bootstrap = stack(exampleStacks(), `${config.name}-bootstrap`);
const dataKeyPolicy = statements(resourceAt(stack(exampleStacks(), `${config.name}-data`), 'aws_kms_key', 'key/key').policy);
const stateBucketPolicy = statements(resourceAt(bootstrap, 'aws_s3_bucket_policy', 'state/state/policy').policy);
const KEY = `arn:aws:kms:${region}:${account}:key/1234abcd-data`;
// The account's audit trail (bootstrap layer) and the bucket its log files go to.
const auditTrail = `arn:aws:cloudtrail:${region}:${account}:trail/${NAMED}-audit`;
const auditBucket = `arn:aws:s3:::${NAMED}-audit-${account}-${region}`;
const auditLogFile = `${auditBucket}/AWSLogs/${account}/CloudTrail/${region}/2026/11/30/${account}_CloudTrail_${region}_x.json.gz`;
const auditBucketPolicy = statements(resourceAt(bootstrap, 'aws_s3_bucket_policy', 'audit-trail/bucket/policy').policy);
const auditKeyPolicy = statements(resourceAt(bootstrap, 'aws_kms_key', 'audit-trail/key/key').policy);
const AUDIT_KEY = `arn:aws:kms:${region}:${account}:key/1234abcd-audit`;
const KEY_TAGS = { 'aws:ResourceTag/Project': PREFIX, 'aws:ResourceTag/Environment': config.name, 'aws:RequestedRegion': region };
/** What the data and edge layers write besides AWS resources: secrets (names from the data layer) and the edge layer's one object. */
const secretArnOf = (name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbCdEf`;
const dataSecretNames = resourcesOf(stack(exampleStacks(), `${config.name}-data`), 'aws_secretsmanager_secret').map(([, s]) => s.name);
const applicationSecret = secretArnOf(dataSecretNames.find((name) => name.startsWith(`${PREFIX}/${config.name}/`))!);
const cacheAdminSecrets = dataSecretNames.filter((name) => name.endsWith('/admin')).map(secretArnOf);
const caBundle = originPullCaBundle(config.name);
const caBucket = caBundle.bucket;
const caBundleObject = `arn:aws:s3:::${caBucket}/${caBundle.key}`;

interface Case {
  readonly what: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Request['context'];
  /** The key or bucket policy that also decides. */
  readonly keyPolicy?: readonly Statement[];
  readonly resourcePolicy?: readonly Statement[];
}

function decide(principal: RolePolicies, request: Case) {
  const policies: Policies = {
    identity: principal.identity,
    ...(principal.boundary ? { boundary: principal.boundary } : {}),
    ...(request.keyPolicy ? { keyPolicy: request.keyPolicy } : {}),
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  return evaluate(
    {
      principalArn: principal.arn,
      action: request.action,
      resource: request.resource,
      context: { 'aws:RequestedRegion': region, ...request.context },
    },
    policies,
  );
}

/** Each escalation the issue measured, and the IAM changes the README says CI cannot make. */
const ESCALATIONS: readonly Case[] = [
  {
    what: 'delete a state object version',
    action: 's3:DeleteObjectVersion',
    resource: `${stateBucket}/${config.name}/data.tfstate`,
    resourcePolicy: stateBucketPolicy,
  },
  { what: 'suspend state bucket versioning', action: 's3:PutBucketVersioning', resource: stateBucket, resourcePolicy: stateBucketPolicy },
  {
    what: "turn off the state bucket's access logging",
    action: 's3:PutBucketLogging',
    resource: stateBucket,
    resourcePolicy: stateBucketPolicy,
  },
  {
    what: "expire the state bucket's access logs",
    action: 's3:PutLifecycleConfiguration',
    resource: `arn:aws:s3:::${NAMED}-tfstate-logs-${account}-${region}`,
  },
  {
    what: 'expire state versions by lifecycle',
    action: 's3:PutLifecycleConfiguration',
    resource: stateBucket,
    resourcePolicy: stateBucketPolicy,
  },
  { what: 'remove state replication', action: 's3:PutReplicationConfiguration', resource: stateBucket, resourcePolicy: stateBucketPolicy },
  { what: 'delete the state bucket policy', action: 's3:DeleteBucketPolicy', resource: stateBucket, resourcePolicy: stateBucketPolicy },
  {
    what: 'delete an RDS snapshot',
    action: 'rds:DeleteDBSnapshot',
    resource: `arn:aws:rds:${region}:${account}:snapshot:${NAMED}-postgres-final`,
  },
  {
    what: 'delete RDS automated backups',
    action: 'rds:DeleteDBInstanceAutomatedBackup',
    resource: `arn:aws:rds:${region}:${account}:auto-backup:ab-1`,
  },
  {
    what: 'share a DB snapshot with another account',
    action: 'rds:ModifyDBSnapshotAttribute',
    resource: `arn:aws:rds:${region}:${account}:snapshot:${NAMED}-postgres-final`,
  },
  {
    what: 'delete a cache snapshot',
    action: 'elasticache:DeleteSnapshot',
    resource: `arn:aws:elasticache:${region}:${account}:snapshot:${NAMED}-cache-final`,
  },
  {
    what: 'delete a recovery point',
    action: 'backup:DeleteRecoveryPoint',
    resource: `arn:aws:backup:${region}:${account}:recovery-point:rp-1`,
  },
  {
    what: 'shorten a recovery point',
    action: 'backup:UpdateRecoveryPointLifecycle',
    resource: `arn:aws:backup:${region}:${account}:recovery-point:rp-1`,
  },
  {
    what: 'delete the backup vault',
    action: 'backup:DeleteBackupVault',
    resource: `arn:aws:backup:${region}:${account}:backup-vault:${NAMED}-backup`,
  },
  {
    what: 'remove the vault lock',
    action: 'backup:DeleteBackupVaultLockConfiguration',
    resource: `arn:aws:backup:${region}:${account}:backup-vault:${NAMED}-backup`,
  },
  {
    what: 'schedule deletion of the data key',
    action: 'kms:ScheduleKeyDeletion',
    resource: KEY,
    context: KEY_TAGS,
    keyPolicy: dataKeyPolicy,
  },
  { what: 'replace the data key policy', action: 'kms:PutKeyPolicy', resource: KEY, context: KEY_TAGS, keyPolicy: dataKeyPolicy },
  { what: 'disable the data key', action: 'kms:DisableKey', resource: KEY, context: KEY_TAGS, keyPolicy: dataKeyPolicy },
  {
    what: 'create a key grant for any grantee',
    action: 'kms:CreateGrant',
    resource: KEY,
    context: { ...KEY_TAGS, 'kms:GrantIsForAWSResource': false },
    keyPolicy: dataKeyPolicy,
  },
  {
    what: 'create an access entry for an outside principal',
    action: 'eks:CreateAccessEntry',
    resource: `arn:aws:eks:${region}:${account}:cluster/${NAMED}-eks`,
    context: { 'eks:principalArn': 'arn:aws:iam::999999999999:role/attacker' },
  },
  {
    // Cluster admin is the apply role's by design (it applies the cluster layer's RBAC and cluster-scoped
    // objects, see docs/cluster.md), defined in reviewed code; it may give it to no other CI identity.
    what: 'make the plan role cluster admin',
    action: 'eks:AssociateAccessPolicy',
    resource: `arn:aws:eks:${region}:${account}:access-entry/${NAMED}-eks/role/${account}/${NAMED}-ci-plan/x`,
    context: {
      'eks:principalArn': iam(`role/${NAMED}-ci-plan`),
      'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    },
  },
  {
    what: 'give a deploy role namespace edit (deploy roles get Kubernetes groups only)',
    action: 'eks:AssociateAccessPolicy',
    resource: `arn:aws:eks:${region}:${account}:access-entry/${NAMED}-eks/role/${account}/${NAMED}-deploy-svc-idt/x`,
    context: {
      'eks:principalArn': iam(`role/${NAMED}-deploy-svc-idt`),
      'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
      'eks:accessScope': 'namespace',
    },
  },
  {
    what: 'give a deploy role more than namespace edit',
    action: 'eks:AssociateAccessPolicy',
    resource: `arn:aws:eks:${region}:${account}:access-entry/${NAMED}-eks/role/${account}/${NAMED}-deploy-svc-idt/x`,
    context: {
      'eks:principalArn': iam(`role/${NAMED}-deploy-svc-idt`),
      'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy',
      'eks:accessScope': 'namespace',
    },
  },
  {
    what: 'make search-admin trust an outside account',
    action: 'iam:UpdateAssumeRolePolicy',
    resource: iam(`role/${NAMED}-search-admin`),
  },
  {
    what: 'make a service role trust an outside account',
    action: 'iam:UpdateAssumeRolePolicy',
    resource: iam(`role/${NAMED}-svc-svc-idt`),
  },
  {
    what: 'delete a platform role (to recreate it with another trust)',
    action: 'iam:DeleteRole',
    resource: iam(`role/${NAMED}-svc-svc-idt`),
  },
  { what: 'assume a platform role', action: 'sts:AssumeRole', resource: iam(`role/${NAMED}-svc-svc-idt`) },
  { what: 'create a role without the boundary', action: 'iam:CreateRole', resource: iam(`role/${NAMED}-escape`) },
  { what: 'remove a permissions boundary', action: 'iam:DeleteRolePermissionsBoundary', resource: iam(`role/${NAMED}-svc-svc-idt`) },
  { what: 'edit the boundary', action: 'iam:CreatePolicyVersion', resource: boundaryArn },
  {
    what: 'edit the CI roles',
    action: 'iam:PutRolePolicy',
    resource: iam(`role/${NAMED}-ci-apply`),
    context: { 'iam:PermissionsBoundary': boundaryArn },
  },
  { what: 'tag a CI role', action: 'iam:TagRole', resource: iam(`role/${NAMED}-ci-plan`) },
  {
    what: 'delete the GitHub OIDC provider',
    action: 'iam:DeleteOpenIDConnectProvider',
    resource: iam('oidc-provider/token.actions.githubusercontent.com'),
  },
  {
    what: 'edit the GitHub OIDC provider',
    action: 'iam:UpdateOpenIDConnectProviderThumbprint',
    resource: iam('oidc-provider/token.actions.githubusercontent.com'),
  },
  { what: 'edit a SAML provider', action: 'iam:UpdateSAMLProvider', resource: iam('saml-provider/corporate') },
  { what: "delete another user's access key", action: 'iam:DeleteAccessKey', resource: iam('user/alice') },
  { what: "deactivate another user's MFA", action: 'iam:DeactivateMFADevice', resource: iam('user/alice') },
  { what: 'create an access key', action: 'iam:CreateAccessKey', resource: iam('user/alice') },
  {
    what: 'pass a platform role to EC2',
    action: 'iam:PassRole',
    resource: iam(`role/${NAMED}-search-admin`),
    context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
  },
  { what: 'leave the organization', action: 'organizations:LeaveOrganization', resource: '*' },
  { what: 'stop the audit trail', action: 'cloudtrail:StopLogging', resource: auditTrail },
  { what: 'delete the audit trail', action: 'cloudtrail:DeleteTrail', resource: auditTrail },
  { what: 'narrow what the audit trail records', action: 'cloudtrail:PutEventSelectors', resource: auditTrail },
  { what: 'point the audit trail elsewhere', action: 'cloudtrail:UpdateTrail', resource: auditTrail },
  { what: 'delete an audit log file', action: 's3:DeleteObject', resource: auditLogFile, resourcePolicy: auditBucketPolicy },
  { what: 'forge an audit log file', action: 's3:PutObject', resource: auditLogFile, resourcePolicy: auditBucketPolicy },
  { what: 'delete an audit log file version', action: 's3:DeleteObjectVersion', resource: auditLogFile, resourcePolicy: auditBucketPolicy },
  {
    what: 'expire audit logs by lifecycle',
    action: 's3:PutLifecycleConfiguration',
    resource: auditBucket,
    resourcePolicy: auditBucketPolicy,
  },
  { what: 'suspend audit bucket versioning', action: 's3:PutBucketVersioning', resource: auditBucket, resourcePolicy: auditBucketPolicy },
  {
    what: "turn off the audit bucket's access logging",
    action: 's3:PutBucketLogging',
    resource: auditBucket,
    resourcePolicy: auditBucketPolicy,
  },
  {
    what: "expire the audit bucket's access logs",
    action: 's3:PutLifecycleConfiguration',
    resource: `arn:aws:s3:::${NAMED}-audit-logs-${account}-${region}`,
  },
  { what: 'delete the audit bucket policy', action: 's3:DeleteBucketPolicy', resource: auditBucket, resourcePolicy: auditBucketPolicy },
  {
    what: 'schedule deletion of the audit key',
    action: 'kms:ScheduleKeyDeletion',
    resource: AUDIT_KEY,
    context: KEY_TAGS,
    keyPolicy: auditKeyPolicy,
  },
];

/** What the apply role does to manage the restore test validation (data layer), each by its name. */
function restoreValidationCases(): Case[] {
  const names = new Naming({ project: PREFIX, environment: config.name, accountId: account, region }).postgresRestoreValidation;
  const bounded = { 'iam:PermissionsBoundary': boundaryArn };
  return [
    {
      what: 'create the validation project',
      action: 'codebuild:CreateProject',
      resource: `arn:aws:codebuild:${region}:${account}:project/${names.projectName}`,
    },
    { what: 'create the validation role, bounded', action: 'iam:CreateRole', resource: iam(`role/${names.roleName}`), context: bounded },
    { what: "write the validation role's policy", action: 'iam:PutRolePolicy', resource: iam(`role/${names.roleName}`), context: bounded },
    { what: 'create the start role, bounded', action: 'iam:CreateRole', resource: iam(`role/${names.startRoleName}`), context: bounded },
    {
      what: 'pass the validation role to CodeBuild',
      action: 'iam:PassRole',
      resource: iam(`role/${names.roleName}`),
      context: { 'iam:PassedToService': 'codebuild.amazonaws.com' },
    },
    {
      what: 'pass the start role to EventBridge',
      action: 'iam:PassRole',
      resource: iam(`role/${names.startRoleName}`),
      context: { 'iam:PassedToService': 'events.amazonaws.com' },
    },
    {
      what: 'create the validation rule',
      action: 'events:PutRule',
      resource: `arn:aws:events:${region}:${account}:rule/${names.ruleName}`,
    },
    {
      what: 'target the validation build',
      action: 'events:PutTargets',
      resource: `arn:aws:events:${region}:${account}:rule/${names.ruleName}`,
    },
    {
      what: 'create the validation log group',
      action: 'logs:CreateLogGroup',
      resource: `arn:aws:logs:${region}:${account}:log-group:${names.logGroupName}`,
    },
    {
      what: 'create the validation security group',
      action: 'ec2:CreateSecurityGroup',
      resource: `arn:aws:ec2:${region}:${account}:security-group/*`,
    },
    {
      what: 'admit the validation on the database group',
      action: 'ec2:AuthorizeSecurityGroupIngress',
      resource: `arn:aws:ec2:${region}:${account}:security-group/sg-1`,
    },
  ];
}

/** A region production uses for nothing: neither home nor recovery, nor us-east-1 (where global services log). */
const UNUSED_REGION = ['ap-southeast-2', 'sa-east-1'].find((r) => r !== region && r !== config.recovery?.region)!;

/** Escalations that only apply to roles that could otherwise write IAM (the apply role, Allow-* roles). */
const APPLY_ROLE_ONLY: readonly Case[] = [
  {
    what: "read the database's master password",
    action: 'secretsmanager:GetSecretValue',
    resource: `arn:aws:secretsmanager:${region}:${account}:secret:rds!db-0123abcd-AbCdEf`,
  },
  ...cacheAdminSecrets.map((secret) => ({
    what: `read the cache admin password in ${secret}`,
    action: 'secretsmanager:GetSecretValue',
    resource: secret,
  })),
  {
    what: 'delete the database (and its automated backups)',
    action: 'rds:DeleteDBInstance',
    resource: `arn:aws:rds:${region}:${account}:db:${NAMED}-postgres`,
  },
  {
    what: 'act in a region the environment does not use',
    action: 'ec2:CreateVpc',
    resource: '*',
    context: { 'aws:RequestedRegion': UNUSED_REGION },
  },
];

/** A role the apply role creates under the boundary and gives an inline Allow *. */
const allowAll: RolePolicies = {
  stack: 'hypothetical',
  name: `${NAMED}-escape`,
  arn: iam(`role/${NAMED}-escape`),
  identity: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  boundary: role(`${NAMED}-svc-svc-idt`).boundary,
  unmodelledManagedPolicies: [],
};

const workloadRoles = roles.filter((r) => !r.stack.endsWith('-bootstrap'));

describe('IAM evaluator: semantics', () => {
  const allow = (s: Partial<Statement>): Statement => ({ Effect: 'Allow', Action: '*', Resource: '*', ...s });
  const req = (action: string, resource = '*', context = {}): Request => ({ principalArn: iam('role/r'), action, resource, context });
  it('matches actions case-insensitively with wildcards, and NotAction / NotResource', () => {
    assert.equal(evaluate(req('EC2:describeVpcs'), { identity: [allow({ Action: 'ec2:Describe*' })] }), 'allow');
    assert.equal(evaluate(req('ec2:CreateVpc'), { identity: [allow({ Action: 'ec2:Describe*' })] }), 'implicit-deny');
    assert.equal(
      evaluate(req('s3:GetObject', 'arn:aws:s3:::b/k'), {
        identity: [allow({})],
        boundary: [allow({}), { Effect: 'Deny', NotAction: 's3:Put*', NotResource: 'arn:aws:s3:::other/*' }],
      }),
      'explicit-deny',
    );
    assert.equal(
      evaluate(req('s3:PutObject', 'arn:aws:s3:::b/k'), {
        identity: [allow({})],
        boundary: [allow({}), { Effect: 'Deny', NotAction: 's3:Put*', NotResource: 'arn:aws:s3:::other/*' }],
      }),
      'allow',
    );
  });
  it('needs the boundary to allow what the identity allows, and lets an explicit deny win', () => {
    assert.equal(evaluate(req('s3:GetObject'), { identity: [allow({})], boundary: [allow({ Action: 'ec2:*' })] }), 'implicit-deny');
    assert.equal(
      evaluate(req('s3:GetObject'), { identity: [allow({}), { Effect: 'Deny', Action: 's3:*', Resource: '*' }] }),
      'explicit-deny',
    );
  });
  it('evaluates condition operators, IfExists and missing keys as IAM does', () => {
    const deny = (Condition: Statement['Condition']): Policies => ({
      identity: [allow({}), { Effect: 'Deny', Action: '*', Resource: '*', Condition }],
    });
    assert.equal(evaluate(req('x:Y', '*', { k: 'a' }), deny({ StringEquals: { k: 'a' } })), 'explicit-deny');
    assert.equal(evaluate(req('x:Y', '*', {}), deny({ StringEquals: { k: 'a' } })), 'allow');
    assert.equal(evaluate(req('x:Y', '*', {}), deny({ StringNotEquals: { k: 'a' } })), 'explicit-deny');
    assert.equal(evaluate(req('x:Y', '*', {}), deny({ BoolIfExists: { k: 'false' } })), 'explicit-deny');
    assert.equal(evaluate(req('x:Y', '*', { k: true }), deny({ BoolIfExists: { k: 'false' } })), 'allow');
    assert.equal(
      evaluate(req('x:Y', '*', { k: 'arn:aws:iam::1:role/a-b' }), deny({ ArnLike: { k: 'arn:aws:iam::1:role/a-*' } })),
      'explicit-deny',
    );
    assert.equal(evaluate(req('x:Y', '*', { k: 'v' }), deny({ NumericEquals: { k: '1' } })), 'allow');
  });
  it('requires a key policy to allow the principal or delegate to the account', () => {
    const root = { Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:Decrypt', Resource: '*' };
    assert.equal(evaluate(req('kms:Decrypt', KEY), { identity: [allow({})], keyPolicy: [root] }), 'allow');
    assert.equal(evaluate(req('kms:Encrypt', KEY), { identity: [allow({})], keyPolicy: [root] }), 'implicit-deny');
    assert.equal(evaluate(req('kms:Decrypt', KEY), { identity: [], keyPolicy: [root] }), 'implicit-deny');
  });
});

describe('IAM evaluator: production roles from the synthesized JSON', () => {
  it('finds the CI roles and every workload role, each workload role under the boundary', () => {
    assert.ok(role(`${NAMED}-ci-apply`).identity.length > 30);
    assert.ok(workloadRoles.length > 30, `${workloadRoles.length} workload roles`);
    for (const workload of workloadRoles) assert.ok(workload.boundary && workload.boundary.length > 5, `${workload.name} has no boundary`);
  });

  for (const [label, principal, cases] of [
    ['apply role', role(`${NAMED}-ci-apply`), [...ESCALATIONS, ...APPLY_ROLE_ONLY]],
    ['plan role', role(`${NAMED}-ci-plan`), ESCALATIONS],
    ['a role created under the boundary with Allow *', allowAll, ESCALATIONS],
  ] as const) {
    for (const request of cases) {
      it(`${label} cannot ${request.what}`, () => {
        const decision = decide(principal, request);
        assert.notEqual(decision, 'allow', `${request.action} on ${request.resource}`);
        // The apply role and an Allow-* role have the IAM reach to do these: only an explicit deny stops them.
        if (principal !== role(`${NAMED}-ci-plan`))
          assert.equal(decision, 'explicit-deny', `${request.action} is stopped by an explicit deny`);
      });
    }
  }

  it('every workload role is denied every escalation', () => {
    const allowed = workloadRoles.flatMap((workload) =>
      ESCALATIONS.filter((request) => decide(workload, request) === 'allow').map((request) => `${workload.name}: ${request.what}`),
    );
    assert.deepEqual(allowed, []);
  });
});

describe('IAM evaluator: what each role needs is still allowed', () => {
  const allowed = (principal: RolePolicies, request: Case) =>
    assert.equal(decide(principal, request), 'allow', `${principal.name}: ${request.what}`);
  const apply = role(`${NAMED}-ci-apply`);

  it('the apply role writes state and manages every layer within its prefix', () => {
    for (const request of [
      {
        what: 'write state',
        action: 's3:PutObject',
        resource: `${stateBucket}/${config.name}/data.tfstate`,
        resourcePolicy: stateBucketPolicy,
        context: { 'aws:SecureTransport': true },
      },
      {
        what: 'create a bounded service role',
        action: 'iam:CreateRole',
        resource: iam(`role/${NAMED}-svc-new`),
        context: { 'iam:PermissionsBoundary': boundaryArn },
      },
      {
        what: 'attach a grant to a bounded role',
        action: 'iam:PutRolePolicy',
        resource: iam(`role/${NAMED}-svc-new`),
        context: { 'iam:PermissionsBoundary': boundaryArn },
      },
      {
        what: 'pass the cluster role to EKS',
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-eks-cluster`),
        context: { 'iam:PassedToService': 'eks.amazonaws.com' },
      },
      { what: 'create the VPC', action: 'ec2:CreateVpc', resource: `arn:aws:ec2:${region}:${account}:vpc/*` },
      {
        what: "associate the VPC with an interface endpoint's private DNS zone",
        action: 'route53:AssociateVPCWithHostedZone',
        resource: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
      },
      { what: 'create the cluster', action: 'eks:CreateCluster', resource: `arn:aws:eks:${region}:${account}:cluster/${NAMED}-eks` },
      {
        what: 'give the Auto Mode node role its node access policy',
        action: 'eks:AssociateAccessPolicy',
        resource: `arn:aws:eks:${region}:${account}:access-entry/${NAMED}-eks/role/x`,
        context: {
          'eks:principalArn': iam(`role/${NAMED}-eks-node`),
          'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy',
          'eks:accessScope': 'cluster',
        },
      },
      {
        what: 'make itself cluster admin, to apply the cluster layer',
        action: 'eks:AssociateAccessPolicy',
        resource: `arn:aws:eks:${region}:${account}:access-entry/${NAMED}-eks/role/${account}/${NAMED}-ci-apply/x`,
        context: {
          'eks:principalArn': iam(`role/${NAMED}-ci-apply`),
          'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        },
      },
      {
        what: 'give a configured admin cluster admin',
        action: 'eks:AssociateAccessPolicy',
        resource: `arn:aws:eks:${region}:${account}:cluster/${NAMED}-eks`,
        context: {
          'eks:principalArn': config.platform.adminRoleArns[0],
          'eks:policyArn': 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        },
      },
      {
        what: 'create its own access entry (cluster layer)',
        action: 'eks:CreateAccessEntry',
        resource: `arn:aws:eks:${region}:${account}:cluster/${NAMED}-eks`,
        context: { 'eks:principalArn': apply.arn },
      },
      {
        what: 'create the database',
        action: 'rds:CreateDBInstance',
        resource: `arn:aws:rds:${region}:${account}:db:${NAMED}-postgres`,
      },
      {
        what: 'create the cache',
        action: 'elasticache:CreateReplicationGroup',
        resource: `arn:aws:elasticache:${region}:${account}:replicationgroup:${NAMED}-cache`,
      },
      {
        what: 'create the search domain',
        action: 'es:CreateDomain',
        resource: `arn:aws:es:${region}:${account}:domain/${NAMED}-search`,
      },
      {
        what: 'create a tagged key',
        action: 'kms:CreateKey',
        resource: '*',
        context: { 'aws:RequestTag/Project': PREFIX, 'aws:RequestTag/Environment': config.name },
      },
      { what: 'use an environment key', action: 'kms:GenerateDataKey', resource: KEY, context: KEY_TAGS, keyPolicy: dataKeyPolicy },
      {
        what: 'let RDS create a grant',
        action: 'kms:CreateGrant',
        resource: KEY,
        context: { ...KEY_TAGS, 'kms:GrantIsForAWSResource': true },
        keyPolicy: dataKeyPolicy,
      },
      { what: 'create a backup plan', action: 'backup:CreateBackupPlan', resource: '*' },
      {
        what: 'pass the backup role to AWS Backup',
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-backup`),
        context: { 'iam:PassedToService': 'backup.amazonaws.com' },
      },
      {
        what: 'create a CodeBuild runner project',
        action: 'codebuild:CreateProject',
        resource: `arn:aws:codebuild:${region}:${account}:project/${NAMED}-runner`,
      },
      {
        what: 'create a log group',
        action: 'logs:CreateLogGroup',
        resource: `arn:aws:logs:${region}:${account}:log-group:/${PREFIX}/${config.name}/codebuild`,
      },
      ...restoreValidationCases(),
      {
        what: 'configure the media bucket',
        action: 's3:PutBucketVersioning',
        resource: `arn:aws:s3:::${NAMED}-media-${account}-${region}`,
      },
      {
        what: "create the in-VPC runner's role (named …-ci-runner, not a CI identity)",
        action: 'iam:CreateRole',
        resource: iam(`role/${NAMED}-ci-runner`),
        context: { 'iam:PermissionsBoundary': boundaryArn },
      },
      {
        what: "pass the runner's role to CodeBuild",
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-ci-runner`),
        context: { 'iam:PassedToService': 'codebuild.amazonaws.com' },
      },
      {
        what: 'tag a key as it creates it (CreateKey with tags)',
        action: 'kms:TagResource',
        resource: '*',
        context: { 'aws:RequestTag/Project': PREFIX, 'aws:RequestTag/Environment': config.name, 'aws:RequestedRegion': region },
      },
      {
        what: "change an access entry's tags",
        action: 'eks:TagResource',
        resource: `arn:aws:eks:${region}:${account}:access-entry/${NAMED}-eks/role/${account}/${NAMED}-ci-plan/x`,
      },
      {
        what: 'reset a database parameter',
        action: 'rds:ResetDBParameterGroup',
        resource: `arn:aws:rds:${region}:${account}:pg:${NAMED}-postgres-pg17`,
      },
      {
        what: 'reset a cache parameter',
        action: 'elasticache:ResetCacheParameterGroup',
        resource: `arn:aws:elasticache:${region}:${account}:parametergroup:${NAMED}-cache-valkey8`,
      },
      ...['Increase', 'Decrease'].map((change) => ({
        what: `${change.toLowerCase()} the cache replicas`,
        action: `elasticache:${change}ReplicaCount`,
        resource: `arn:aws:elasticache:${region}:${account}:replicationgroup:${NAMED}-cache`,
      })),
      {
        what: 'move a subnet to another route table',
        action: 'ec2:ReplaceRouteTableAssociation',
        resource: `arn:aws:ec2:${region}:${account}:route-table/rtb-1`,
      },
      { what: 'create an application secret', action: 'secretsmanager:CreateSecret', resource: applicationSecret },
      ...cacheAdminSecrets.map((secret) => ({
        what: `read back the write-only version it wrote to ${secret}`,
        action: 'secretsmanager:ListSecretVersionIds',
        resource: secret,
      })),
      { what: "set an application secret's resource policy", action: 'secretsmanager:PutResourcePolicy', resource: applicationSecret },
      { what: 'upload the origin-pull CA bundle', action: 's3:PutObject', resource: caBundleObject },
      { what: 'tag the origin-pull CA bundle (default tags)', action: 's3:PutObjectTagging', resource: caBundleObject },
      { what: 'replace the origin-pull CA bundle', action: 's3:DeleteObject', resource: caBundleObject },
      { what: "delete the CA bundle's versions (a versioned bucket)", action: 's3:DeleteObjectVersion', resource: caBundleObject },
      { what: "list the CA bundle's versions", action: 's3:ListBucketVersions', resource: `arn:aws:s3:::${caBucket}` },
    ] as Case[]) {
      allowed(apply, request);
    }
  });

  it('the apply role manages the alarms, dashboard, alarm topic, budget and change alert within its prefix', () => {
    const topic = `arn:aws:sns:${region}:${account}:${NAMED}-alarms`;
    const forwardRule = `arn:aws:events:us-east-1:${account}:rule/${NAMED}-out-of-band-changes-to-${region}`;
    for (const request of [
      {
        what: 'create an alarm',
        action: 'cloudwatch:PutMetricAlarm',
        resource: `arn:aws:cloudwatch:${region}:${account}:alarm:${NAMED}-postgres-cpu`,
      },
      {
        what: 'write the dashboard',
        action: 'cloudwatch:PutDashboard',
        resource: `arn:aws:cloudwatch::${account}:dashboard/${NAMED}-overview`,
      },
      { what: 'create the alarm topic', action: 'sns:CreateTopic', resource: topic },
      { what: 'set the topic policy', action: 'sns:SetTopicAttributes', resource: topic },
      { what: 'subscribe an address', action: 'sns:Subscribe', resource: topic },
      { what: 'change the budget', action: 'budgets:ModifyBudget', resource: `arn:aws:budgets::${account}:budget/${NAMED}-monthly` },
      {
        what: 'create the change rule',
        action: 'events:PutRule',
        resource: `arn:aws:events:${region}:${account}:rule/${NAMED}-out-of-band-changes`,
      },
      {
        what: 'create the us-east-1 forwarder',
        action: 'events:PutTargets',
        resource: forwardRule,
        context: { 'aws:RequestedRegion': 'us-east-1' },
      },
      {
        what: 'pass the forwarder role to EventBridge',
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-events-forwarder`),
        context: { 'iam:PassedToService': 'events.amazonaws.com' },
      },
      {
        what: 'create a Container Insights log group',
        action: 'logs:CreateLogGroup',
        resource: `arn:aws:logs:${region}:${account}:log-group:/aws/containerinsights/${NAMED}-eks/application`,
      },
      { what: 'read the trail status', action: 'cloudtrail:GetTrailStatus', resource: auditTrail },
    ] as Case[]) {
      allowed(apply, request);
    }
    for (const request of [
      {
        what: 'create an alarm of another project',
        action: 'cloudwatch:PutMetricAlarm',
        resource: `arn:aws:cloudwatch:${region}:${account}:alarm:billing-cpu`,
      },
      { what: 'subscribe to another topic', action: 'sns:Subscribe', resource: `arn:aws:sns:${region}:${account}:org-security` },
      { what: 'change another budget', action: 'budgets:ModifyBudget', resource: `arn:aws:budgets::${account}:budget/org-total` },
      { what: 'change another rule', action: 'events:PutRule', resource: `arn:aws:events:${region}:${account}:rule/org-guardduty` },
      {
        what: "tag another environment's key as its own (and so use it)",
        action: 'kms:TagResource',
        resource: `arn:aws:kms:${region}:${account}:key/1234abcd-other`,
        context: {
          'aws:RequestTag/Project': PREFIX,
          'aws:RequestTag/Environment': config.name,
          'aws:RequestedRegion': region,
          'aws:ResourceTag/Project': PREFIX,
          'aws:ResourceTag/Environment': 'staging',
        },
      },
    ] as Case[]) {
      assert.notEqual(decide(apply, request), 'allow', request.what);
    }
  });

  it('the plan role reads state, refreshes the cache admin secret versions (not their values), the CA bundle, ephemeral passwords', () => {
    const plan = role(`${NAMED}-ci-plan`);
    allowed(plan, {
      what: 'read state',
      action: 's3:GetObject',
      resource: `${stateBucket}/${config.name}/data.tfstate`,
      resourcePolicy: stateBucketPolicy,
      context: { 'aws:SecureTransport': true },
    });
    assert.ok(cacheAdminSecrets.length >= 2, 'the services cache and the shared-keyspace cache');
    for (const secret of cacheAdminSecrets) {
      // Write-only versions: the provider refreshes them with ListSecretVersionIds (hashicorp/terraform-provider-aws#44876).
      allowed(plan, {
        what: `refresh the cache admin secret version ${secret}`,
        action: 'secretsmanager:ListSecretVersionIds',
        resource: secret,
      });
      assert.equal(
        decide(plan, { what: 'read a cache admin password', action: 'secretsmanager:GetSecretValue', resource: secret }),
        'explicit-deny',
      );
    }
    allowed(plan, { what: 'refresh the origin-pull CA bundle (HeadObject)', action: 's3:GetObject', resource: caBundleObject });
    allowed(plan, { what: 'open the ephemeral password', action: 'secretsmanager:GetRandomPassword', resource: '*' });
    allowed(plan, { what: 'describe the VPCs', action: 'ec2:DescribeVpcs', resource: '*' });
    for (const request of [
      { what: 'read a service secret', action: 'secretsmanager:GetSecretValue', resource: applicationSecret },
      {
        what: 'download a database log',
        action: 'rds:DownloadDBLogFilePortion',
        resource: `arn:aws:rds:${region}:${account}:db:${NAMED}-postgres`,
      },
      { what: 'scan a table', action: 'dynamodb:PartiQLSelect', resource: `arn:aws:dynamodb:${region}:${account}:table/x` },
      {
        what: 'read search documents',
        action: 'es:ESHttpGet',
        resource: `arn:aws:es:${region}:${account}:domain/${NAMED}-search/posts/_search`,
      },
      { what: 'read a media object', action: 's3:GetObject', resource: `arn:aws:s3:::${NAMED}-media-${account}-${region}/private/a` },
    ] as Case[]) {
      assert.equal(decide(plan, request), 'explicit-deny', request.what);
    }
  });

  it('the search role-mapping Job may act as the OpenSearch master, and no other workload role may', () => {
    const request = { what: 'assume the search master role', action: 'sts:AssumeRole', resource: iam(`role/${NAMED}-search-admin`) };
    allowed(role(`${NAMED}-search-role-mappings`), request);
    // Even given the permission, another bounded role is stopped by the boundary.
    const search = role(`${NAMED}-svc-svc-search`);
    const widened = { ...search, identity: [...search.identity, { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] };
    assert.equal(decide(widened as RolePolicies, request), 'explicit-deny');
  });

  it('a service role connects to its own database user and reads its own secrets', () => {
    const idt = role(`${NAMED}-svc-svc-idt`);
    assert.ok(idt.identity.some((s) => [s.Action].flat().includes('rds-db:connect')));
    // Its declared secret, as the grant names it (the ARN is known only after apply).
    const [secret] = resourcesOf(stack(exampleStacks(), `${config.name}-data`), 'aws_secretsmanager_secret').find(
      ([, body]) => body.name === `${PREFIX}/${config.name}/svc-idt/jwt-signing-key`,
    )!;
    allowed(idt, {
      what: 'read own secret',
      action: 'secretsmanager:GetSecretValue',
      resource: `\${aws_secretsmanager_secret.${secret}.arn}`,
    });
  });

  it('the EKS cluster role may pass only the node role, only to EC2, and manage eks* instance profiles (Auto Mode)', () => {
    // The Auto Mode managed policies the cluster role carries, as the evaluator models them.
    const clusterRole = role(`${NAMED}-eks-cluster`);
    const autoMode = ['AmazonEKSComputePolicy', 'AmazonEKSLoadBalancingPolicy'].flatMap(
      (p) => MODELLED_MANAGED_POLICIES[`arn:aws:iam::aws:policy/${p}`],
    );
    const cluster: RolePolicies = { ...clusterRole, identity: [...clusterRole.identity, ...autoMode] };
    allowed(cluster, {
      what: 'pass the node role to EC2',
      action: 'iam:PassRole',
      resource: iam(`role/${NAMED}-eks-node`),
      context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
    allowed(cluster, {
      what: 'add the node role to a node instance profile',
      action: 'iam:AddRoleToInstanceProfile',
      resource: iam(`instance-profile/eks-${NAMED}-abc`),
    });
    allowed(cluster, {
      what: 'create the Elastic Load Balancing service-linked role',
      action: 'iam:CreateServiceLinkedRole',
      resource: iam('role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing'),
      context: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
    });
    allowed(cluster, {
      what: 'create the EC2 Spot service-linked role',
      action: 'iam:CreateServiceLinkedRole',
      resource: iam('role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot'),
      context: { 'iam:AWSServiceName': 'spot.amazonaws.com' },
    });
    assert.equal(
      decide(cluster, {
        what: 'write another instance profile',
        action: 'iam:AddRoleToInstanceProfile',
        resource: iam('instance-profile/escape'),
      }),
      'explicit-deny',
    );
    assert.equal(
      decide(cluster, {
        what: 'pass another role',
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-search-admin`),
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      }),
      'explicit-deny',
    );
    assert.equal(
      decide(cluster, {
        what: 'pass the node role elsewhere',
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-eks-node`),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      }),
      'explicit-deny',
    );
    const other = { ...allowAll, identity: [...allowAll.identity] };
    assert.equal(
      decide(other, {
        what: 'pass the node role',
        action: 'iam:PassRole',
        resource: iam(`role/${NAMED}-eks-node`),
        context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      }),
      'explicit-deny',
    );
    assert.equal(
      decide(other, { what: 'create an instance profile', action: 'iam:CreateInstanceProfile', resource: iam('instance-profile/eks-x') }),
      'explicit-deny',
    );
  });

  it('a role under the boundary keeps everything outside the denies (the boundary is a ceiling, not a grant)', () => {
    allowed(allowAll, { what: 'describe VPCs', action: 'ec2:DescribeVpcs', resource: '*' });
    allowed(allowAll, {
      what: 'connect to the database',
      action: 'rds-db:connect',
      resource: `arn:aws:rds-db:${region}:${account}:dbuser:db-1/svc_idt`,
    });
  });
});
