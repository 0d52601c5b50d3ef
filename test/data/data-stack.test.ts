import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheAccessString } from '../../src/constructs/data/cache-cluster';
import { SEARCH_READ_ACTIONS, SEARCH_WRITE_ACTIONS } from '../../src/constructs/data/search-domain';
import { CONTRACT } from '../../src/contract/catalog';
import { PROTECTION_BY_TIER } from '../../src/stacks/protection';
import {
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  resourceAt,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
  exampleEnvironmentNames,
  projectPrefix,
  exampleOfTier,
} from '../support/synth';
const PROD = exampleOfTier('production').name;
const DEV = exampleOfTier('development').name;

const PREFIX = projectPrefix();

const stacks = exampleStacks();
const prodConfig = exampleOfTier('production');
const PROD_ACCOUNT = prodConfig.accountId;
const PROD_REGION = prodConfig.region;
const prodProtection = PROTECTION_BY_TIER[prodConfig.tier];
const prod = stack(stacks, `${PROD}-data`);
const dev = stack(stacks, `${DEV}-data`);
const project = exampleEnvironments()[0].project;
const servicesWith = (capability: string) =>
  project.services
    .filter((s) => (s.capabilities as string[]).includes(capability))
    .map((s) => s.name)
    .sort();
const KEY_ARN = /^\$\{aws_kms_key\.data\.arn\}$/;
const WORKLOAD_SG = new RegExp(
  [
    `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${PROD}-platform\\.`,
    /outputs\.cross-stack-output-aws_security_groupworkload-sgid\}$/.source,
  ].join(''),
);
const DATA_SUBNET = new RegExp(
  [
    `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-${PROD}-network\\.`,
    `outputs\\.cross-stack-output-aws_subnetvpc_data-${prodConfig.region}[a-z]_[A-F0-9]+id\\}$`,
  ].join(''),
);

/** The capability policies attached by the data layer: service → capability → statements. */
function grants(doc: TerraformJson): Map<string, Map<string, any[]>> {
  const out = new Map<string, Map<string, any[]>>();
  for (const [, body] of resourcesOf(doc, 'aws_iam_role_policy')) {
    const match = /\/grant-(.+)-(postgres|cache-keyspaces|cache|search-read|search-write|secrets)\/policy$/.exec(body['//'].metadata.path);
    if (!match) continue;
    if (!out.has(match[1])) out.set(match[1], new Map());
    out.get(match[1])!.set(match[2], policyOf(body.policy).Statement);
  }
  return out;
}

/**
 * A service role's ARN as the production data layer references it: the platform layer's cross-stack output of the role
 * named for the service.
 */
function roleArn(service: string): string {
  const platform = stack(stacks, `${PROD}-platform`);
  const role = resourcesOf(platform, 'aws_iam_role').find(([, r]) => r.name === `${PREFIX}-${PROD}-svc-${service}`);
  assert.ok(role, `${PROD}-platform has no role for ${service}`);
  const output = Object.entries(platform.output ?? {}).find(([, o]: [string, any]) => o.value === `\${aws_iam_role.${role[0]}.arn}`);
  assert.ok(output, `${PROD}-platform does not publish the ARN of ${service}'s role`);
  return `\${data.terraform_remote_state.cross-stack-reference-input-${PROD}-platform.outputs.${output[0]}}`;
}

/** The users of one replication group (construct id `cache` or `shared-cache`), with their logical names. */
function usersOf(doc: TerraformJson, group: string): any[] {
  return resourcesOf(doc, 'aws_elasticache_user')
    .filter(([, body]) => body['//'].metadata.path.includes(`/${group}/`))
    .map(([name, body]) => ({ name, ...body }));
}

function ingressOf(doc: TerraformJson, store: string): any[] {
  return resourcesOf(doc, 'aws_vpc_security_group_ingress_rule')
    .filter(([, b]) => b['//'].metadata.path.includes(`/${store}/security-group/`))
    .map(([, b]) => b);
}

describe('data layer: who reaches the stores', () => {
  for (const env of exampleEnvironments()) {
    it(`${env.name}: every store admits only the workload group (PostgreSQL also the restore validation), never the CI runner`, () => {
      const doc = stack(stacks, `${env.name}-data`);
      const outputs = `data\\.terraform_remote_state\\.cross-stack-reference-input-${env.name}-platform\\.outputs`;
      const workload = new RegExp(`^\\$\\{${outputs}\\.cross-stack-output-aws_security_groupworkload-sgid\\}$`);
      const [[validation]] = resourcesOf(doc, 'aws_security_group').filter(([address]) =>
        address.startsWith('postgres-restore-validation_'),
      );
      const [[postgres]] = resourcesOf(doc, 'aws_security_group').filter(([address]) => address.startsWith('postgres_security-group_'));
      const rules = resourcesOf(doc, 'aws_vpc_security_group_ingress_rule').map(([, rule]) => rule);
      assert.ok(rules.length >= 3, 'PostgreSQL, the cache and OpenSearch each admit someone');
      const [fromValidation, ...others] = [
        ...rules.filter((rule) => rule.referenced_security_group_id === `\${aws_security_group.${validation}.id}`),
        ...rules.filter((rule) => !workload.test(rule.referenced_security_group_id)),
      ];
      assert.equal(fromValidation.security_group_id, `\${aws_security_group.${postgres}.id}`);
      assert.deepEqual(others, [fromValidation], 'no group but the workload and the restore validation is admitted');
      for (const rule of rules) assert.equal(rule.cidr_ipv4, undefined);
      assert.ok(!JSON.stringify(doc).includes('ci-runner'), 'the data layer references nothing of the CI runner');
    });
  }
});

describe('data layer: PostgreSQL', () => {
  const db = resourceAt(prod, 'aws_db_instance', 'postgres/instance');

  const postgres = prodConfig.data.postgres;

  it('runs the configured major on gp3 with storage autoscaling, encrypted with the data key', () => {
    assert.equal(db.engine, 'postgres');
    assert.equal(db.engine_version, String(postgres.engineMajor));
    assert.equal(db.instance_class, postgres.instanceClass);
    assert.equal(db.storage_type, 'gp3');
    assert.equal(db.allocated_storage, postgres.allocatedStorageGiB);
    assert.equal(db.max_allocated_storage, postgres.maxAllocatedStorageGiB);
    assert.equal(db.storage_encrypted, true);
    assert.match(db.kms_key_id, KEY_ARN);
    assert.equal(db.identifier, `${PREFIX}-${PROD}-postgres`);
  });

  it('is Multi-AZ, recoverable to a point in time as configured, and protected from deletion in prod', () => {
    assert.equal(db.multi_az, postgres.multiAz);
    assert.equal(db.backup_retention_period, postgres.backupRetentionDays);
    assert.equal(db.backup_window, postgres.backupWindow);
    assert.equal(db.maintenance_window, postgres.maintenanceWindow);
    assert.equal(db.copy_tags_to_snapshot, true);
    assert.equal(db.skip_final_snapshot, false);
    assert.equal(db.final_snapshot_identifier, `${db.identifier}-final`);
    assert.equal(db.deletion_protection, prodProtection.databaseDeletionProtection);
    assert.equal(db.lifecycle.prevent_destroy, prodProtection.preventDestroy);
  });

  it('lets RDS manage the master password with the data key and enables IAM database authentication', () => {
    assert.equal(db.manage_master_user_password, true);
    assert.match(db.master_user_secret_kms_key_id, KEY_ARN);
    assert.equal(db.password, undefined);
    assert.equal(db.iam_database_authentication_enabled, true);
    assert.equal(
      prod.output?.rds_master_secret_arn.value,
      `\${aws_db_instance.${resourcesOf(prod, 'aws_db_instance')[0][0]}.master_user_secret[0].secret_arn}`,
    );
  });

  it('is private, avoids paid extended support, upgrades minors, exports logs and is monitored', () => {
    assert.equal(db.publicly_accessible, false);
    assert.equal(db.engine_lifecycle_support, 'open-source-rds-extended-support-disabled');
    assert.equal(db.auto_minor_version_upgrade, true);
    assert.deepEqual(db.enabled_cloudwatch_logs_exports, ['postgresql', 'upgrade']);
    assert.equal(db.performance_insights_enabled, true);
    assert.match(db.performance_insights_kms_key_id, KEY_ARN);
    assert.equal(db.performance_insights_retention_period, 31);
    assert.equal(db.monitoring_interval, 60);
    const role = resourceAt(prod, 'aws_iam_role', 'postgres/monitoring-role/role');
    assert.deepEqual(policyOf(role.assume_role_policy).Statement[0].Principal, { Service: 'monitoring.rds.amazonaws.com' });
    for (const type of ['postgresql', 'upgrade']) {
      const group = resourceAt(prod, 'aws_cloudwatch_log_group', `postgres/log-${type}/log-group`);
      assert.equal(group.name, `/aws/rds/instance/${PREFIX}-${PROD}-postgres/${type}`);
      assert.match(group.kms_key_id, KEY_ARN);
    }
  });

  it("forces TLS and logs slow statements through a parameter group of the major's family", () => {
    const group = resourceAt(prod, 'aws_db_parameter_group', 'postgres/parameter-group');
    assert.equal(group.family, 'postgres17');
    const params = Object.fromEntries(group.parameter.map((p: any) => [p.name, p.value]));
    assert.equal(params['rds.force_ssl'], '1');
    assert.equal(params.log_min_duration_statement, '1000');
    assert.match(db.parameter_group_name, /^\$\{aws_db_parameter_group\.postgres_parameter-group_[A-F0-9]+\.name\}$/);
  });

  it('follows engineMajor into the engine version and parameter family', () => {
    const doc = synthesizeLayer(
      configOfTier('development', (raw) => (raw.environment.data.postgres.engineMajor = 16)),
      'data',
    );
    assert.equal(resourceAt(doc, 'aws_db_instance', 'postgres/instance').engine_version, '16');
    assert.equal(resourceAt(doc, 'aws_db_parameter_group', 'postgres/parameter-group').family, 'postgres16');
  });

  it('sits in the data subnets and admits, on 5432 only, the workload group and the restore validation, with no egress', () => {
    const subnets = resourceAt(prod, 'aws_db_subnet_group', 'postgres/subnet-group').subnet_ids;
    assert.equal(subnets.length, 3);
    for (const id of subnets) assert.match(id, DATA_SUBNET);
    const rules = ingressOf(prod, 'postgres');
    assert.deepEqual(
      rules.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]),
      rules.map(() => [5432, 5432, undefined]),
    );
    const sources = rules.map((r) => String(r.referenced_security_group_id));
    assert.equal(sources.length, 2);
    assert.equal(sources.filter((id) => WORKLOAD_SG.test(id)).length, 1, 'the workloads');
    assert.equal(
      sources.filter((id) => /^\$\{aws_security_group\.postgres-restore-validation_sg_\w+\.id\}$/.test(id)).length,
      1,
      'the validation',
    );
    assert.equal(resourceAt(prod, 'aws_security_group', 'postgres/security-group/sg').egress, undefined);
  });

  it('in development is single-AZ and may be deleted', () => {
    const devDb = resourceAt(dev, 'aws_db_instance', 'postgres/instance');
    assert.equal(devDb.multi_az, false);
    assert.equal(devDb.deletion_protection, false);
    assert.equal(devDb.lifecycle.prevent_destroy, false);
    assert.equal(devDb.skip_final_snapshot, false);
  });

  it('grants each postgres service rds-db:connect as its own database user only', () => {
    const all = grants(prod);
    const withPostgres = [...all]
      .filter(([, caps]) => caps.has('postgres'))
      .map(([service]) => service)
      .sort();
    assert.deepEqual(withPostgres, servicesWith('postgres'));
    const [name] = resourcesOf(prod, 'aws_db_instance')[0];
    for (const service of withPostgres) {
      const [statement] = all.get(service)!.get('postgres')!;
      assert.equal(statement.Action, 'rds-db:connect');
      assert.equal(
        statement.Resource,
        `arn:aws:rds-db:${PROD_REGION}:${PROD_ACCOUNT}:dbuser:\${aws_db_instance.${name}.resource_id}/${service.replace(/-/g, '_')}`,
      );
    }
  });
});

describe('data layer: cache', () => {
  const group = resourceAt(prod, 'aws_elasticache_replication_group', '/cache/replication-group');
  const users = usersOf(prod, 'cache');

  it('runs the configured engine with its replicas spread over the zones, automatic failover and Multi-AZ in prod', () => {
    const cache = prodConfig.data.cache;
    const zones = prodConfig.networkPlan.availabilityZones;
    assert.equal(group.engine, cache.engine);
    assert.equal(group.engine_version, cache.engineVersion);
    assert.equal(group.node_type, cache.nodeType);
    assert.equal(group.num_cache_clusters, cache.replicas + 1);
    assert.deepEqual(
      group.preferred_cache_cluster_azs,
      Array.from({ length: cache.replicas + 1 }, (_, i) => zones[i % zones.length]),
    );
    assert.ok(cache.replicas > 0, 'production has replicas');
    assert.equal(group.automatic_failover_enabled, true);
    assert.equal(group.multi_az_enabled, true);
    assert.equal(group.lifecycle.prevent_destroy, prodProtection.preventDestroy);
  });

  it('encrypts at rest with the data key, requires TLS and authenticates through the RBAC user group', () => {
    assert.equal(group.at_rest_encryption_enabled, 'true');
    assert.match(group.kms_key_id, KEY_ARN);
    assert.equal(group.transit_encryption_enabled, true);
    assert.equal(group.transit_encryption_mode, 'required');
    assert.equal(group.auth_token, undefined);
    assert.match(group.user_group_ids[0], /^\$\{aws_elasticache_user_group\.cache_user-group_[A-F0-9]+\.user_group_id\}$/);
  });

  it('keeps 7 days of snapshots, a final snapshot, and delivers slow and engine logs to encrypted log groups', () => {
    assert.equal(group.snapshot_retention_limit, 7);
    assert.equal(group.snapshot_window, '01:00-02:00');
    assert.equal(group.maintenance_window, 'sun:04:00-sun:05:00');
    assert.equal(group.final_snapshot_identifier, `${PREFIX}-${PROD}-cache-final`);
    assert.deepEqual(
      group.log_delivery_configuration.map((c: any) => [c.log_type, c.destination_type, c.log_format]),
      [
        ['slow-log', 'cloudwatch-logs', 'json'],
        ['engine-log', 'cloudwatch-logs', 'json'],
      ],
    );
    assert.match(resourceAt(prod, 'aws_cloudwatch_log_group', '/cache/log-slow-log/log-group').kms_key_id, KEY_ARN);
    assert.equal(resourceAt(prod, 'aws_elasticache_parameter_group', '/cache/parameter-group').family, 'valkey8');
    assert.match(resourceAt(prod, 'aws_elasticache_subnet_group', '/cache/subnet-group').subnet_ids[0], DATA_SUBNET);
  });

  it('disables the default user and gives every cache service its own IAM-authenticated user', () => {
    const defaultUser = users.find((u) => u.user_name === 'default')!;
    assert.match(defaultUser.access_string, /^off /);
    const serviceUsers = users.filter((u) => u.authentication_mode?.type === 'iam');
    assert.deepEqual(serviceUsers.map((u) => u.user_name.replace(`${PREFIX}-${PROD}-cache-`, '')).sort(), servicesWith('cache'));
    for (const user of serviceUsers) {
      assert.equal(user.user_id, user.user_name, 'IAM authentication requires user id = user name');
      const service = user.user_name.replace(`${PREFIX}-${PROD}-cache-`, '');
      assert.equal(user.access_string, `on ~${service}:* &${service}:* +@all -@dangerous -scan -randomkey`);
      assert.equal(user.passwords, undefined);
    }
    const members = resourceAt(prod, 'aws_elasticache_user_group', '/cache/user-group').user_ids;
    assert.equal(members.length, users.length);
    assert.deepEqual(
      prod.output?.cache_user_names.value,
      Object.fromEntries(servicesWith('cache').map((s) => [s, `${PREFIX}-${PROD}-cache-${s}`])),
    );
  });

  it('sets the admin password from an ephemeral value through write-only arguments, into a KMS-encrypted secret', () => {
    const ephemeral = Object.keys(prod.ephemeral?.aws_secretsmanager_random_password ?? {});
    const admin = users.find((u) => u.user_name === `${PREFIX}-${PROD}-cache-admin`)!;
    const adminPassword = ephemeral.find((name) => name.includes('admin-password'))!;
    assert.equal(admin.passwords_wo, `\${ephemeral.aws_secretsmanager_random_password.${adminPassword}.random_password}`);
    assert.equal(admin.passwords_wo_version, 1);
    const version = resourceAt(prod, 'aws_secretsmanager_secret_version', '/cache/admin-secret-version');
    assert.ok(version.secret_string_wo.includes(`ephemeral.aws_secretsmanager_random_password.${adminPassword}.random_password`));
    assert.equal(version.secret_string_wo_version, 1);
    assert.equal(version.secret_string, undefined);
    assert.match(resourceAt(prod, 'aws_secretsmanager_secret', '/cache/admin-secret').kms_key_id, KEY_ARN);
  });

  it('rotates the admin password by bumping adminPasswordVersion on the user and the secret together', () => {
    const doc = synthesizeLayer(
      configOfTier('development', (raw) => (raw.environment.data.cache.adminPasswordVersion = 2)),
      'data',
    );
    const admin = resourcesOf(doc, 'aws_elasticache_user').find(([, u]) => u.user_name === `${PREFIX}-${DEV}-cache-admin`)![1];
    assert.equal(admin.passwords_wo_version, 2);
    assert.equal(resourceAt(doc, 'aws_secretsmanager_secret_version', '/cache/admin-secret-version').secret_string_wo_version, 2);
    assert.equal(resourcesOf(doc, 'aws_elasticache_user').find(([, u]) => u.user_name === 'default')![1].passwords_wo_version, 1);
  });

  it('selects Redis OSS with its own parameter family', () => {
    const doc = synthesizeLayer(
      configOfTier(
        'development',
        (raw) => ((raw.environment.data.cache.engine = 'redis'), (raw.environment.data.cache.engineVersion = '7.1')),
      ),
      'data',
    );
    assert.equal(resourceAt(doc, 'aws_elasticache_replication_group', '/cache/replication-group').engine, 'redis');
    assert.equal(resourceAt(doc, 'aws_elasticache_parameter_group', '/cache/parameter-group').family, 'redis7');
    assert.ok(resourcesOf(doc, 'aws_elasticache_user').every(([, u]) => u.engine === 'redis'));
  });

  it('in development runs one node without failover', () => {
    const devGroup = resourceAt(dev, 'aws_elasticache_replication_group', '/cache/replication-group');
    assert.equal(devGroup.num_cache_clusters, 1);
    assert.equal(devGroup.automatic_failover_enabled, false);
    assert.equal(devGroup.multi_az_enabled, false);
  });

  it("admits only the workload security group on 6379 and grants elasticache:Connect on the group and the service's own user", () => {
    const rules = ingressOf(prod, 'cache');
    assert.equal(rules.length, 1);
    assert.equal(rules[0].from_port, 6379);
    assert.match(rules[0].referenced_security_group_id, WORKLOAD_SG);
    const all = grants(prod);
    for (const service of servicesWith('cache')) {
      const userName = users.find((u) => u.user_name === `${PREFIX}-${PROD}-cache-${service}`)!.name;
      const [statement] = all.get(service)!.get('cache')!;
      assert.equal(statement.Action, 'elasticache:Connect');
      assert.deepEqual(statement.Resource, [
        `\${aws_elasticache_replication_group.${resourcesOf(prod, 'aws_elasticache_replication_group')[0][0]}.arn}`,
        `\${aws_elasticache_user.${userName}.arn}`,
      ]);
    }
  });
});

describe('data layer: shared keyspaces cache (never evicts)', () => {
  const keyspaces = project.services.flatMap((s) => s.cacheKeyspaces.map((k) => ({ owner: s.name, ...k })));
  const group = resourceAt(prod, 'aws_elasticache_replication_group', '/shared-cache/replication-group');
  const users = usersOf(prod, 'shared-cache');
  const accessOf = (service: string) => users.find((u) => u.user_name === `${PREFIX}-${PROD}-cache-shared-${service}`)?.access_string;

  it("is its own replication group with maxmemory-policy noeviction, while the services' cache evicts only keys with a TTL", () => {
    assert.ok(keyspaces.length > 0, 'the example config declares a shared keyspace');
    assert.equal(group.replication_group_id, `${PREFIX}-${PROD}-cache-shared`);
    assert.deepEqual(resourceAt(prod, 'aws_elasticache_parameter_group', '/shared-cache/parameter-group').parameter, [
      { name: 'maxmemory-policy', value: 'noeviction' },
    ]);
    assert.deepEqual(resourceAt(prod, 'aws_elasticache_parameter_group', '/cache/parameter-group').parameter, [
      { name: 'maxmemory-policy', value: 'volatile-lru' },
    ]);
    assert.match(group.parameter_group_name, /shared-cache_parameter-group/);
  });

  it("uses cache.sharedNodeType, or the cache's node type without it, and the cache's replicas, encryption and TLS", () => {
    const envs = exampleEnvironments();
    for (const env of envs) {
      const doc = stack(stacks, `${env.name}-data`);
      const shared = resourceAt(doc, 'aws_elasticache_replication_group', '/shared-cache/replication-group');
      assert.equal(shared.node_type, env.data.cache.sharedNodeType ?? env.data.cache.nodeType, env.name);
      assert.equal(shared.num_cache_clusters, env.data.cache.replicas + 1, env.name);
      assert.equal(shared.transit_encryption_mode, 'required');
      assert.match(shared.kms_key_id, KEY_ARN);
    }
    assert.ok(
      envs.some((env) => env.data.cache.sharedNodeType === undefined) && envs.some((env) => env.data.cache.sharedNodeType !== undefined),
      'both branches are exercised',
    );
  });

  it('gives each keyspace owner read-write and each reader read-only access (no write commands), and nobody else a user', () => {
    const expected = [...new Set(keyspaces.flatMap((k) => [k.owner, ...k.readers]))].sort();
    // The access string's syntax is cacheAccessString's (test/data/constructs.test.ts); here, which prefixes each user gets.
    for (const service of expected) {
      const readWrite = keyspaces.filter((k) => k.owner === service).map((k) => k.name);
      const readOnly = keyspaces.filter((k) => k.readers.includes(service)).map((k) => k.name);
      assert.equal(accessOf(service), cacheAccessString({ readWrite, readOnly }), service);
    }
    const read = keyspaces.find((k) => k.readers.length > 0);
    assert.ok(read, 'the example has a keyspace with a reader');
    assert.match(accessOf(read.owner)!, new RegExp(`^on ~${read.name}:\\* `), 'an owner reads and writes its keyspace');
    assert.match(accessOf(read.readers[0]!)!, new RegExp(`%R~${read.name}:\\* `), 'a reader only reads it');
    assert.deepEqual(
      users
        .filter((u) => u.authentication_mode?.type === 'iam')
        .map((u) => u.user_name.replace(`${PREFIX}-${PROD}-cache-shared-`, ''))
        .sort(),
      expected,
    );
    assert.deepEqual(
      prod.output?.cache_shared_user_names.value,
      Object.fromEntries(expected.map((s) => [s, `${PREFIX}-${PROD}-cache-shared-${s}`])),
    );
    assert.deepEqual(Object.keys(prod.output?.cache_shared_endpoints.value).sort(), ['primary', 'reader']);
  });

  it('grants elasticache:Connect on the shared group as the own shared user to exactly the owners and readers', () => {
    const all = grants(prod);
    const expected = [...new Set(keyspaces.flatMap((k) => [k.owner, ...k.readers]))].sort();
    assert.deepEqual(
      [...all]
        .filter(([, byGrant]) => byGrant.has('cache-keyspaces'))
        .map(([service]) => service)
        .sort(),
      expected,
    );
    for (const service of expected) {
      const [statement] = all.get(service)!.get('cache-keyspaces')!;
      const user = users.find((u) => u.user_name === `${PREFIX}-${PROD}-cache-shared-${service}`)!;
      const group = '${aws_elasticache_replication_group.cache-shared.arn}';
      assert.deepEqual(statement.Resource, [group, `\${aws_elasticache_user.${user.name}.arn}`]);
    }
  });

  it('denies in every service user of both groups the commands that ignore key patterns', () => {
    // KEYS, FLUSHALL, FLUSHDB and SWAPDB are in @dangerous; SCAN and RANDOMKEY are not and must be named.
    for (const user of resourcesOf(prod, 'aws_elasticache_user')
      .map(([, u]) => u)
      .filter((u) => u.authentication_mode?.type === 'iam')) {
      const rules: string[] = user.access_string.split(' ');
      const allowAll = rules.indexOf('+@all');
      assert.ok(allowAll > 0, user.user_name);
      for (const denial of ['-@dangerous', '-scan', '-randomkey'])
        assert.ok(rules.indexOf(denial) > allowAll, `${user.user_name}: ${denial} after +@all`);
      assert.ok(!rules.some((rule) => rule === '~*' || rule === '%R~*' || rule === 'allkeys'), `${user.user_name} reaches every key`);
    }
  });

  it('is not created when no service declares a keyspace, and its outputs are then empty maps', () => {
    const doc = synthesizeLayer(
      configOfTier('development', (raw) => raw.project.services.forEach((s: any) => delete s.cacheKeyspaces)),
      'data',
    );
    assert.equal(resourcesOf(doc, 'aws_elasticache_replication_group').length, 1);
    assert.deepEqual(doc.output?.cache_shared_endpoints.value, {});
    assert.deepEqual(doc.output?.cache_shared_user_names.value, {});
    assert.equal(resourcesOf(doc, 'aws_iam_role_policy').filter(([, b]) => b.name === 'capability-cache-keyspaces').length, 0);
  });
});

describe('data layer: application secrets', () => {
  const declared = project.services.flatMap((s) => s.secrets.map((secret) => ({ owner: s.name, ...secret })));
  const secretOf = (owner: string, name: string) =>
    resourcesOf(prod, 'aws_secretsmanager_secret').find(([, b]) => b.name === `${PREFIX}/${PROD}/${owner}/${name}`);

  it('creates each declared secret empty, encrypted with the data key: no version, so no value in code or state', () => {
    assert.ok(declared.length > 0, 'the example config declares a secret');
    for (const { owner, name } of declared) {
      const found = secretOf(owner, name);
      assert.ok(found, `${owner}/${name}`);
      assert.match(found[1].kms_key_id, KEY_ARN);
      assert.equal(found[1].recovery_window_in_days, 30);
      assert.ok(
        !resourcesOf(prod, 'aws_secretsmanager_secret_version').some(([, v]) => String(v.secret_id).includes(found[0])),
        `${owner}/${name} has a version resource`,
      );
    }
    assert.deepEqual(Object.keys(prod.output?.application_secret_arns.value).sort(), declared.map((d) => `${d.owner}/${d.name}`).sort());
  });

  it('lets only the owner and the configured readers read each secret, by resource policy as well', () => {
    for (const { owner, name, readers } of declared) {
      const [logical] = secretOf(owner, name)!;
      const [, attached] = resourcesOf(prod, 'aws_secretsmanager_secret_policy').find(
        ([, p]) => p.secret_arn === `\${aws_secretsmanager_secret.${logical}.arn}`,
      )!;
      assert.equal(attached.block_public_policy, true);
      const principals = [owner, ...readers].map(roleArn);
      const [allow, deny] = policyOf(attached.policy).Statement;
      assert.deepEqual(allow.Principal, { AWS: principals });
      assert.deepEqual(allow.Action, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
      assert.equal(deny.Effect, 'Deny');
      assert.equal(deny.Principal, '*');
      assert.equal(deny.Action, 'secretsmanager:GetSecretValue');
      assert.deepEqual(deny.Condition, { ArnNotEquals: { 'aws:PrincipalArn': principals } });
    }
  });

  it('grants each service GetSecretValue and kms:Decrypt (through Secrets Manager) for exactly the secrets it owns or reads', () => {
    const all = grants(prod);
    for (const service of project.services) {
      const readable = declared.filter((d) => d.owner === service.name || d.readers.includes(service.name));
      const statements = all.get(service.name)?.get('secrets');
      if (readable.length === 0) {
        assert.equal(statements, undefined, `${service.name} reads no secret`);
        continue;
      }
      const arns = readable.map((d) => `\${aws_secretsmanager_secret.${secretOf(d.owner, d.name)![0]}.arn}`);
      const [read, decrypt] = statements!;
      assert.deepEqual([read.Resource].flat(), arns);
      assert.equal(decrypt.Action, 'kms:Decrypt');
      assert.match(decrypt.Resource, KEY_ARN);
      assert.deepEqual(decrypt.Condition, {
        StringEquals: { 'kms:ViaService': `secretsmanager.${PROD_REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': arns },
      });
    }
  });
});

describe('data layer: OpenSearch', () => {
  const domain = resourceAt(prod, 'aws_opensearch_domain', 'search/domain');

  const search = prodConfig.data.search;

  it('runs in the VPC across up to 3 zones, with 3 dedicated masters in prod', () => {
    const zones = Math.min(search.instanceCount, prodConfig.networkPlan.availabilityZones.length, 3);
    assert.equal(domain.domain_name, `${PREFIX}-${PROD}-search`);
    assert.equal(domain.engine_version, search.engineVersion);
    assert.equal(domain.cluster_config.instance_type, search.instanceType);
    assert.equal(domain.cluster_config.instance_count, search.instanceCount);
    assert.ok(zones > 1 && search.dedicatedMasterType, 'production spreads over zones and has dedicated masters');
    assert.equal(domain.cluster_config.zone_awareness_enabled, true);
    assert.equal(domain.cluster_config.zone_awareness_config.availability_zone_count, zones);
    assert.equal(domain.cluster_config.dedicated_master_enabled, true);
    assert.equal(domain.cluster_config.dedicated_master_type, search.dedicatedMasterType);
    assert.equal(domain.cluster_config.dedicated_master_count, 3);
    assert.equal(domain.vpc_options.subnet_ids.length, zones);
    for (const id of domain.vpc_options.subnet_ids) assert.match(id, DATA_SUBNET);
    assert.equal(domain.lifecycle.prevent_destroy, prodProtection.preventDestroy);
  });

  it('encrypts at rest with the data key and between nodes, on gp3, HTTPS-only with TLS 1.2+', () => {
    assert.deepEqual(domain.ebs_options, { ebs_enabled: true, volume_size: search.volumeSizeGiB, volume_type: 'gp3' });
    assert.equal(domain.encrypt_at_rest.enabled, true);
    assert.match(domain.encrypt_at_rest.kms_key_id, KEY_ARN);
    assert.equal(domain.node_to_node_encryption.enabled, true);
    assert.deepEqual(domain.domain_endpoint_options, { enforce_https: true, tls_security_policy: 'Policy-Min-TLS-1-2-PFS-2023-10' });
  });

  it('uses fine-grained access control with an IAM master role that the platform admins assume', () => {
    const master = resourcesOf(prod, 'aws_iam_role').find(([, r]) => r.name === `${PREFIX}-${PROD}-search-admin`)!;
    assert.deepEqual(domain.advanced_security_options, {
      enabled: true,
      anonymous_auth_enabled: false,
      internal_user_database_enabled: false,
      master_user_options: { master_user_arn: `\${aws_iam_role.${master[0]}.arn}` },
    });
    assert.deepEqual(policyOf(master[1].assume_role_policy).Statement[0].Principal, {
      AWS: prodConfig.platform.adminRoleArns,
    });
  });

  it('has an access policy with one statement per access level: master all, search-read roles read, search-write roles write', () => {
    const master = resourcesOf(prod, 'aws_iam_role').find(([, r]) => r.name === `${PREFIX}-${PROD}-search-admin`)!;
    const api = `arn:aws:es:${PROD_REGION}:${PROD_ACCOUNT}:domain/${PREFIX}-${PROD}-search/*`;
    const statements = policyOf(domain.access_policies).Statement.map((s) => ({ ...s, Principal: { AWS: [...s.Principal.AWS].sort() } }));
    assert.deepEqual(statements, [
      {
        Sid: 'MasterRole',
        Effect: 'Allow',
        Principal: { AWS: [`\${aws_iam_role.${master[0]}.arn}`] },
        Action: 'es:ESHttp*',
        Resource: api,
      },
      {
        Sid: 'SearchReadRoles',
        Effect: 'Allow',
        Principal: { AWS: servicesWith('search-read').map(roleArn).sort() },
        Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
        Resource: api,
      },
      {
        Sid: 'SearchWriteRoles',
        Effect: 'Allow',
        Principal: { AWS: servicesWith('search-write').map(roleArn).sort() },
        Action: ['es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpPatch', 'es:ESHttpDelete'],
        Resource: api,
      },
    ]);
  });

  it('lets a read-only service role (svc-admin) appear only in the read statement, with no write action', () => {
    const readOnly = servicesWith('search-read').filter((service) => !servicesWith('search-write').includes(service));
    assert.ok(readOnly.includes('svc-admin'), 'the example config has a read-only search service');
    const statements = policyOf(domain.access_policies).Statement;
    for (const service of readOnly) {
      const naming = statements.filter((s) => s.Principal.AWS.includes(roleArn(service)));
      assert.deepEqual(
        naming.map((s) => s.Sid),
        ['SearchReadRoles'],
        service,
      );
      const actions = naming.flatMap((s) => [s.Action].flat());
      for (const write of ['es:ESHttp*', 'es:ESHttpPut', 'es:ESHttpPatch', 'es:ESHttpDelete'])
        assert.ok(!actions.includes(write), `${service} is allowed ${write}`);
    }
  });

  it('allows each service role in the access policy exactly the actions of its search grants, no more', () => {
    const all = grants(prod);
    const statements = policyOf(domain.access_policies).Statement;
    const searchServices = [...new Set([...servicesWith('search-read'), ...servicesWith('search-write')])];
    const principals = new Set(statements.filter((s) => s.Sid !== 'MasterRole').flatMap((s) => s.Principal.AWS));
    assert.deepEqual([...principals].sort(), searchServices.map(roleArn).sort());
    for (const service of searchServices) {
      const allowed = new Set(statements.filter((s) => s.Principal.AWS.includes(roleArn(service))).flatMap((s) => [s.Action].flat()));
      const granted = new Set(
        ['search-read', 'search-write'].flatMap((capability) =>
          (all.get(service)!.get(capability) ?? []).flatMap((s) => [s.Action].flat()),
        ),
      );
      assert.deepEqual([...allowed].sort(), [...granted].sort(), service);
    }
  });

  it('uses the grant action lists in the access policy: the same constants, not copies', () => {
    assert.deepEqual(policyOf(domain.access_policies).Statement.find((s) => s.Sid === 'SearchReadRoles').Action, [...SEARCH_READ_ACTIONS]);
    assert.deepEqual(policyOf(domain.access_policies).Statement.find((s) => s.Sid === 'SearchWriteRoles').Action, [
      ...SEARCH_WRITE_ACTIONS,
    ]);
    const all = grants(prod);
    assert.deepEqual(all.get(servicesWith('search-read')[0])!.get('search-read')![0].Action, [...SEARCH_READ_ACTIONS]);
    assert.deepEqual(all.get(servicesWith('search-write')[0])!.get('search-write')![0].Action, [...SEARCH_WRITE_ACTIONS]);
  });

  it('omits the statement of an access level no service holds', () => {
    const doc = synthesizeLayer(
      configOfTier('development', (raw) =>
        raw.project.services.forEach((s: any) => (s.capabilities = s.capabilities.filter((c: string) => c !== 'search-write'))),
      ),
      'data',
    );
    const statements = policyOf(resourceAt(doc, 'aws_opensearch_domain', 'search/domain').access_policies).Statement;
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ['MasterRole', 'SearchReadRoles'],
    );
  });

  it('publishes slow, application and audit logs to encrypted log groups that only OpenSearch of this account may write', () => {
    assert.deepEqual(domain.log_publishing_options.map((o: any) => o.log_type).sort(), [
      'AUDIT_LOGS',
      'ES_APPLICATION_LOGS',
      'INDEX_SLOW_LOGS',
      'SEARCH_SLOW_LOGS',
    ]);
    const [statement] = policyOf(resourceAt(prod, 'aws_cloudwatch_log_resource_policy', 'search/log-policy').policy_document).Statement;
    assert.deepEqual(statement.Principal, { Service: 'es.amazonaws.com' });
    assert.equal(statement.Resource.length, 4);
    assert.ok(statement.Resource.every((arn: string) => /^\$\{aws_cloudwatch_log_group\.opensearch_[a-z-]+\.arn\}:\*$/.test(arn)));
    assert.deepEqual(statement.Condition.StringEquals, { 'aws:SourceAccount': `${PROD_ACCOUNT}` });
    assert.match(resourceAt(prod, 'aws_cloudwatch_log_group', 'search/log-audit/log-group').kms_key_id, KEY_ARN);
  });

  it('tunes itself in the off-peak window and snapshots at the configured hour', () => {
    assert.deepEqual(domain.auto_tune_options, { desired_state: 'ENABLED', rollback_on_disable: 'NO_ROLLBACK', use_off_peak_window: true });
    assert.equal(domain.off_peak_window_options.enabled, true);
    assert.deepEqual(domain.off_peak_window_options.off_peak_window.window_start_time, { hours: 22, minutes: 0 });
    assert.equal(domain.snapshot_options.automated_snapshot_start_hour, 2);
  });

  it('in development runs one burstable node in one zone, without Auto-Tune (unsupported) or audit logs', () => {
    const devDomain = resourceAt(dev, 'aws_opensearch_domain', 'search/domain');
    assert.equal(devDomain.cluster_config.zone_awareness_enabled, false);
    assert.equal(devDomain.cluster_config.dedicated_master_enabled, false);
    assert.equal(devDomain.vpc_options.subnet_ids.length, 1);
    assert.equal(devDomain.auto_tune_options.desired_state, 'DISABLED');
    assert.ok(!devDomain.log_publishing_options.some((o: any) => o.log_type === 'AUDIT_LOGS'));
  });

  it('grants signed read requests to search-read services and write requests to search-write services', () => {
    const all = grants(prod);
    const domainApi = `\${aws_opensearch_domain.${resourcesOf(prod, 'aws_opensearch_domain')[0][0]}.arn}/*`;
    for (const [capability, actions] of [
      ['search-read', ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost']],
      ['search-write', ['es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpPatch', 'es:ESHttpDelete']],
    ] as const) {
      assert.deepEqual(
        [...all]
          .filter(([, caps]) => caps.has(capability))
          .map(([s]) => s)
          .sort(),
        servicesWith(capability),
      );
      for (const service of servicesWith(capability)) {
        const [statement] = all.get(service)!.get(capability)!;
        assert.deepEqual(statement.Action, actions);
        assert.equal(statement.Resource, domainApi);
      }
    }
    assert.equal(ingressOf(prod, 'search')[0].from_port, 443);
  });
});

describe('data layer: key and contract', () => {
  it('encrypts with one rotating key whose policy admits CloudWatch Logs of this account and region', () => {
    const key = resourceAt(prod, 'aws_kms_key', 'key/key');
    assert.equal(key.enable_key_rotation, true);
    const logs = policyOf(key.policy).Statement.find((s: any) => s.Sid === 'AllowCloudWatchLogs');
    assert.deepEqual(logs.Principal, { Service: `logs.${PROD_REGION}.amazonaws.com` });
    for (const [, group] of resourcesOf(prod, 'aws_cloudwatch_log_group')) assert.match(group.kms_key_id, KEY_ARN);
  });

  for (const env of exampleEnvironmentNames()) {
    it(`${env}-data publishes every data contract output, none of them sensitive`, () => {
      const outputs = stack(stacks, `${env}-data`).output ?? {};
      const expected = CONTRACT.filter((e) => e.layer === 'data')
        .map((e) => e.name)
        .sort();
      assert.deepEqual(Object.keys(outputs).sort(), expected);
      for (const name of expected) assert.equal(outputs[name].sensitive, false, name);
    });
  }
});
