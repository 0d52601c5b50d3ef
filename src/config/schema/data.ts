import { z } from 'zod';
import { dailyWindow, riskAcceptance, weeklyWindow } from './common';
import { BACKUP_MAINTENANCE_MARGIN_MINUTES, DAILY_BACKUP_START_WINDOW } from './recovery';

/** ElastiCache engine versions per engine; both support RBAC users with IAM authentication. */
export const CACHE_ENGINE_VERSIONS = { valkey: ['7.2', '8.0', '8.1'], redis: ['7.0', '7.1'] } as const;
/** PostgreSQL major versions this repository runs (RDS offers them with IAM auth and the SQL the login Jobs use). */
export const POSTGRES_ENGINE_MAJORS = { min: 16, max: 18 } as const;
/** RDS automated backups: 1–35 days (0 would turn off point-in-time recovery). */
export const RDS_BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;
/** Enhanced Monitoring intervals RDS accepts, seconds. */
export const RDS_MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;
/** OpenSearch versions the domain may run (Amazon OpenSearch Service, standard support). */
const SEARCH_ENGINE_VERSIONS = ['OpenSearch_2.13', 'OpenSearch_2.15', 'OpenSearch_2.17', 'OpenSearch_2.19', 'OpenSearch_3.1'] as const;
/** Performance Insights keeps 7 days free, then whole months (31 days) up to two years. */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = [7, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1)), 731] as const;

const postgresConfig = z
  .object({
    engineMajor: z
      .number()
      .int()
      .min(
        POSTGRES_ENGINE_MAJORS.min,
        `must be a PostgreSQL major version from ${POSTGRES_ENGINE_MAJORS.min} to ${POSTGRES_ENGINE_MAJORS.max}`,
      )
      .max(
        POSTGRES_ENGINE_MAJORS.max,
        `must be a PostgreSQL major version from ${POSTGRES_ENGINE_MAJORS.min} to ${POSTGRES_ENGINE_MAJORS.max}`,
      )
      .default(17)
      .describe('PostgreSQL major version.'),
    instanceClass: z
      .string()
      .regex(
        /^db\.(t4g|t3|m[5-8]g?d?|r[5-8]g?d?|x2g)\.[a-z0-9]+$/,
        'must be an RDS instance class such as "db.r7g.large" (families t3, t4g, m5–m8, r5–r8, x2g)',
      )
      .describe('RDS instance class of the primary (and of the standby with Multi-AZ).'),
    allocatedStorageGiB: z.number().int().min(20).max(65536).describe('gp3 storage allocated at creation, GiB.'),
    maxAllocatedStorageGiB: z
      .number()
      .int()
      .min(20)
      .max(65536)
      .describe('Ceiling of storage autoscaling, GiB; at least `allocatedStorageGiB`.'),
    databaseName: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,62}$/,
        'must be a PostgreSQL identifier: a lowercase letter, then up to 62 lowercase letters, digits or "_"',
      )
      .default('app')
      .describe("Name of the instance's initial database, owned by the master user; each service gets its own database besides."),
    multiAz: z
      .boolean()
      .describe('A standby in another zone; must be true in staging and production unless `singleAzRiskAcceptance` is set.'),
    singleAzRiskAcceptance: riskAcceptance
      .optional()
      .describe('Required to run a staging or production database without Multi-AZ (only with `multiAz: false`); in the policy report.'),
    backupRetentionDays: z
      .number()
      .int()
      .min(RDS_BACKUP_RETENTION_DAYS.min, `must be ${RDS_BACKUP_RETENTION_DAYS.min}–${RDS_BACKUP_RETENTION_DAYS.max} days (RDS limit)`)
      .max(RDS_BACKUP_RETENTION_DAYS.max, `must be ${RDS_BACKUP_RETENTION_DAYS.min}–${RDS_BACKUP_RETENTION_DAYS.max} days (RDS limit)`)
      .describe('Days of automated backups: the point-in-time restore window. Production needs at least 14.'),
    backupWindow: dailyWindow.describe('Daily UTC window of automated backups; at least 30 minutes, not overlapping `maintenanceWindow`.'),
    maintenanceWindow: weeklyWindow.describe(
      'Weekly UTC maintenance window; at least 30 minutes, and clear of the daily AWS Backup snapshot: not in its start window ' +
        `(${DAILY_BACKUP_START_WINDOW} UTC) ` +
        `nor starting within ${BACKUP_MAINTENANCE_MARGIN_MINUTES} minutes after it.`,
    ),
    performanceInsightsRetentionDays: z
      .number()
      .int()
      .refine((days) => (PERFORMANCE_INSIGHTS_RETENTION_DAYS as readonly number[]).includes(days), {
        message: 'must be 7, a multiple of 31 up to 713, or 731 (Performance Insights retention)',
      })
      .default(7)
      .describe('Days Performance Insights keeps; the first 7 are free.'),
    monitoringIntervalSeconds: z
      .literal(RDS_MONITORING_INTERVALS, { message: `must be one of ${RDS_MONITORING_INTERVALS.join(', ')} (Enhanced Monitoring)` })
      .default(60)
      .describe('Interval of Enhanced Monitoring, seconds.'),
  })
  .strict();

const cacheNodeType = z
  .string()
  .regex(
    /^cache\.(t4g|t3|m[5-7]g?|r[5-7]g?d?)\.[a-z0-9]+$/,
    'must be an ElastiCache node type such as "cache.r7g.large" (families t3, t4g, m5–m7g, r5–r7g)',
  );

const engineVersions = Object.entries(CACHE_ENGINE_VERSIONS)
  .map(([engine, versions]) => `${engine} ${versions.join(', ')}`)
  .join('; ');

const cacheConfig = z
  .object({
    engine: z.enum(['valkey', 'redis'], { message: 'must be "valkey" or "redis"' }).default('valkey').describe('ElastiCache engine.'),
    engineVersion: z.string().describe(`Engine version: ${engineVersions} (the versions with RBAC and IAM authentication).`),
    nodeType: cacheNodeType.describe('Node type of the primary and each replica.'),
    sharedNodeType: cacheNodeType
      .optional()
      .describe(
        "Node type of the shared cache that holds the services' `cacheKeyspaces` and never evicts (docs/data.md has the sizing); " +
          'it has the same replicas, windows and snapshots as the cache. Omitted, `nodeType`.',
      ),
    replicas: z.number().int().min(0).max(5).describe('Replicas of the primary; production needs at least one, in another zone.'),
    snapshotRetentionDays: z.number().int().min(0).max(35).describe('Days daily snapshots are kept; production needs at least 7.'),
    snapshotWindow: dailyWindow.describe('Daily UTC snapshot window; at least 60 minutes, not overlapping `maintenanceWindow`.'),
    maintenanceWindow: weeklyWindow.describe('Weekly UTC maintenance window; at least 60 minutes.'),
    adminPasswordVersion: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('Increment to rotate the admin password of both caches: the next apply writes a new one to the user and the secret.'),
  })
  .strict();

const searchConfig = z
  .object({
    engineVersion: z
      .enum(SEARCH_ENGINE_VERSIONS, { message: `must be one of ${SEARCH_ENGINE_VERSIONS.join(', ')}` })
      .describe('OpenSearch version.'),
    instanceType: z
      .string()
      .regex(
        /^(t3|m[5-7]g?|r[5-7]g?d?|c[5-7]g?|or[12]|im4gn|i[34]g?)\.[a-z0-9]+\.search$/,
        'must be an OpenSearch instance type such as "r7g.large.search" (families t3, m5–m7g, r5–r7gd, c5–c7g, or1–or2, im4gn, i3–i4g)',
      )
      .describe('Instance type of the data nodes.'),
    instanceCount: z
      .number()
      .int()
      .min(1)
      .max(80)
      .describe('Data nodes: a multiple of the zones they spread over (min(count, `network.azCount`, 3)); in production a multiple of 3.'),
    dedicatedMasterType: z
      .string()
      .regex(/^(t3|m[5-7]g?|r[5-7]g?d?|c[5-7]g?)\.[a-z0-9]+\.search$/, 'must be an OpenSearch instance type such as "m7g.large.search"')
      .optional()
      .describe('Three dedicated master nodes of this type; required in production.'),
    volumeSizeGiB: z.number().int().min(10).max(24576).describe('gp3 volume of each data node, GiB.'),
    snapshotHour: z.number().int().min(0).max(23).default(2).describe('Hour (UTC) of the daily automated snapshot.'),
    offPeakStartHour: z
      .number()
      .int()
      .min(0)
      .max(23)
      .default(22)
      .describe('Start hour (UTC) of the daily 10-hour off-peak window in which updates and Auto-Tune changes run.'),
  })
  .strict();

export const dataConfig = z
  .object({
    postgres: postgresConfig.describe('The PostgreSQL instance.'),
    cache: cacheConfig.describe('The Valkey (or Redis OSS) cache, and the never-evicting cache of the shared keyspaces.'),
    search: searchConfig.describe('The OpenSearch domain.'),
  })
  .strict();
