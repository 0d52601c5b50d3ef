import type { TerraformResource } from 'cdktn';
import type { DataStoreJobPlacement } from '../constructs/kubernetes/cluster-job';
import { RISK_ACCEPTANCES_KEY } from '../checks/policy/risk-acceptance';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import type { RiskAcceptance } from '../config/schema/common';
import { PLATFORM_NAMESPACES } from '../config/schema/cluster';
import type { Capability, ServiceConfig } from '../config/schema/project';
import { CacheCluster, type CacheUserAccess } from '../constructs/data/cache-cluster';
import { PostgresDatabase } from '../constructs/data/postgres-database';
import { PostgresServiceLogins } from '../constructs/data/postgres-service-logins';
import { SearchDomain } from '../constructs/data/search-domain';
import { SearchRoleMappings, type SearchServiceAccess } from '../constructs/data/search-role-mappings';
import { ApplicationSecrets } from '../constructs/security/application-secrets';
import { PostgresRestoreTest } from '../constructs/recovery/restore-test';
import { PostgresRestoreValidation } from '../constructs/recovery/restore-validation';
import { allowCloudWatchLogs, allowRecoveryAccountCopies, EncryptionKey } from '../constructs/security/kms-key';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStack } from './platform-stack';

/** The policy rule a single-AZ database in staging or production fails (src/checks/policy/rules/rds-multi-az.ts). */
const RDS_MULTI_AZ_RULE = 'RDS_002';

/** PostgreSQL user a service connects as (IAM authentication); hyphens are not valid in unquoted identifiers. */
export function databaseUserName(service: string): string {
  return service.replace(/-/g, '_');
}

/** The database a service owns: named like its user. */
export function serviceDatabaseName(service: string): string {
  return databaseUserName(service);
}

/**
 * Images of the data layer's Jobs, public (ECR Public: AWS's own CLI image, which also has curl, and
 * the mirror of Docker's official PostgreSQL image, whose Debian variant has psql and perl), pinned by
 * tag. Tags can be moved by their publishers; pin digests once they can be verified against the registry.
 * The PostgreSQL client is of the newest major this repository allows: psql supports older servers.
 */
const DATA_JOB_IMAGES = {
  awsCli: 'public.ecr.aws/aws-cli/aws-cli:2.37.0',
  postgres: 'public.ecr.aws/docker/library/postgres:18.6-trixie',
} as const;

/** Where the data layer's Jobs run: the platform's own namespace, restricted like a service's. */
const JOB_NAMESPACE = PLATFORM_NAMESPACES[0];

/** Stateful stores in the isolated data subnets: PostgreSQL, the caches, OpenSearch and the services' secrets. */
export class DataStack extends LayerStack {
  readonly key: EncryptionKey;
  readonly postgres: PostgresDatabase;
  readonly cache: CacheCluster;
  /** The never-evicting cache of the services' shared keyspaces; absent when no service declares one. */
  readonly sharedCache?: CacheCluster;
  readonly search: SearchDomain;
  readonly secrets: ApplicationSecrets;
  /** The Job that keeps each postgres service's login and database equal to config. */
  readonly postgresLogins: PostgresServiceLogins;
  /** The Job that keeps the search services' OpenSearch roles and mappings equal to config. */
  readonly searchRoleMappings: SearchRoleMappings;

  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack, platform: PlatformStack) {
    super(scope, config, 'data');
    const { naming } = this;
    // The Jobs that set up logins and role mappings run in the cluster, as pods reach the stores and
    // this repository's runners do not (the stores admit only the workload nodes).
    platform.kubernetesProvider(this);
    const jobPlacement: Omit<DataStoreJobPlacement, 'roleName'> = {
      accountId: config.accountId,
      region: config.region,
      clusterName: platform.cluster.name,
      namespace: JOB_NAMESPACE,
      dataSubnetCidrs: config.networkPlan.subnetCidrs.data,
    };
    const { data, tier } = config;
    const production = tier === 'production';
    const logRetentionDays = config.defaultLogRetentionDays;
    const vpcId = network.vpc.vpc.id;
    const subnetIds = network.vpc.subnetIds('data');
    const clientSecurityGroupId = platform.workloadSecurityGroup.id;
    const withCapability = (capability: Capability) =>
      config.project.services.filter((service) => service.capabilities.includes(capability)).map((service) => service.name);
    const roleOf = (service: string) => {
      const role = platform.serviceRoles.get(service);
      if (!role) throw new Error(`DataStack: the platform layer has no role for service "${service}"`);
      return role;
    };
    const logGroupPrefix = naming.logGroupName();

    this.key = new EncryptionKey(this, 'key', {
      aliasName: naming.name('data'),
      preventDestroy: this.protection.preventDestroy,
      description: `Encrypts ${config.name} data stores, their secrets, snapshots and logs`,
      accountId: config.accountId,
      partition: naming.partition,
      administratorArns: config.platform.adminRoleArns,
      // The cache's and OpenSearch's log groups, and those RDS writes to under its own naming.
      additionalStatements: [
        allowCloudWatchLogs(config.accountId, config.region, [`${logGroupPrefix}/*`, `/aws/rds/instance/${naming.name('postgres')}/*`]),
        // Snapshots keep this key; the recovery account re-encrypts its copies with its own.
        ...(config.recovery?.accountId ? allowRecoveryAccountCopies(naming.partition, config.recovery.accountId) : []),
      ],
    });

    this.postgres = new PostgresDatabase(this, 'postgres', {
      identifier: naming.name('postgres'),
      monitoringRoleName: naming.roleName('postgres-monitoring'),
      accountId: config.accountId,
      region: config.region,
      engineMajor: data.postgres.engineMajor,
      instanceClass: data.postgres.instanceClass,
      allocatedStorageGiB: data.postgres.allocatedStorageGiB,
      maxAllocatedStorageGiB: data.postgres.maxAllocatedStorageGiB,
      databaseName: data.postgres.databaseName,
      kmsKeyArn: this.key.arn,
      vpcId,
      subnetIds,
      clientSecurityGroupId,
      multiAz: data.postgres.multiAz,
      backupRetentionDays: data.postgres.backupRetentionDays,
      backupWindow: data.postgres.backupWindow,
      maintenanceWindow: data.postgres.maintenanceWindow,
      logRetentionDays,
      deletionProtection: this.protection.databaseDeletionProtection,
      preventDestroy: this.protection.preventDestroy,
      performanceInsightsRetentionDays: data.postgres.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: data.postgres.monitoringIntervalSeconds,
    });
    // Continuous backup keeps the same point-in-time window as the instance's automated backups.
    this.backUp('postgres', [this.postgres.instance.arn], { continuousRetentionDays: data.postgres.backupRetentionDays });
    const restoreTest = new PostgresRestoreTest(this, 'postgres-restore-test', {
      name: naming.name('postgres', 'restore').replace(/-/g, '_'),
      vaultArn: this.backupVaultArn,
      roleArn: this.backupRoleArn,
      dbInstanceArn: this.postgres.instance.arn,
      dbSubnetGroupName: this.postgres.subnetGroup.name,
      securityGroupIds: [this.postgres.securityGroup.id],
    });
    if (data.postgres.singleAzRiskAcceptance) acceptRisk(this.postgres.instance, RDS_MULTI_AZ_RULE, data.postgres.singleAzRiskAcceptance);
    const postgresServices = withCapability('postgres');
    for (const service of postgresServices) this.postgres.grantConnect(service, roleOf(service).name, databaseUserName(service));
    const restoreValidation = naming.postgresRestoreValidation;
    this.postgresLogins = new PostgresServiceLogins(this, 'postgres-logins', {
      ...jobPlacement,
      database: this.postgres,
      logins: postgresServices.map((service) => ({ service, user: databaseUserName(service), database: serviceDatabaseName(service) })),
      validationUser: restoreValidation.databaseUser,
      roleName: naming.roleName('postgres-logins'),
      images: DATA_JOB_IMAGES,
    });
    const validation = new PostgresRestoreValidation(this, 'postgres-restore-validation', {
      ...restoreValidation,
      accountId: config.accountId,
      region: config.region,
      restoreTestingPlanArn: restoreTest.plan.arn,
      vpcId,
      subnetIds: network.vpc.subnetIds('private'),
      databaseSecurityGroupId: this.postgres.securityGroup.id,
      databases: postgresServices.map(serviceDatabaseName),
      kmsKeyArn: this.key.arn,
      logRetentionInDays: logRetentionDays,
    });
    // Restored instances carry the database's own group (the restore testing selection's override), so the live
    // database admits the validation build too; it can log in there only as the validation login.
    this.postgres.securityGroup.admit(
      'from-restore-validation',
      validation.securityGroup.id,
      `the restore validation ${restoreValidation.projectName}`,
    );

    const cacheBase = {
      engine: data.cache.engine,
      engineVersion: data.cache.engineVersion,
      replicas: data.cache.replicas,
      availabilityZones: config.networkPlan.availabilityZones,
      subnetIds,
      vpcId,
      clientSecurityGroupId,
      kmsKeyArn: this.key.arn,
      snapshotRetentionDays: data.cache.snapshotRetentionDays,
      snapshotWindow: data.cache.snapshotWindow,
      maintenanceWindow: data.cache.maintenanceWindow,
      logRetentionDays,
      adminPasswordVersion: data.cache.adminPasswordVersion,
      preventDestroy: this.protection.preventDestroy,
    };
    this.cache = new CacheCluster(this, 'cache', {
      ...cacheBase,
      name: naming.cacheNames.services,
      purpose: 'for the services',
      logGroupPrefix: `${logGroupPrefix}/elasticache`,
      nodeType: data.cache.nodeType,
      // Cached fragments, feeds and counters outgrow memory by design; only keys with a TTL may go.
      evictionPolicy: 'volatile-lru',
      serviceUsers: new Map(
        withCapability('cache').map((service): [string, CacheUserAccess] => [service, { readWrite: [service], channels: [service] }]),
      ),
    });
    for (const service of this.cache.serviceUsers.keys()) this.cache.grantConnect(service, roleOf(service).name, 'cache');

    // Keyspaces other services rely on (sessions, token revocations) must never be evicted, while the
    // cache above must evict to work at all: they get their own group with `noeviction` (docs/data.md).
    const keyspaceUsers = sharedKeyspaceUsers(config.project.services);
    if (keyspaceUsers.size > 0) {
      const sharedCache = new CacheCluster(this, 'shared-cache', {
        ...cacheBase,
        name: naming.cacheNames.sharedKeyspaces,
        purpose: 'for keyspaces shared between services (never evicts)',
        logGroupPrefix: `${logGroupPrefix}/elasticache-shared`,
        nodeType: data.cache.sharedNodeType ?? data.cache.nodeType,
        evictionPolicy: 'noeviction',
        serviceUsers: keyspaceUsers,
      });
      for (const service of keyspaceUsers.keys()) sharedCache.grantConnect(service, roleOf(service).name, 'cache-keyspaces');
      this.sharedCache = sharedCache;
    }

    this.secrets = new ApplicationSecrets(this, 'secrets', {
      secrets: config.project.services.flatMap(({ name: owner, secrets }) =>
        secrets.map(({ name, readers }) => ({ owner, name, secretName: naming.secretName(owner, name), readers })),
      ),
      roleArns: new Map([...platform.serviceRoles].map(([service, role]) => [service, role.arn])),
      kmsKeyArn: this.key.arn,
      region: config.region,
    });
    for (const service of config.project.services) {
      if (this.secrets.readableBy(service.name).length > 0) this.secrets.grantRead(service.name, roleOf(service.name).name);
    }

    const searchRead = withCapability('search-read');
    const searchAdminRole = naming.searchAdminRoleName;
    const searchWrite = withCapability('search-write');
    this.search = new SearchDomain(this, 'search', {
      domainName: naming.name('search'),
      masterRoleName: searchAdminRole,
      // The platform's administrators (at least one, the platform config requires it) administer search too.
      adminPrincipalArns: config.platform.adminRoleArns,
      readRoleArns: searchRead.map((service) => roleOf(service).arn),
      writeRoleArns: searchWrite.map((service) => roleOf(service).arn),
      accountId: config.accountId,
      region: config.region,
      engineVersion: data.search.engineVersion,
      instanceType: data.search.instanceType,
      instanceCount: data.search.instanceCount,
      dedicatedMasterType: data.search.dedicatedMasterType,
      volumeSizeGiB: data.search.volumeSizeGiB,
      subnetIds,
      vpcId,
      clientSecurityGroupId,
      kmsKeyArn: this.key.arn,
      logGroupPrefix: `${logGroupPrefix}/opensearch`,
      logRetentionDays,
      auditLogs: production,
      snapshotHour: data.search.snapshotHour,
      offPeakStartHour: data.search.offPeakStartHour,
      preventDestroy: this.protection.preventDestroy,
    });
    const searchAccess = (services: readonly string[], access: SearchServiceAccess['access']) =>
      services.map((service): SearchServiceAccess => ({ service, roleArn: naming.roleArn(naming.serviceRoleName(service)), access }));
    this.searchRoleMappings = new SearchRoleMappings(this, 'search-role-mappings', {
      ...jobPlacement,
      search: this.search,
      masterRoleArn: naming.roleArn(searchAdminRole),
      grants: [...searchAccess(searchRead, 'read'), ...searchAccess(searchWrite, 'write')],
      roleName: naming.searchRoleMappingsRoleName,
      awsCliImage: DATA_JOB_IMAGES.awsCli,
    });
    for (const service of searchRead) this.search.grantRequests(service, roleOf(service).name, 'read');
    for (const service of searchWrite) this.search.grantRequests(service, roleOf(service).name, 'write');

    const alarms = network.alarmTopic.destination(this.runbookBaseUrl);
    const { thresholds } = config.observability;
    this.postgres.addAlarms(alarms, thresholds.postgres);
    for (const cache of [this.cache, ...(this.sharedCache ? [this.sharedCache] : [])]) cache.addAlarms(alarms, thresholds.cache);
    this.search.addAlarms(alarms, thresholds.search);

    this.publish('rds_endpoint_address', this.postgres.instance.address);
    this.publish('rds_port', this.postgres.instance.port);
    this.publish('rds_database_name', data.postgres.databaseName);
    this.publish('rds_user_names', Object.fromEntries(postgresServices.map((service) => [service, databaseUserName(service)])));
    this.publish('rds_database_names', Object.fromEntries(postgresServices.map((service) => [service, serviceDatabaseName(service)])));
    this.publish('rds_master_secret_arn', this.postgres.instance.masterUserSecret.get(0).secretArn);
    this.publish('cache_primary_endpoint_address', this.cache.replicationGroup.primaryEndpointAddress);
    this.publish('cache_reader_endpoint_address', this.cache.replicationGroup.readerEndpointAddress);
    this.publish('cache_port', this.cache.replicationGroup.port);
    this.publish('cache_user_names', Object.fromEntries(this.cache.serviceUserNames));
    this.publish('cache_admin_secret_arn', this.cache.adminSecret.arn);
    const shared = this.sharedCache;
    const sharedGroup = shared?.replicationGroup;
    const sharedEndpoints = sharedGroup ? { primary: sharedGroup.primaryEndpointAddress, reader: sharedGroup.readerEndpointAddress } : {};
    this.publish('cache_shared_endpoints', sharedEndpoints);
    this.publish('cache_shared_user_names', shared ? Object.fromEntries(shared.serviceUserNames) : {});
    this.publish('application_secret_arns', Object.fromEntries(this.secrets.arns));
    this.publish('opensearch_endpoint', this.search.domain.endpoint);
    this.publish('opensearch_domain_arn', this.search.arn);
  }
}

/** Per service that owns or reads a shared keyspace: read-write on the ones it owns, read-only on the ones it is a reader of. */
function sharedKeyspaceUsers(services: readonly ServiceConfig[]): Map<string, CacheUserAccess> {
  const owned = new Map<string, string[]>();
  const read = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, service: string, keyspace: string) => map.set(service, [...(map.get(service) ?? []), keyspace]);
  for (const service of services) {
    for (const keyspace of service.cacheKeyspaces) {
      add(owned, service.name, keyspace.name);
      for (const reader of keyspace.readers) add(read, reader, keyspace.name);
    }
  }
  const users = [...new Set([...owned.keys(), ...read.keys()])].sort();
  return new Map(users.map((service) => [service, { readWrite: owned.get(service) ?? [], readOnly: read.get(service) ?? [] }]));
}

/**
 * Records a config risk acceptance in the resource's `//` comment, where the policy check reads it
 * and reports the rule's finding as accepted (with reason, owner and expiry) instead of failing.
 */
function acceptRisk(resource: TerraformResource, rule: string, acceptance: RiskAcceptance): void {
  resource.addOverride(`//.${RISK_ACCEPTANCES_KEY}.${rule}`, {
    reason: acceptance.reason,
    acceptedBy: acceptance.acceptedBy,
    expires: acceptance.expires,
  });
}
