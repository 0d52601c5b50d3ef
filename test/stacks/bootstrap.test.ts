import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Lazy, TerraformStack } from 'cdktn';
import { MANAGED_POLICY_MAX_CHARACTERS } from '../../src/constructs/security/policy-document';
import { PermissionsBoundary, PermissionsBoundaryAspect } from '../../src/constructs/security/permissions-boundary';
import {
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  resourceAt,
  resourcesOf,
  stack,
  synthesizeLayer,
  projectPrefix,
  exampleOfTier,
  originPullCaBundle,
} from '../support/synth';
const production = exampleOfTier('production');
const PROD = production.name;

const PREFIX = projectPrefix();
const PROD_ACCOUNT = production.accountId;
const PROD_REGION = production.region;
const { organization, infraRepository } = exampleEnvironments()[0]!.project.github;
/** This repository, as config/project.json names it. */
const GITHUB_REPO = `${organization}/${infraRepository}`;

const bootstrap = stack(exampleStacks(), `${PROD}-bootstrap`);
const STATE_BUCKET = `${PREFIX}-${PROD}-tfstate-${PROD_ACCOUNT}-${PROD_REGION}`;
const LOG_BUCKET = `${PREFIX}-${PROD}-tfstate-logs-${PROD_ACCOUNT}-${PROD_REGION}`;

/** The bucket's logical name, to follow `${aws_s3_bucket.<name>.id}` references. */
function bucketRef(bucketName: string): string {
  const [name] = resourcesOf(bootstrap, 'aws_s3_bucket').find(([, body]) => body.bucket === bucketName)!;
  return `\${aws_s3_bucket.${name}.id}`;
}

function configOf(type: string, bucketName: string): any {
  const found = resourcesOf(bootstrap, type).filter(([, body]) => body.bucket === bucketRef(bucketName));
  assert.equal(found.length, 1, `${type} for ${bucketName}`);
  return found[0][1];
}

describe('bootstrap: state backend', () => {
  it('state bucket is versioned, SSE-KMS with the state key and a bucket key, and protected from destroy', () => {
    const [, bucket] = resourcesOf(bootstrap, 'aws_s3_bucket').find(([, b]) => b.bucket === STATE_BUCKET)!;
    assert.equal(bucket.force_destroy, false);
    assert.equal(bucket.lifecycle.prevent_destroy, true);
    assert.equal(configOf('aws_s3_bucket_versioning', STATE_BUCKET).versioning_configuration.status, 'Enabled');
    const sse = configOf('aws_s3_bucket_server_side_encryption_configuration', STATE_BUCKET).rule[0];
    assert.equal(sse.apply_server_side_encryption_by_default.sse_algorithm, 'aws:kms');
    assert.match(sse.apply_server_side_encryption_by_default.kms_master_key_id, /^\$\{aws_kms_key\.tfstate\.arn\}$/);
    assert.equal(sse.bucket_key_enabled, true);
  });

  for (const bucketName of [STATE_BUCKET, LOG_BUCKET]) {
    it(`${bucketName === STATE_BUCKET ? 'state' : 'log'} bucket blocks public access, disables ACLs and denies plain HTTP`, () => {
      const block = configOf('aws_s3_bucket_public_access_block', bucketName);
      for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
        assert.equal(block[flag], true, flag);
      assert.equal(configOf('aws_s3_bucket_ownership_controls', bucketName).rule.object_ownership, 'BucketOwnerEnforced');
      const deny = policyOf(configOf('aws_s3_bucket_policy', bucketName).policy).Statement.find((s) => s.Sid === 'DenyInsecureTransport');
      assert.equal(deny.Effect, 'Deny');
      assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    });
  }

  it('state bucket logs access to the log bucket, which admits only S3 log delivery from this account', () => {
    const logging = configOf('aws_s3_bucket_logging', STATE_BUCKET);
    assert.equal(logging.target_bucket, bucketRef(LOG_BUCKET).replace('.id}', '.bucket}'));
    const delivery = policyOf(configOf('aws_s3_bucket_policy', LOG_BUCKET).policy).Statement.find(
      (s) => s.Sid === 'S3ServerAccessLogDelivery',
    );
    assert.deepEqual(delivery.Principal, { Service: 'logging.s3.amazonaws.com' });
    assert.deepEqual(delivery.Condition, { StringEquals: { 'aws:SourceAccount': PROD_ACCOUNT } });
    assert.equal(
      configOf('aws_s3_bucket_server_side_encryption_configuration', LOG_BUCKET).rule[0].apply_server_side_encryption_by_default
        .sse_algorithm,
      'AES256',
    );
  });

  it("keeps every bucket of the state backend, and no other, out of CI and bounded roles' reach (history, logging, policies)", () => {
    const stateBuckets = resourcesOf(bootstrap, 'aws_s3_bucket').map(([, b]) => b.bucket as string);
    const everyBucket = [...exampleStacks().values()].flatMap((doc) => resourcesOf(doc, 'aws_s3_bucket').map(([, b]) => String(b.bucket)));
    const backend = [STATE_BUCKET, LOG_BUCKET, ...stateBuckets.filter((b) => b.includes('-tfstate-replica'))];
    assert.equal(backend.length, production.recovery ? 4 : 2, 'state, its access logs, and the replica and its access logs');
    const boundary = JSON.parse(resourceAt(bootstrap, 'aws_iam_policy', 'permissions-boundary/policy').policy).Statement;
    const apply = resourcesOf(bootstrap, 'aws_iam_policy').find(([id]) => id.includes('guardrails-recovery'))![1];
    for (const [who, statements] of [
      ['boundary', boundary],
      ['apply role', JSON.parse(apply.policy).Statement],
    ]) {
      const deny = statements.find((st: any) => st.Sid === 'NoStateBucketProtectionChanges');
      assert.ok(deny.Action.includes('s3:PutBucketLogging'), who);
      const patterns = [deny.Resource].flat().map((arn: string) => new RegExp(`^${arn.replace('arn:aws:s3:::', '').replace('*', '.*')}$`));
      const covered = everyBucket.filter((bucket) => patterns.some((pattern) => pattern.test(bucket)));
      assert.deepEqual(covered.sort(), [...backend].sort(), who);
    }
  });

  it("expires noncurrent state versions after prod's configured days", () => {
    const rules = configOf('aws_s3_bucket_lifecycle_configuration', STATE_BUCKET).rule;
    const days = exampleOfTier('production').stateBackend.noncurrentVersionRetentionDays;
    assert.equal(rules.find((r: any) => r.id === 'expire-noncurrent-versions').noncurrent_version_expiration[0].noncurrent_days, days);
  });

  it('state key rotates yearly', () => {
    const key = resourceAt(bootstrap, 'aws_kms_key', 'state/key/key');
    assert.equal(key.enable_key_rotation, true);
    assert.equal(key.deletion_window_in_days, 30);
  });

  it('lock table is on-demand with PITR, KMS encryption and deletion protection', () => {
    const table = resourceAt(bootstrap, 'aws_dynamodb_table', 'state/lock-table');
    assert.equal(table.name, `${PREFIX}-${PROD}-tfstate-lock`);
    assert.equal(table.billing_mode, 'PAY_PER_REQUEST');
    assert.equal(table.hash_key, 'LockID');
    assert.equal(table.point_in_time_recovery.enabled, true);
    assert.equal(table.server_side_encryption.enabled, true);
    assert.match(table.server_side_encryption.kms_key_arn, /aws_kms_key\.tfstate\./);
    assert.equal(table.deletion_protection_enabled, true);
  });
});

describe('bootstrap: account prerequisites', () => {
  it('creates the service-linked role the OpenSearch domain needs', () => {
    const services = resourcesOf(bootstrap, 'aws_iam_service_linked_role')
      .map(([, role]) => role.aws_service_name)
      .sort();
    assert.deepEqual(services, ['opensearchservice.amazonaws.com']);
  });
});

describe('bootstrap: CI identities', () => {
  const trust = (path: string) => policyOf(resourceAt(bootstrap, 'aws_iam_role', path).assume_role_policy).Statement;
  const inline = (path: string) => policyOf(resourceAt(bootstrap, 'aws_iam_role_policy', path).policy).Statement;

  it('creates the GitHub OIDC provider for sts.amazonaws.com', () => {
    const provider = resourceAt(bootstrap, 'aws_iam_openid_connect_provider', 'github-oidc/provider');
    assert.equal(provider.url, 'https://token.actions.githubusercontent.com');
    assert.deepEqual(provider.client_id_list, ['sts.amazonaws.com']);
  });

  it('plan role trusts only pull requests and the main branch of this repository', () => {
    const [statement] = trust('ci-plan/role');
    assert.equal(statement.Action, 'sts:AssumeRoleWithWebIdentity');
    assert.deepEqual(statement.Condition.StringEquals, {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': [`repo:${GITHUB_REPO}:pull_request`, `repo:${GITHUB_REPO}:ref:refs/heads/main`],
    });
  });

  it('apply role trusts only the protected GitHub environment', () => {
    const [statement] = trust('ci-apply/role');
    assert.deepEqual(statement.Condition.StringEquals['token.actions.githubusercontent.com:sub'], [`repo:${GITHUB_REPO}:environment:prod`]);
  });

  it('plan role only reads: state of its environment, no lock, no secret value, no object but the one it refreshes', () => {
    const statements = inline('ci-plan/policy');
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const readOnly = new RegExp(
      '^(s3:(GetObject|ListBucket)|kms:(Decrypt|DescribeKey)|secretsmanager:GetRandomPassword|' +
        'codeconnections:(GetConnection|ListTagsForResource))$',
    );
    for (const statement of allows) {
      for (const action of [statement.Action].flat()) assert.match(action, readOnly, `${statement.Sid} allows ${action}`);
    }
    assert.equal(
      allows.find((s) => s.Sid === 'StateRead').Resource,
      `arn:aws:s3:::${PREFIX}-${PROD}-tfstate-${PROD_ACCOUNT}-${PROD_REGION}/${PROD}/*`,
    );
    // The data layer's secret versions are write-only: a plan refreshes them without reading a value.
    const data = stack(exampleStacks(), `${PROD}-data`);
    const versions = resourcesOf(data, 'aws_secretsmanager_secret_version').map(([, version]) => version);
    assert.ok(versions.length >= 2, 'the services cache and the shared-keyspace cache each have an admin secret version');
    for (const version of versions) assert.ok('secret_string_wo' in version && !('secret_string' in version));
    assert.ok(!allows.some((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue')), 'no secret value read is allowed');
    const noSecrets = statements.find((s) => s.Sid === 'NoSecretReads');
    assert.deepEqual(
      [noSecrets.Effect, noSecrets.Action, noSecrets.Resource],
      ['Deny', ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'], '*'],
    );
    // Objects: its environment's state, and the one object a layer manages (the edge layer's public CA bundle).
    const noObjects = statements.find((s) => s.Sid === 'NoObjectReadsButStateAndCaBundle');
    assert.equal(noObjects.Effect, 'Deny');
    const caBucket = originPullCaBundle(PROD).bucket;
    assert.deepEqual(noObjects.NotResource, [`arn:aws:s3:::${STATE_BUCKET}/${PROD}/*`, `arn:aws:s3:::${caBucket}/*`]);
    // The runner's GitHub connection: read under the codeconnections prefix, which ReadOnlyAccess does not have.
    assert.ok(resourcesOf(stack(exampleStacks(), `${PROD}-platform`), 'aws_codeconnections_connection').length > 0);
    const connections = allows.find((s) => [s.Action].flat().includes('codeconnections:GetConnection'));
    assert.deepEqual([connections.Action].flat().sort(), ['codeconnections:GetConnection', 'codeconnections:ListTagsForResource']);
    assert.equal(connections.Resource, `arn:aws:codeconnections:${PROD_REGION}:${PROD_ACCOUNT}:connection/*`);
    const noData = statements.find((s) => s.Sid === 'NoDataReads');
    const dataReads = ['dynamodb:Scan', 'dynamodb:PartiQLSelect', 'logs:GetLogEvents', 'rds:DownloadDBLogFilePortion', 'es:ESHttpGet'];
    for (const action of [...dataReads, 'ecr:BatchGetImage']) {
      assert.ok(noData.Action.includes(action), action);
    }
    const attachment = resourceAt(bootstrap, 'aws_iam_role_policy_attachment', 'ci-plan/managed-0');
    assert.equal(attachment.policy_arn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  it('apply role carries no AWS-managed policy, only its own per-service policies and guardrails', () => {
    const attached = resourcesOf(bootstrap, 'aws_iam_role_policy_attachment')
      .filter(([, a]) => String(a.role).includes('ci-apply_role'))
      .map(([, a]) => a.policy_arn);
    assert.ok(
      attached.every((arn) => !arn.startsWith('arn:aws:iam::aws:policy/')),
      attached.join(', '),
    );
    const names = resourcesOf(bootstrap, 'aws_iam_policy')
      .map(([, p]) => p.name)
      .filter((n) => n.startsWith(`${PREFIX}-${PROD}-ci-apply-`))
      .sort();
    const groups = ['compute', 'data', 'guardrails', 'guardrails-recovery', 'iam', 'network', 'observability', 'recovery'];
    assert.deepEqual(
      names,
      groups.map((g) => `${PREFIX}-${PROD}-ci-apply-${g}`),
    );
    assert.equal(attached.length, names.length);
    // IAM quotas: 6,144 non-whitespace characters per managed policy, 10 managed policies per role.
    for (const [, policy] of resourcesOf(bootstrap, 'aws_iam_policy')) {
      assert.ok(policy.policy.replace(/\s/g, '').length <= MANAGED_POLICY_MAX_CHARACTERS, policy.name);
    }
    assert.ok(attached.length <= 10);
  });

  it('refuses at synth time a CI policy over the IAM size quota, naming it', () => {
    const admins = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::${PROD_ACCOUNT}:role/platform-admin-with-a-long-name-${i}`);
    const synth = () =>
      synthesizeLayer(
        configOfTier('production', (r) => (r.environment.platform.adminRoleArns = admins)),
        'bootstrap',
      );
    assert.throws(synth, (error: Error) =>
      error.message.includes(
        `CiApplyPermissions ${PREFIX}-${PROD}: policy compute must be at most 6144 characters without whitespace (IAM quota)`,
      ),
    );
  });

  it('refuses at synth time a permissions boundary over the IAM size quota, naming it', () => {
    const role = (name: string) => `arn:aws:iam::${PROD_ACCOUNT}:role/${name}`;
    // The size is checked as the construct is made, before anything is synthesized.
    const boundary = (stateBuckets: number) => () =>
      new PermissionsBoundary(new TerraformStack(new App({ stackTraces: false }), 'boundary'), 'boundary', {
        policyName: `${PREFIX}-${PROD}-permissions-boundary`,
        accountId: PROD_ACCOUNT,
        partition: 'aws',
        clusterRoleArn: role('cluster'),
        nodeRoleArn: role('node'),
        roleAssumption: { from: role('mappings'), to: role('search-admin') },
        stateBucketArns: Array.from({ length: stateBuckets }, (_, i) => `arn:aws:s3:::${PREFIX}-${PROD}-tfstate-replica-number-${i}`),
      });
    assert.doesNotThrow(boundary(2));
    assert.throws(boundary(120), (error: Error) =>
      error.message.includes(
        `PermissionsBoundary ${PREFIX}-${PROD}-permissions-boundary: policy must be at most 6144 characters without whitespace`,
      ),
    );
  });

  it('apply role writes state of its own environment and platform roles only under the permissions boundary', () => {
    const stateObjects = `arn:aws:s3:::${PREFIX}-${PROD}-tfstate-${PROD_ACCOUNT}-${PROD_REGION}/${PROD}/*`;
    assert.deepEqual(inline('ci-apply/policy').find((s) => s.Sid === 'StateReadWrite').Resource, stateObjects);
    // It locks with S3 lock files beside the state; the unused DynamoDB lock table's items are out of its reach.
    assert.deepEqual(inline('ci-apply/policy').find((s) => s.Sid === 'StateLockFile').Resource, `${stateObjects.slice(0, -1)}*.tflock`);
    const managed = (group: string) => policyOf(resourceAt(bootstrap, 'aws_iam_policy', `ci-apply-permissions/${group}`).policy).Statement;
    const statements = ['compute', 'data', 'iam', 'network', 'recovery'].flatMap(managed);
    const itemActions = /^dynamodb:(GetItem|PutItem|DeleteItem|UpdateItem|\*)$/;
    for (const statement of [...inline('ci-apply/policy'), ...statements])
      for (const action of [statement.Action].flat()) assert.doesNotMatch(action, itemActions, `${statement.Sid} allows ${action}`);
    const boundary = `arn:aws:iam::${PROD_ACCOUNT}:policy/${PREFIX}-${PROD}-permissions-boundary`;
    const bounded = statements.find((s) => s.Sid === 'WritePlatformRolesWithinBoundary');
    assert.deepEqual(bounded.Condition, { StringEquals: { 'iam:PermissionsBoundary': boundary } });
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy'])
      assert.ok(bounded.Action.includes(action), action);
    for (const statement of statements.filter((s) => s.Effect === 'Allow' && s !== bounded)) {
      for (const action of [statement.Action].flat())
        assert.ok(!bounded.Action.includes(action), `${statement.Sid} allows ${action} without the boundary`);
    }
    for (const statement of statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('iam:')))) {
      for (const action of [statement.Action].flat()) assert.doesNotMatch(action, /\*/, `${statement.Sid}: ${action}`);
    }
    const pass = statements.find((s) => s.Sid === 'PassPlatformRolesToServices');
    assert.ok(!pass.Condition.StringEquals['iam:PassedToService'].includes('ec2.amazonaws.com'));
    const guardrails = [...managed('guardrails'), ...managed('guardrails-recovery')];
    assert.ok(guardrails.every((s: any) => s.Effect === 'Deny'));
    const trustDeny = guardrails.find((s: any) => s.Sid === 'NoTrustChangesOrRoleDeletion');
    assert.deepEqual(trustDeny.Action, ['iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:DeleteRolePermissionsBoundary']);
    // The CI roles by name: a pattern would also cover the platform's in-VPC runner role (…-ci-runner), which CI creates.
    const ciRoles = resourcesOf(bootstrap, 'aws_iam_role')
      .map(([, r]) => r.name as string)
      .filter((name) => name.startsWith(`${PREFIX}-${PROD}-ci-`));
    assert.deepEqual(ciRoles.sort(), [`${PREFIX}-${PROD}-ci-apply`, `${PREFIX}-${PROD}-ci-plan`]);
    assert.deepEqual(guardrails.find((s: any) => s.Sid === 'NoChangesToCiIdentitiesOrBoundary').Resource, [
      ...ciRoles.sort().map((name) => `arn:aws:iam::${PROD_ACCOUNT}:role/${name}`),
      `arn:aws:iam::${PROD_ACCOUNT}:policy/${PREFIX}-${PROD}-ci-*`,
      boundary,
      `arn:aws:iam::${PROD_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    ]);
  });
});

describe('bootstrap: permissions boundary', () => {
  it('denies every IAM write, role assumption and cluster access change to the roles it bounds', () => {
    const policy = resourceAt(bootstrap, 'aws_iam_policy', 'permissions-boundary/policy');
    assert.equal(policy.name, `${PREFIX}-${PROD}-permissions-boundary`);
    const statements = policyOf(policy.policy).Statement;
    const deny = (sid: string) => statements.find((s) => s.Sid === sid);
    for (const action of ['iam:Create*', 'iam:Put*', 'iam:Attach*', 'iam:Update*', 'iam:Delete*', 'iam:Tag*']) {
      assert.ok(deny('NoIamWrites').Action.includes(action), action);
    }
    // The one assumption left open: the search role-mapping Job acting as the OpenSearch master role.
    assert.deepEqual(deny('NoRoleAssumptionButMappingJob').Condition, {
      ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${PROD_ACCOUNT}:role/${PREFIX}-${PROD}-search-role-mappings` },
    });
    assert.equal(deny('NoRoleAssumptionButSearchMaster').NotResource, `arn:aws:iam::${PROD_ACCOUNT}:role/${PREFIX}-${PROD}-search-admin`);
    assert.ok(deny('NoOrganizationChanges').Action.includes('organizations:*'));
    // The one pass left open: the cluster role passes the node role to EC2 (EKS Auto Mode).
    const clusterRole = `arn:aws:iam::${PROD_ACCOUNT}:role/${PREFIX}-${PROD}-eks-cluster`;
    assert.deepEqual(deny('NoPassRoleButClusterRole').Condition, { ArnNotEquals: { 'aws:PrincipalArn': clusterRole } });
    assert.equal(deny('NoPassRoleButNodeRole').NotResource, `arn:aws:iam::${PROD_ACCOUNT}:role/${PREFIX}-${PROD}-eks-node`);
    const toEc2 = { StringNotEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } };
    assert.deepEqual(deny('NoPassRoleButToEc2').Condition, toEc2);
  });

  it('names cluster and node roles that the platform layer creates', () => {
    const roles = resourcesOf(stack(exampleStacks(), `${PROD}-platform`), 'aws_iam_role').map(([, r]) => r.name);
    assert.ok(roles.includes(`${PREFIX}-${PROD}-eks-cluster`) && roles.includes(`${PREFIX}-${PROD}-eks-node`));
  });

  it('is carried by every IAM role outside bootstrap, in every environment', () => {
    for (const [name, doc] of exampleStacks()) {
      if (name.endsWith('-bootstrap')) continue;
      const env = name.split('-')[0];
      const account = exampleEnvironments().find((config) => config.name === env)!.accountId;
      for (const [address, role] of resourcesOf(doc, 'aws_iam_role')) {
        assert.equal(
          role.permissions_boundary,
          `arn:aws:iam::${account}:policy/${PREFIX}-${env}-permissions-boundary`,
          `${name} ${address}`,
        );
      }
    }
    assert.ok(resourcesOf(stack(exampleStacks(), `${PROD}-platform`), 'aws_iam_role').length > 20);
  });

  it('is set by an aspect from a literal ARN: cdktn runs aspects after it has registered cross-stack references', () => {
    const reference = Lazy.stringValue({ produce: () => 'the bootstrap policy arn' });
    assert.throws(
      () => new PermissionsBoundaryAspect(reference),
      /^Error: PermissionsBoundaryAspect: boundaryArn must be a literal ARN, not a token \(got "\$\{TfToken\[/,
    );
    assert.doesNotThrow(() => new PermissionsBoundaryAspect(`arn:aws:iam::${PROD_ACCOUNT}:policy/${PREFIX}-${PROD}-permissions-boundary`));
  });
});
