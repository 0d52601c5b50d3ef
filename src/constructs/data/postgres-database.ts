import { POSTGRES_ENGINE_MAJORS, RDS_BACKUP_RETENTION_DAYS, RDS_MONITORING_INTERVALS } from '../../config/schema/data';
import { DbInstance } from '@cdktn/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktn/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktn/provider-aws/lib/db-subnet-group';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import type { PostgresThresholds } from '../../config/schema/observability';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { MetricAlarm, type AlarmDestination, type MetricAlarmProps } from '../observability/metric-alarm';
import { awsManagedPolicyArn, formatArn, partitionOf } from '../../naming';
import { AwsServiceRole } from '../security/aws-service-role';
import { policyDocument } from '../security/policy-document';
import { ServiceGrant } from '../security/service-grant';
import { StoreSecurityGroup } from './store-security-group';
import { invalidProp } from '../invalid-prop';
import { stableAddress } from '../stable-address';

export const POSTGRES_PORT = 5432;
/** Log types exported to CloudWatch; RDS would otherwise create these groups unencrypted and unexpiring. */
const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

export interface PostgresDatabaseProps {
  /** DB instance identifier, from `Naming.name('postgres')`; also names the subnet, parameter and security groups. */
  readonly identifier: string;
  /** Name of the Enhanced Monitoring role, from `Naming.roleName(...)`. */
  readonly monitoringRoleName: string;
  /** Only RDS monitoring of this account may assume the monitoring role; IAM authentication logs in to this account's instance. */
  readonly accountId: string;
  /** Region of the instance, for the Secrets Manager endpoint the master secret is decrypted through. */
  readonly region: string;
  /** PostgreSQL major version, 16–18. */
  readonly engineMajor: number;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  /** Ceiling of storage autoscaling. */
  readonly maxAllocatedStorageGiB: number;
  readonly databaseName: string;
  /** Customer-managed key for storage, the master secret and Performance Insights. */
  readonly kmsKeyArn: string;
  readonly vpcId: string;
  /** Isolated data subnets, one per zone. */
  readonly subnetIds: readonly string[];
  /** The only security group admitted on port 5432. */
  readonly clientSecurityGroupId: string;
  readonly multiAz: boolean;
  /** 1–35 days of point-in-time recovery. */
  readonly backupRetentionDays: number;
  /** Daily UTC window "hh:mm-hh:mm". */
  readonly backupWindow: string;
  /** Weekly UTC window "ddd:hh:mm-ddd:hh:mm"; must not overlap backupWindow. */
  readonly maintenanceWindow: string;
  /** Retention of the exported PostgreSQL logs (a CloudWatch Logs period). */
  readonly logRetentionDays: number;
  /**
   * Refuse DeleteDBInstance until this is turned off in a separate apply.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Terraform refuses any plan that destroys the instance (lifecycle.prevent_destroy).
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Days of Performance Insights history: 7, a multiple of 31, or 731.
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Enhanced Monitoring granularity in seconds: 1, 5, 10, 15, 30 or 60.
   * @default 60
   */
  readonly monitoringIntervalSeconds?: number;
}

/**
 * A PostgreSQL RDS instance that is private, encrypted with a customer-managed key, recoverable to
 * any second of its backup window and reachable only over TLS. RDS manages the master password in
 * Secrets Manager (Terraform never sees it); applications connect with IAM database authentication.
 */
export class PostgresDatabase extends Construct {
  readonly identifier: string;
  readonly instance: DbInstance;
  readonly securityGroup: StoreSecurityGroup;
  readonly parameterGroup: DbParameterGroup;
  /** Isolated data subnets; restores (restore tests, runbooks) go here too. */
  readonly subnetGroup: DbSubnetGroup;
  private readonly kmsKeyArn: string;
  private readonly region: string;
  private readonly accountId: string;
  private readonly storage: { readonly allocatedGiB: number; readonly maxAllocatedGiB: number };

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`PostgresDatabase ${props.identifier}`, prop, allowed, got);
    const { min: oldest, max: newest } = POSTGRES_ENGINE_MAJORS;
    if (!Number.isInteger(props.engineMajor) || props.engineMajor < oldest || props.engineMajor > newest)
      fail('engineMajor', `${oldest}–${newest}`, props.engineMajor);
    if (props.maxAllocatedStorageGiB < props.allocatedStorageGiB)
      fail('maxAllocatedStorageGiB', `at least allocatedStorageGiB (${props.allocatedStorageGiB})`, props.maxAllocatedStorageGiB);
    const retention = RDS_BACKUP_RETENTION_DAYS;
    if (props.backupRetentionDays < retention.min || props.backupRetentionDays > retention.max)
      fail('backupRetentionDays', `${retention.min}–${retention.max} (0 would disable point-in-time recovery)`, props.backupRetentionDays);
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    if (!(RDS_MONITORING_INTERVALS as readonly number[]).includes(monitoringInterval))
      fail('monitoringIntervalSeconds', `one of ${RDS_MONITORING_INTERVALS.join(', ')}`, monitoringInterval);
    const piRetention = props.performanceInsightsRetentionDays ?? 7;
    if (!(piRetention === 7 || piRetention === 731 || (piRetention % 31 === 0 && piRetention >= 31 && piRetention <= 713))) {
      fail('performanceInsightsRetentionDays', '7, a multiple of 31 up to 713, or 731', piRetention);
    }
    if (props.subnetIds.length < 2)
      fail('subnetIds', 'at least two subnets in different zones (RDS requires it, Multi-AZ uses them)', props.subnetIds.length);
    this.identifier = props.identifier;
    this.kmsKeyArn = props.kmsKeyArn;
    this.region = props.region;
    this.accountId = props.accountId;
    this.storage = { allocatedGiB: props.allocatedStorageGiB, maxAllocatedGiB: props.maxAllocatedStorageGiB };

    this.securityGroup = new StoreSecurityGroup(this, 'security-group', {
      name: props.identifier,
      store: 'PostgreSQL',
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
      sourceSecurityGroupId: props.clientSecurityGroupId,
    });
    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      name: props.identifier,
      description: `Isolated data subnets of ${props.identifier}`,
      subnetIds: [...props.subnetIds],
    });
    this.parameterGroup = new DbParameterGroup(this, 'parameter-group', {
      name: `${props.identifier}-pg${props.engineMajor}`,
      family: `postgres${props.engineMajor}`,
      description: `${props.identifier}: TLS only, slow statements, DDL and lock waits logged`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        // A statement that runs longer than a second is logged with its duration.
        { name: 'log_min_duration_statement', value: '1000' },
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_lock_waits', value: '1' },
        { name: 'log_temp_files', value: '10240' },
        { name: 'log_autovacuum_min_duration', value: '10000' },
      ],
      // A new major needs a new family: create the new group before the instance lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    const monitoringRole = new AwsServiceRole(this, 'monitoring-role', {
      roleName: props.monitoringRoleName,
      description: `Enhanced Monitoring of ${props.identifier}`,
      servicePrincipal: 'monitoring.rds.amazonaws.com',
      accountId: props.accountId,
      managedPolicyArns: [awsManagedPolicyArn(partitionOf(props.region), 'service-role/AmazonRDSEnhancedMonitoringRole')],
    });

    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (type) =>
        new EncryptedLogGroup(this, `log-${type}`, {
          name: `/aws/rds/instance/${props.identifier}/${type}`,
          kmsKeyArn: props.kmsKeyArn,
          retentionInDays: props.logRetentionDays,
        }),
    );

    this.instance = new DbInstance(this, 'instance', {
      identifier: props.identifier,
      engine: 'postgres',
      // The major only: RDS picks the current minor and auto_minor_version_upgrade keeps it current.
      engineVersion: String(props.engineMajor),
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      autoMinorVersionUpgrade: true,
      // The major changes only when engineMajor does (a reviewed config change), together with the parameter family.
      allowMajorVersionUpgrade: true,
      instanceClass: props.instanceClass,
      dbName: props.databaseName,
      username: 'dbadmin',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      storageType: 'gp3',
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: props.maxAllocatedStorageGiB,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      multiAz: props.multiAz,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      parameterGroupName: this.parameterGroup.name,
      backupRetentionPeriod: props.backupRetentionDays,
      backupWindow: props.backupWindow,
      maintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      deletionProtection: props.deletionProtection ?? true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: piRetention,
      monitoringInterval,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      // Parameter and instance changes wait for the maintenance window instead of restarting now.
      applyImmediately: false,
      dependsOn: [...logGroups.map((group) => group.logGroup), ...monitoringRole.grants],
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    stableAddress(this.instance, props.identifier);
  }

  /**
   * Lets a role log in as the master user: find the instance's endpoint and master secret
   * (`DescribeDBInstances` on this instance), read that secret, and decrypt it with the key only
   * through Secrets Manager and only for that secret (encryption context `SecretARN`,
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
   */
  grantMasterLogin(roleName: string): IamRolePolicy {
    const secretArn = this.instance.masterUserSecret.get(0).secretArn;
    return new IamRolePolicy(this, 'master-login', {
      name: 'postgres-master-login',
      role: roleName,
      policy: policyDocument([
        { sid: 'FindTheInstance', actions: ['rds:DescribeDBInstances'], resources: [this.instance.arn] },
        { sid: 'ReadTheMasterSecret', actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] },
        {
          sid: 'DecryptTheMasterSecretOnly',
          actions: ['kms:Decrypt'],
          resources: [this.kmsKeyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn },
          },
        },
      ]),
    });
  }

  /**
   * Lets a service's role log in as its own database user with IAM authentication (`rds-db:connect`
   * on that user of this instance); the user itself is made by PostgresServiceLogins.
   */
  grantConnect(service: string, roleName: string, user: string): ServiceGrant {
    const dbUser = formatArn(partitionOf(this.region), 'rds-db', this.region, this.accountId, `dbuser:${this.resourceId}/${user}`);
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: 'postgres',
      statements: [{ sid: 'ConnectAsOwnDatabaseUser', actions: ['rds-db:connect'], resources: [dbUser] }],
    });
  }

  /**
   * The instance's alarms, each to `destination`: CPU, free storage, freeable memory, connections, read
   * and write latency. Free storage is measured against the initial allocation: storage autoscaling
   * grows the volume when free space falls to 10 % of it, so below 10 % of the allocation the alarm
   * fires only when autoscaling cannot keep up or the ceiling (`maxAllocatedStorageGiB`) is reached.
   * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
   */
  addAlarms(destination: AlarmDestination, thresholds: PostgresThresholds): MetricAlarm[] {
    const { allocatedGiB, maxAllocatedGiB } = this.storage;
    if (maxAllocatedGiB > allocatedGiB && thresholds.freeStoragePercent >= 10) {
      const allowed = 'below 10 while storage autoscaling is on (it grows the volume at 10 % free)';
      invalidProp(`PostgresDatabase ${this.identifier}`, 'thresholds.freeStoragePercent', allowed, thresholds.freeStoragePercent);
    }
    const dimensions = { DBInstanceIdentifier: this.instance.identifier };
    const metric = (metricName: string, statistic: string) => ({ namespace: 'AWS/RDS', metricName, dimensions, statistic });
    const alarm = (signal: string, props: Omit<MetricAlarmProps, 'name' | 'runbook' | 'destination'>) =>
      new MetricAlarm(this, `alarm-${signal}`, {
        name: `${this.identifier}-${signal}`,
        runbook: `postgres-${signal}`,
        destination,
        ...props,
      });
    const freeGiB = (allocatedGiB * thresholds.freeStoragePercent) / 100;
    const id = this.identifier;
    return [
      alarm('cpu', {
        summary: `CPU of ${id} has averaged above ${thresholds.cpuPercent} % for 15 minutes.`,
        metric: metric('CPUUtilization', 'Average'),
        comparison: 'GreaterThanThreshold',
        threshold: thresholds.cpuPercent,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: 'missing',
      }),
      alarm('free-storage', {
        summary:
          `Free storage of ${id} is below ${freeGiB} GiB (${thresholds.freeStoragePercent} % of the ${allocatedGiB} GiB allocated): ` +
          `autoscaling, up to ${maxAllocatedGiB} GiB, is not keeping up or has reached its ceiling.`,
        metric: metric('FreeStorageSpace', 'Minimum'),
        comparison: 'LessThanThreshold',
        threshold: freeGiB * 1024 ** 3,
        periodSeconds: 300,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
      }),
      alarm('freeable-memory', {
        summary: `Freeable memory of ${id} has stayed below ${thresholds.freeableMemoryMiB} MiB for 15 minutes.`,
        metric: metric('FreeableMemory', 'Minimum'),
        comparison: 'LessThanThreshold',
        threshold: thresholds.freeableMemoryMiB * 1024 ** 2,
        periodSeconds: 300,
        evaluationPeriods: 3,
        treatMissingData: 'missing',
      }),
      alarm('connections', {
        summary: `${id} has held more than ${thresholds.connections} connections for 10 minutes.`,
        metric: metric('DatabaseConnections', 'Maximum'),
        comparison: 'GreaterThanThreshold',
        threshold: thresholds.connections,
        periodSeconds: 300,
        evaluationPeriods: 2,
        treatMissingData: 'missing',
      }),
      ...(['read', 'write'] as const).map((direction) => {
        const limitMs = direction === 'read' ? thresholds.readLatencyMs : thresholds.writeLatencyMs;
        return alarm(`${direction}-latency`, {
          summary: `${direction === 'read' ? 'Read' : 'Write'} latency of ${id} has averaged above ${limitMs} ms for 15 minutes.`,
          metric: metric(direction === 'read' ? 'ReadLatency' : 'WriteLatency', 'Average'),
          comparison: 'GreaterThanThreshold',
          threshold: limitMs / 1000,
          periodSeconds: 300,
          evaluationPeriods: 3,
          treatMissingData: 'missing',
        });
      }),
    ];
  }

  /** The resource id RDS IAM authentication policies are scoped to (`rds-db:connect`). */
  get resourceId(): string {
    return this.instance.resourceId;
  }
}
