import { z } from 'zod';
import { dailyWindow, riskAcceptance, weeklyWindow } from './common';

/** ElastiCache engine versions per engine; both support RBAC users with IAM authentication. */
export const CACHE_ENGINE_VERSIONS = { valkey: ['7.2', '8.0', '8.1'], redis: ['7.0', '7.1'] } as const;
/** OpenSearch versions the domain may run (Amazon OpenSearch Service, standard support). */
export const SEARCH_ENGINE_VERSIONS = ['OpenSearch_2.13', 'OpenSearch_2.15', 'OpenSearch_2.17', 'OpenSearch_2.19', 'OpenSearch_3.1'] as const;
/** Performance Insights keeps 7 days free, then whole months (31 days) up to two years. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = [7, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1)), 731] as const;

export const postgresConfig = z
  .object({
    engineMajor: z.number().int().min(16, 'must be a PostgreSQL major version from 16 to 18').max(18, 'must be a PostgreSQL major version from 16 to 18').default(17),
    instanceClass: z.string().regex(/^db\.(t4g|t3|m[5-8]g?d?|r[5-8]g?d?|x2g)\.[a-z0-9]+$/, 'must be an RDS instance class such as "db.r7g.large" (families t3, t4g, m5–m8, r5–r8, x2g)'),
    allocatedStorageGiB: z.number().int().min(20).max(65536),
    maxAllocatedStorageGiB: z.number().int().min(20).max(65536),
    /** Name of the database created with the instance; services use schemas inside it. */
    databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a PostgreSQL identifier: a lowercase letter, then up to 62 lowercase letters, digits or "_"').default('app'),
    multiAz: z.boolean(),
    /** Required to run a staging or production database without Multi-AZ; shown in the policy report. */
    singleAzRiskAcceptance: riskAcceptance.optional(),
    backupRetentionDays: z.number().int().min(1, 'must be 1–35 days (RDS limit)').max(35, 'must be 1–35 days (RDS limit)'),
    backupWindow: dailyWindow,
    maintenanceWindow: weeklyWindow,
    performanceInsightsRetentionDays: z
      .number()
      .int()
      .refine((days) => (PERFORMANCE_INSIGHTS_RETENTION_DAYS as readonly number[]).includes(days), { message: 'must be 7, a multiple of 31 up to 713, or 731 (Performance Insights retention)' })
      .default(7),
    monitoringIntervalSeconds: z.union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)], { message: 'must be one of 1, 5, 10, 15, 30, 60 (Enhanced Monitoring)' }).default(60),
  })
  .strict();

const cacheNodeType = z
  .string()
  .regex(
    /^cache\.(t4g|t3|m[5-7]g?|r[5-7]g?d?)\.[a-z0-9]+$/,
    'must be an ElastiCache node type such as "cache.r7g.large" (families t3, t4g, m5–m7g, r5–r7g)',
  );

export const cacheConfig = z
  .object({
    engine: z.enum(['valkey', 'redis'], { message: 'must be "valkey" or "redis"' }).default('valkey'),
    /** One of CACHE_ENGINE_VERSIONS for the engine (checked in rules/data.ts). */
    engineVersion: z.string(),
    nodeType: cacheNodeType,
    /**
     * Node type of the shared cache that holds the services' `cacheKeyspaces` and never evicts
     * (docs/data.md has the sizing); it has the same replicas, windows and snapshots as the cache.
     * @default nodeType
     */
    sharedNodeType: cacheNodeType.optional(),
    /** Replicas of the primary; production needs at least one in another zone. */
    replicas: z.number().int().min(0).max(5),
    snapshotRetentionDays: z.number().int().min(0).max(35),
    snapshotWindow: dailyWindow,
    maintenanceWindow: weeklyWindow,
    /** Increment to rotate the admin password: the next apply writes a new one to the user and the secret. */
    adminPasswordVersion: z.number().int().min(1).default(1),
  })
  .strict();

export const searchConfig = z
  .object({
    engineVersion: z.enum(SEARCH_ENGINE_VERSIONS, { message: `must be one of ${SEARCH_ENGINE_VERSIONS.join(', ')}` }),
    instanceType: z.string().regex(/^(t3|m[5-7]g?|r[5-7]g?d?|c[5-7]g?|or[12]|im4gn|i[34]g?)\.[a-z0-9]+\.search$/, 'must be an OpenSearch instance type such as "r7g.large.search" (families t3, m5–m7g, r5–r7gd, c5–c7g, or1–or2, im4gn, i3–i4g)'),
    instanceCount: z.number().int().min(1).max(80),
    /** Three dedicated master nodes of this type; required in production. */
    dedicatedMasterType: z.string().regex(/^(t3|m[5-7]g?|r[5-7]g?d?|c[5-7]g?)\.[a-z0-9]+\.search$/, 'must be an OpenSearch instance type such as "m7g.large.search"').optional(),
    volumeSizeGiB: z.number().int().min(10).max(24576),
    /** Hour (UTC) of the daily automated snapshot. */
    snapshotHour: z.number().int().min(0).max(23).default(2),
    /** Start hour (UTC) of the daily 10-hour off-peak window in which updates and Auto-Tune changes run. */
    offPeakStartHour: z.number().int().min(0).max(23).default(22),
  })
  .strict();

export const dataConfig = z.object({ postgres: postgresConfig, cache: cacheConfig, search: searchConfig }).strict();
export type DataConfig = z.infer<typeof dataConfig>;
export type PostgresConfig = z.infer<typeof postgresConfig>;
export type CacheConfig = z.infer<typeof cacheConfig>;
export type SearchConfig = z.infer<typeof searchConfig>;
