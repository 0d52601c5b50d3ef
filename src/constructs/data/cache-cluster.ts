import { CACHE_ENGINE_VERSIONS } from '../../config/schema/data';
import { ElasticacheParameterGroup } from '@cdktn/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktn/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktn/provider-aws/lib/elasticache-subnet-group';
import { ElasticacheUser } from '@cdktn/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktn/provider-aws/lib/elasticache-user-group';
import { EphemeralAwsSecretsmanagerRandomPassword } from '@cdktn/provider-aws/lib/ephemeral-aws-secretsmanager-random-password';
import { SecretsmanagerSecret } from '@cdktn/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktn/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import type { CacheThresholds } from '../../config/schema/observability';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { MetricAlarm, type AlarmDestination, type MetricAlarmProps } from '../observability/metric-alarm';
import { StoreSecurityGroup } from './store-security-group';
import { invalidProp } from '../invalid-prop';
import { ServiceGrant, type GrantName } from '../security/service-grant';
import { stableAddress } from '../stable-address';

export const CACHE_PORT = 6379;
const CACHE_LOG_TYPES = ['slow-log', 'engine-log'] as const;
const KEY_PREFIX = /^[a-z][a-z0-9-]*$/;

/**
 * Commands that read or change the whole keyspace without naming keys, so key patterns do not limit
 * them (valkey-io/valkey#370: SCAN, RANDOMKEY, KEYS, FLUSHALL, FLUSHDB; Redis docs add SWAPDB). KEYS,
 * FLUSHALL, FLUSHDB and SWAPDB are in `@dangerous` (src/commands/*.json of Valkey), which every
 * access string removes; SCAN and RANDOMKEY are not, so they are removed by name. Listing the
 * others again would be redundant, and ElastiCache may rewrite a redundant access string, which
 * Terraform then reports as a perpetual diff (hashicorp/terraform-provider-aws#20334).
 */
const KEY_PATTERN_BLIND_COMMANDS = ['scan', 'randomkey'] as const;

/**
 * What eviction does under memory pressure: `volatile-lru` evicts least recently used keys that
 * carry a TTL; `noeviction` evicts nothing and refuses writes with an OOM error instead.
 */
export const EVICTION_POLICIES = ['volatile-lru', 'noeviction'] as const;
export type EvictionPolicy = (typeof EVICTION_POLICIES)[number];

export type CacheEngine = keyof typeof CACHE_ENGINE_VERSIONS;

/** The keys and channels one cache user may touch, each as a prefix `<prefix>:`. */
export interface CacheUserAccess {
  /** Key prefixes the user reads and writes (`~<prefix>:*`). */
  readonly readWrite: readonly string[];
  /**
   * Key prefixes the user may only read (`%R~<prefix>:*`, Valkey 7.2+ / Redis OSS 7.0+ on ElastiCache).
   * A user with no read-write prefix also loses every write command (`-@write`).
   * @default - none
   */
  readonly readOnly?: readonly string[];
  /**
   * Pub/sub channel prefixes (`&<prefix>:*`); without any the user can neither publish nor subscribe.
   * @default - none
   */
  readonly channels?: readonly string[];
}

/**
 * The ElastiCache access string for `access`, in the order ACL LIST prints rules (keys, channels,
 * commands). Syntax: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html#Access-string
 */
export function cacheAccessString(access: CacheUserAccess): string {
  const readOnly = access.readOnly ?? [];
  const channels = access.channels ?? [];
  for (const prefix of [...access.readWrite, ...readOnly, ...channels]) {
    if (!KEY_PREFIX.test(prefix)) {
      invalidProp('cacheAccessString', 'prefix', 'lowercase letters, digits and "-", starting with a letter (no glob characters)', prefix);
    }
  }
  if (access.readWrite.length + readOnly.length === 0) {
    invalidProp('cacheAccessString', 'readWrite', 'at least one key prefix (read-write or read-only)', access);
  }
  return [
    'on',
    ...access.readWrite.map((prefix) => `~${prefix}:*`),
    ...readOnly.map((prefix) => `%R~${prefix}:*`),
    ...channels.map((prefix) => `&${prefix}:*`),
    '+@all',
    ...(access.readWrite.length === 0 ? ['-@write'] : []),
    '-@dangerous',
    ...KEY_PATTERN_BLIND_COMMANDS.map((command) => `-${command}`),
  ].join(' ');
}

/** Secrets Manager name of the admin password of the cache named `cacheName`. */
function cacheAdminSecretName(cacheName: string): string {
  return `${cacheName}/admin`;
}

export interface CacheClusterProps {
  /** Replication group id, from `Naming.name(...)`; prefixes the user ids and group names. */
  readonly name: string;
  /** What the group holds, for its description. */
  readonly purpose: string;
  /** Log groups are created as `<logGroupPrefix>/slow-log` and `/engine-log`. */
  readonly logGroupPrefix: string;
  readonly engine: CacheEngine;
  /** Valkey 7.2 / 8.x or Redis OSS 7.x: the versions with RBAC users that authenticate with IAM. */
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Read replicas; each sits in the zone after the previous node's, so the first is in another zone. */
  readonly replicas: number;
  /** Zones of the data subnets, in subnet order. */
  readonly availabilityZones: readonly string[];
  readonly subnetIds: readonly string[];
  readonly vpcId: string;
  /** The only security group admitted on port 6379. */
  readonly clientSecurityGroupId: string;
  /** Customer-managed key for data at rest and the admin secret. */
  readonly kmsKeyArn: string;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly logRetentionDays: number;
  /** Service name → what its IAM-authenticated cache user may touch. */
  readonly serviceUsers: ReadonlyMap<string, CacheUserAccess>;
  /**
   * `maxmemory-policy` of the group.
   * @default 'noeviction' (nothing is lost silently; writes fail loudly when memory is full)
   */
  readonly evictionPolicy?: EvictionPolicy;
  /** Bump to write a new admin password to the user and the secret in the same apply. */
  readonly adminPasswordVersion: number;
  /**
   * Terraform refuses any plan that destroys the replication group.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A Valkey / Redis OSS replication group with TLS required, encryption at rest with a customer-managed
 * key and RBAC: the default user is disabled, each service has its own IAM-authenticated user, and
 * the admin password never enters Terraform state (ephemeral value, write-only arguments).
 */
export class CacheCluster extends Construct {
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly securityGroup: StoreSecurityGroup;
  /** Service name → cache user; the user id equals the user name, as IAM authentication requires. */
  readonly serviceUsers: ReadonlyMap<string, ElasticacheUser>;
  /** Service name → cache user name, known at synth time (for the outputs contract). */
  readonly serviceUserNames: ReadonlyMap<string, string>;
  readonly adminUser: ElasticacheUser;
  readonly adminSecret: SecretsmanagerSecret;
  private readonly groupId: string;
  private readonly nodes: number;
  private readonly evictionPolicy: EvictionPolicy;

  constructor(scope: Construct, id: string, props: CacheClusterProps) {
    super(scope, id);
    this.groupId = props.name;
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`CacheCluster ${props.name}`, prop, allowed, got);
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.name) || props.name.endsWith('-'))
      fail('name', 'a replication group id: 1–40 lowercase letters, digits or "-", starting with a letter', props.name);
    const versions: readonly string[] = CACHE_ENGINE_VERSIONS[props.engine] ?? [];
    if (!versions.includes(props.engineVersion))
      fail('engineVersion', `one of ${versions.join(', ')} for ${props.engine}`, props.engineVersion);
    if (!Number.isInteger(props.replicas) || props.replicas < 0 || props.replicas > 5) fail('replicas', '0–5', props.replicas);
    if (props.availabilityZones.length === 0 || props.availabilityZones.length !== props.subnetIds.length)
      fail('availabilityZones', `one zone per subnet (${props.subnetIds.length})`, props.availabilityZones);
    if (props.replicas > 0 && props.availabilityZones.length < 2)
      fail('availabilityZones', 'at least two zones when there are replicas', props.availabilityZones);
    if (!Number.isInteger(props.adminPasswordVersion) || props.adminPasswordVersion < 1)
      fail('adminPasswordVersion', 'a positive integer', props.adminPasswordVersion);
    const evictionPolicy = props.evictionPolicy ?? 'noeviction';
    if (!EVICTION_POLICIES.includes(evictionPolicy)) fail('evictionPolicy', EVICTION_POLICIES.join(', '), evictionPolicy);
    if (props.serviceUsers.size === 0) fail('serviceUsers', 'at least one service user', [...props.serviceUsers.keys()]);

    this.securityGroup = new StoreSecurityGroup(this, 'security-group', {
      name: props.name,
      store: `${props.engine === 'valkey' ? 'Valkey' : 'Redis OSS'} cache`,
      vpcId: props.vpcId,
      port: CACHE_PORT,
      sourceSecurityGroupId: props.clientSecurityGroupId,
    });
    const subnetGroup = new ElasticacheSubnetGroup(this, 'subnet-group', {
      name: props.name,
      description: `Isolated data subnets of ${props.name}`,
      subnetIds: [...props.subnetIds],
    });
    const family = `${props.engine}${props.engineVersion.split('.')[0]}`;
    const parameterGroup = new ElasticacheParameterGroup(this, 'parameter-group', {
      name: `${props.name}-${family}`,
      family,
      description: `${props.name}: ${evictionPolicy === 'noeviction' ? 'never evicts keys' : 'evicts only keys that carry a TTL'}`,
      parameter: [{ name: 'maxmemory-policy', value: evictionPolicy }],
      lifecycle: { createBeforeDestroy: true },
    });

    const user = (
      key: string,
      userName: string,
      userId: string,
      accessString: string,
      auth: { iam: true } | { passwordsWo: string; passwordsWoVersion: number },
    ) =>
      new ElasticacheUser(this, `user-${key}`, {
        userId,
        userName,
        engine: props.engine,
        accessString,
        ...('iam' in auth
          ? { authenticationMode: { type: 'iam' } }
          : { passwordsWo: auth.passwordsWo, passwordsWoVersion: auth.passwordsWoVersion }),
      });

    // A user group must hold a user named "default"; this one is switched off, and its random
    // password (never stored anywhere) only satisfies the rule that every user authenticates.
    const defaultPassword = this.password('default-password');
    const defaultUser = user('default', 'default', `${props.name}-default`, 'off -@all', {
      passwordsWo: defaultPassword.randomPassword,
      passwordsWoVersion: 1,
    });

    const adminName = `${props.name}-admin`;
    const adminPassword = this.password('admin-password');
    this.adminUser = user('admin', adminName, adminName, 'on ~* &* +@all', {
      passwordsWo: adminPassword.randomPassword,
      passwordsWoVersion: props.adminPasswordVersion,
    });
    this.adminSecret = new SecretsmanagerSecret(this, 'admin-secret', {
      name: cacheAdminSecretName(props.name),
      description: `Password of the ${adminName} user of ${props.name} (break-glass; services use IAM)`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 30,
    });
    stableAddress(this.adminSecret, cacheAdminSecretName(props.name));
    new SecretsmanagerSecretVersion(this, 'admin-secret-version', {
      secretId: this.adminSecret.id,
      secretStringWo: Fn.jsonencode({ username: adminName, password: adminPassword.randomPassword }),
      secretStringWoVersion: props.adminPasswordVersion,
    });

    this.serviceUserNames = new Map([...props.serviceUsers.keys()].map((service) => [service, `${props.name}-${service}`]));
    this.serviceUsers = new Map(
      [...this.serviceUserNames].map(([service, userName]) => [
        service,
        user(`svc-${service}`, userName, userName, cacheAccessString(props.serviceUsers.get(service)!), { iam: true }),
      ]),
    );

    const userGroup = new ElasticacheUserGroup(this, 'user-group', {
      userGroupId: props.name,
      engine: props.engine,
      userIds: [defaultUser.userId, this.adminUser.userId, ...[...this.serviceUsers.values()].map((u) => u.userId)],
    });

    const logGroups = CACHE_LOG_TYPES.map(
      (type) =>
        [
          type,
          new EncryptedLogGroup(this, `log-${type}`, {
            name: `${props.logGroupPrefix}/${type}`,
            kmsKeyArn: props.kmsKeyArn,
            retentionInDays: props.logRetentionDays,
          }),
        ] as const,
    );
    const nodes = props.replicas + 1;
    this.nodes = nodes;
    this.evictionPolicy = evictionPolicy;
    const highlyAvailable = props.replicas > 0;
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: props.name,
      description: `${props.engine} ${props.engineVersion} ${props.purpose} (RBAC, TLS required)`,
      engine: props.engine,
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      port: CACHE_PORT,
      numCacheClusters: nodes,
      preferredCacheClusterAzs: Array.from({ length: nodes }, (_, i) => props.availabilityZones[i % props.availabilityZones.length]),
      automaticFailoverEnabled: highlyAvailable,
      multiAzEnabled: highlyAvailable,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      parameterGroupName: parameterGroup.name,
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [userGroup.userGroupId],
      autoMinorVersionUpgrade: 'true',
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow,
      maintenanceWindow: props.maintenanceWindow,
      finalSnapshotIdentifier: `${props.name}-final`,
      applyImmediately: false,
      logDeliveryConfiguration: logGroups.map(([type, group]) => ({
        destination: group.name,
        destinationType: 'cloudwatch-logs',
        logFormat: 'json',
        logType: type,
      })),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    stableAddress(this.replicationGroup, props.name);
  }

  /**
   * Lets a service's role connect (IAM authentication) to this group as its own cache user only:
   * `elasticache:Connect` on the group and that user, as AWS's IAM authentication page requires.
   */
  grantConnect(service: string, roleName: string, grant: GrantName): ServiceGrant {
    const user = this.serviceUsers.get(service);
    if (!user) {
      invalidProp(`CacheCluster ${this.groupId}`, 'serviceUsers', `a user for ${service}`, [...this.serviceUsers.keys()]);
    }
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: grant,
      statements: [{ sid: 'ConnectAsOwnCacheUser', actions: ['elasticache:Connect'], resources: [this.replicationGroup.arn, user.arn] }],
    });
  }

  /**
   * Alarms per node (ElastiCache publishes Valkey metrics per member cluster), each to `destination`:
   * engine CPU (the engine's one thread), current connections and evictions, and on a group that
   * never evicts its memory use (writes fail when it is full) and on any eviction (there must be none);
   * with replicas, their replication lag. A group that evicts runs full by design, so memory use is no
   * signal there: its eviction rate is.
   * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html
   */
  addAlarms(destination: AlarmDestination, thresholds: CacheThresholds): MetricAlarm[] {
    const evicts = this.evictionPolicy !== 'noeviction';
    // Member clusters are a set; sorted, they are the nodes in the order ElastiCache numbered them.
    const members = Fn.sort(this.replicationGroup.memberClusters);
    return Array.from({ length: this.nodes }, (_, i) => {
      const node = `node-${i + 1}`;
      const dimensions = { CacheClusterId: Fn.element(members, i) };
      const metric = (metricName: string, statistic: string) => ({ namespace: 'AWS/ElastiCache', metricName, dimensions, statistic });
      const alarm = (signal: string, props: Omit<MetricAlarmProps, 'name' | 'runbook' | 'destination'>) =>
        new MetricAlarm(this, `alarm-${node}-${signal}`, {
          name: `${this.groupId}-${node}-${signal}`,
          runbook: `cache-${signal}`,
          destination,
          ...props,
        });
      const of = `${node} of ${this.groupId}`;
      return [
        alarm('engine-cpu', {
          summary: `Engine CPU of ${of} has averaged above ${thresholds.engineCpuPercent} % for 15 minutes.`,
          metric: metric('EngineCPUUtilization', 'Average'),
          comparison: 'GreaterThanThreshold',
          threshold: thresholds.engineCpuPercent,
          periodSeconds: 300,
          evaluationPeriods: 3,
          treatMissingData: 'missing',
        }),
        alarm('connections', {
          summary: `${of} has held more than ${thresholds.connections} client connections for 10 minutes.`,
          metric: metric('CurrConnections', 'Maximum'),
          comparison: 'GreaterThanThreshold',
          threshold: thresholds.connections,
          periodSeconds: 300,
          evaluationPeriods: 2,
          treatMissingData: 'missing',
        }),
        alarm('evictions', {
          summary: evicts
            ? `${of} has evicted over ${thresholds.evictionsPerMinute} keys a minute for 5 minutes: it is too small for its working set.`
            : `${of} evicted keys although it must never evict (maxmemory-policy noeviction): shared keyspaces are being lost.`,
          metric: metric('Evictions', 'Sum'),
          comparison: 'GreaterThanThreshold',
          threshold: evicts ? thresholds.evictionsPerMinute : 0,
          periodSeconds: 60,
          evaluationPeriods: evicts ? 5 : 1,
          treatMissingData: 'notBreaching',
        }),
        ...(evicts
          ? []
          : [
              alarm('memory', {
                summary: `${of} uses more than ${thresholds.memoryPercent} % of its memory and never evicts: writes fail once it is full.`,
                metric: metric('DatabaseMemoryUsagePercentage', 'Maximum'),
                comparison: 'GreaterThanThreshold',
                threshold: thresholds.memoryPercent,
                periodSeconds: 300,
                evaluationPeriods: 2,
                treatMissingData: 'missing',
              }),
            ]),
        // Only replicas report their lag; the node that is primary reports nothing.
        ...(this.nodes > 1
          ? [
              alarm('replication-lag', {
                summary: `${of} has lagged its primary by more than ${thresholds.replicationLagSeconds} s for 5 minutes.`,
                metric: metric('ReplicationLag', 'Maximum'),
                comparison: 'GreaterThanThreshold',
                threshold: thresholds.replicationLagSeconds,
                periodSeconds: 60,
                evaluationPeriods: 5,
                treatMissingData: 'notBreaching',
              }),
            ]
          : []),
      ];
    }).flat();
  }

  /** An ephemeral password: generated at plan/apply time, passed only to write-only arguments, never stored in state. */
  private password(id: string): EphemeralAwsSecretsmanagerRandomPassword {
    // Letters and digits only: ElastiCache rejects some punctuation, and 64 of them are ample entropy.
    return new EphemeralAwsSecretsmanagerRandomPassword(this, id, { passwordLength: 64, excludePunctuation: true, includeSpace: false });
  }
}
