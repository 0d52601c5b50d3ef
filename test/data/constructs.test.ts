import { CACHE_ENGINE_VERSIONS, POSTGRES_ENGINE_MAJORS } from '../../src/config/schema/data';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { App, TerraformStack, Testing } from 'cdktn';
import { CacheCluster, cacheAccessString, type CacheClusterProps } from '../../src/constructs/data/cache-cluster';
import { ApplicationSecrets, type ApplicationSecretsProps } from '../../src/constructs/security/application-secrets';
import { PostgresDatabase, type PostgresDatabaseProps } from '../../src/constructs/data/postgres-database';
import { SEARCH_READ_ACTIONS, SEARCH_WRITE_ACTIONS, SearchDomain, type SearchDomainProps } from '../../src/constructs/data/search-domain';
import { StoreSecurityGroup } from '../../src/constructs/data/store-security-group';
import { ALARM_THRESHOLDS_BY_TIER } from '../../src/config/schema/observability';

const outdir = mkdtempSync(join(tmpdir(), 'data-constructs-'));
after(() => rmSync(outdir, { recursive: true, force: true }));
const scope = () => new TerraformStack(new App({ outdir }), 'test');
const common = {
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  clientSecurityGroupId: 'sg-1',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1',
  logRetentionDays: 30,
};

const postgres: PostgresDatabaseProps = {
  ...common,
  identifier: 'x-dev-postgres',
  monitoringRoleName: 'x-dev-postgres-monitoring',
  accountId: '111111111111',
  region: 'eu-west-1',
  engineMajor: 17,
  instanceClass: 'db.t4g.medium',
  allocatedStorageGiB: 20,
  maxAllocatedStorageGiB: 100,
  databaseName: 'app',
  multiAz: false,
  backupRetentionDays: 1,
  backupWindow: '01:00-02:00',
  maintenanceWindow: 'sun:03:00-sun:04:00',
};
const cache: CacheClusterProps = {
  ...common,
  name: 'x-dev-cache',
  purpose: 'for tests',
  logGroupPrefix: '/x/dev/elasticache',
  engine: 'valkey',
  engineVersion: '8.1',
  nodeType: 'cache.t4g.small',
  replicas: 1,
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  snapshotRetentionDays: 1,
  snapshotWindow: '01:00-02:00',
  maintenanceWindow: 'sun:04:00-sun:05:00',
  serviceUsers: new Map([['svc-a', { readWrite: ['svc-a'], channels: ['svc-a'] }]]),
  adminPasswordVersion: 1,
};
const secrets: ApplicationSecretsProps = {
  secrets: [{ owner: 'svc-a', name: 'key', secretName: 'x/dev/svc-a/key', readers: ['svc-b'] }],
  roleArns: new Map([
    ['svc-a', 'arn:aws:iam::111111111111:role/a'],
    ['svc-b', 'arn:aws:iam::111111111111:role/b'],
    ['svc-c', 'arn:aws:iam::111111111111:role/c'],
  ]),
  kmsKeyArn: common.kmsKeyArn,
  region: 'eu-west-1',
};
const search: SearchDomainProps = {
  ...common,
  domainName: 'x-dev-search',
  masterRoleName: 'x-dev-search-admin',
  adminPrincipalArns: ['arn:aws:iam::111111111111:role/admin'],
  readRoleArns: [],
  writeRoleArns: [],
  accountId: '111111111111',
  region: 'eu-west-1',
  engineVersion: 'OpenSearch_2.19',
  instanceType: 't3.medium.search',
  instanceCount: 1,
  volumeSizeGiB: 20,
  logGroupPrefix: '/x/dev/opensearch',
};

describe('data constructs: synth-time validation names the prop and what is allowed', () => {
  it('accepts the valid baselines and defaults to protection from destroy', () => {
    const db = new PostgresDatabase(scope(), 'db', postgres);
    assert.equal(db.instance.lifecycle?.preventDestroy, true);
    assert.equal(db.instance.deletionProtectionInput, true);
    new CacheCluster(scope(), 'cache', cache);
    new SearchDomain(scope(), 'search', search);
  });

  const cases: [string, () => unknown, RegExp][] = [
    [
      'PostgreSQL major 15',
      () => new PostgresDatabase(scope(), 'db', { ...postgres, engineMajor: 15 }),
      new RegExp(`engineMajor must be ${POSTGRES_ENGINE_MAJORS.min}–${POSTGRES_ENGINE_MAJORS.max} \\(got 15\\)`),
    ],
    [
      'backups turned off',
      () => new PostgresDatabase(scope(), 'db', { ...postgres, backupRetentionDays: 0 }),
      /backupRetentionDays must be 1–35/,
    ],
    [
      'a Performance Insights retention RDS rejects',
      () => new PostgresDatabase(scope(), 'db', { ...postgres, performanceInsightsRetentionDays: 30 }),
      /performanceInsightsRetentionDays must be 7, a multiple of 31/,
    ],
    [
      'a single subnet',
      () => new PostgresDatabase(scope(), 'db', { ...postgres, subnetIds: ['subnet-a'] }),
      /subnetIds must be at least two subnets/,
    ],
    [
      'a Redis version on Valkey',
      () => new CacheCluster(scope(), 'cache', { ...cache, engineVersion: '6.2' }),
      new RegExp(`engineVersion must be one of ${CACHE_ENGINE_VERSIONS.valkey.join(', ').replaceAll('.', '\\.')} for valkey`),
    ],
    [
      'replicas without a second zone',
      () => new CacheCluster(scope(), 'cache', { ...cache, availabilityZones: ['eu-west-1a'], subnetIds: ['subnet-a'] }),
      /availabilityZones must be at least two zones/,
    ],
    [
      'an admin password version of 0',
      () => new CacheCluster(scope(), 'cache', { ...cache, adminPasswordVersion: 0 }),
      /adminPasswordVersion must be a positive integer/,
    ],
    [
      'an eviction policy that may drop any key',
      () => new CacheCluster(scope(), 'cache', { ...cache, evictionPolicy: 'allkeys-lru' as never }),
      /evictionPolicy must be volatile-lru, noeviction/,
    ],
    [
      'a group without service users',
      () => new CacheCluster(scope(), 'cache', { ...cache, serviceUsers: new Map() }),
      /serviceUsers must be at least one service user/,
    ],
    [
      'a grant for a service without a cache user',
      () => new CacheCluster(scope(), 'cache', cache).grantConnect('svc-b', 'role-b', 'cache'),
      /serviceUsers must be a user for svc-b/,
    ],
    [
      'a key prefix with a glob',
      () => cacheAccessString({ readWrite: ['svc-*'] }),
      /prefix must be lowercase letters, digits and "-".*no glob/,
    ],
    [
      'an access string without keys',
      () => cacheAccessString({ readWrite: [], channels: ['svc-a'] }),
      /readWrite must be at least one key prefix/,
    ],
    [
      'a secret whose reader has no role',
      () => new ApplicationSecrets(scope(), 'secrets', { ...secrets, secrets: [{ ...secrets.secrets[0]!, readers: ['svc-d'] }] }),
      /roleArns must be a role for svc-d \(reads svc-a\/key\)/,
    ],
    [
      'a secret declared twice',
      () => new ApplicationSecrets(scope(), 'secrets', { ...secrets, secrets: [secrets.secrets[0]!, secrets.secrets[0]!] }),
      /secrets must be unique owner\/name pairs/,
    ],
    [
      'a secret grant for a service that reads none',
      () => new ApplicationSecrets(scope(), 'secrets', secrets).grantRead('svc-c', 'role-c'),
      /secrets must be at least one secret svc-c owns or reads/,
    ],
    [
      'a recovery window AWS rejects',
      () => new ApplicationSecrets(scope(), 'secrets', { ...secrets, recoveryWindowInDays: 3 }),
      /recoveryWindowInDays must be 7–30/,
    ],
    [
      'a domain name OpenSearch rejects',
      () => new SearchDomain(scope(), 'search', { ...search, domainName: 'X_search' }),
      /domainName must be 3–28 lowercase letters/,
    ],
    [
      'nodes that do not divide over the zones',
      () => new SearchDomain(scope(), 'search', { ...search, instanceCount: 4 }),
      /instanceCount must be a multiple of the zones it spreads over \(3\)/,
    ],
    [
      'no administrators for the master role',
      () => new SearchDomain(scope(), 'search', { ...search, adminPrincipalArns: [] }),
      /adminPrincipalArns must be at least one principal/,
    ],
    [
      'a port out of range',
      () => new StoreSecurityGroup(scope(), 'sg', { name: 'x', store: 'x', vpcId: 'vpc-1', port: 70000, sourceSecurityGroupId: 'sg-1' }),
      /port must be a port 1–65535/,
    ],
    [
      'a free-storage alarm that fires while autoscaling still grows the volume',
      () =>
        new PostgresDatabase(scope(), 'db', postgres).addAlarms(
          { topicArn: 'arn:aws:sns:eu-west-1:111111111111:x-dev-alarms', runbookBaseUrl: 'https://example.com/runbooks' },
          { ...ALARM_THRESHOLDS_BY_TIER.development.postgres, freeStoragePercent: 10 },
        ),
      /thresholds.freeStoragePercent must be below 10 while storage autoscaling is on/,
    ],
  ];
  for (const [name, build, message] of cases) it(`rejects ${name}`, () => assert.throws(build, message));
});

describe('data constructs: the search access policy allows each role only its access level', () => {
  const statementsOf = (props: Partial<SearchDomainProps>) =>
    JSON.parse(new SearchDomain(scope(), 'search', { ...search, ...props }).domain.accessPoliciesInput!).Statement as any[];
  const reader = 'arn:aws:iam::111111111111:role/reader';
  const writer = 'arn:aws:iam::111111111111:role/writer';
  const both = 'arn:aws:iam::111111111111:role/both';

  it(
    'puts a read-only role in the read statement only, a write-only role in the write statement only, ' + 'and a role with both in each',
    () => {
      const statements = statementsOf({ readRoleArns: [reader, both], writeRoleArns: [writer, both] });
      assert.deepEqual(
        statements.map((s) => s.Sid),
        ['MasterRole', 'SearchReadRoles', 'SearchWriteRoles'],
      );
      assert.equal(statements[0].Action, 'es:ESHttp*');
      assert.deepEqual(statements[1], {
        Sid: 'SearchReadRoles',
        Effect: 'Allow',
        Principal: { AWS: [reader, both] },
        Action: [...SEARCH_READ_ACTIONS],
        Resource: 'arn:aws:es:eu-west-1:111111111111:domain/x-dev-search/*',
      });
      assert.deepEqual(statements[2], {
        Sid: 'SearchWriteRoles',
        Effect: 'Allow',
        Principal: { AWS: [writer, both] },
        Action: [...SEARCH_WRITE_ACTIONS],
        Resource: 'arn:aws:es:eu-west-1:111111111111:domain/x-dev-search/*',
      });
      const actionsOf = (role: string) =>
        new Set(statements.filter((s) => s.Principal.AWS.includes(role)).flatMap((s) => [s.Action].flat()));
      assert.deepEqual([...actionsOf(reader)].sort(), [...SEARCH_READ_ACTIONS].sort());
      assert.deepEqual([...actionsOf(writer)].sort(), [...SEARCH_WRITE_ACTIONS].sort());
    },
  );

  it('keeps only the master statement when no role has a search capability', () => {
    assert.deepEqual(
      statementsOf({}).map((s) => s.Sid),
      ['MasterRole'],
    );
  });
});

describe('data constructs: cache access strings', () => {
  it('gives read-write prefixes ~, read-only prefixes %R~ and channels &, then every command but the dangerous and key-blind ones', () => {
    assert.equal(
      cacheAccessString({ readWrite: ['svc-a'], channels: ['svc-a'] }),
      'on ~svc-a:* &svc-a:* +@all -@dangerous -scan -randomkey',
    );
    assert.equal(cacheAccessString({ readWrite: ['auth'], readOnly: ['feed'] }), 'on ~auth:* %R~feed:* +@all -@dangerous -scan -randomkey');
  });

  it('takes every write command from a user that only reads', () => {
    assert.equal(cacheAccessString({ readWrite: [], readOnly: ['auth'] }), 'on %R~auth:* +@all -@write -@dangerous -scan -randomkey');
  });

  it('defaults a group to noeviction', () => {
    const group = new CacheCluster(scope(), 'cache', cache);
    const stack = JSON.parse(Testing.synth(TerraformStack.of(group)));
    const [parameterGroup] = Object.values(stack.resource.aws_elasticache_parameter_group) as any[];
    assert.deepEqual(parameterGroup.parameter, [{ name: 'maxmemory-policy', value: 'noeviction' }]);
  });
});
