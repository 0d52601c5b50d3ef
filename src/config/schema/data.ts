import { z } from 'zod';
import { dailyWindow, riskAcceptance, weeklyWindow } from './common';

export const postgresConfig = z
  .object({
    engineMajor: z.number().int().min(16, 'must be a PostgreSQL major version from 16 to 18').max(18, 'must be a PostgreSQL major version from 16 to 18').default(17),
    instanceClass: z.string().regex(/^db\.(t4g|t3|m[5-8]g?d?|r[5-8]g?d?|x2g)\.[a-z0-9]+$/, 'must be an RDS instance class such as "db.r7g.large" (families t3, t4g, m5–m8, r5–r8, x2g)'),
    allocatedStorageGiB: z.number().int().min(20).max(65536),
    maxAllocatedStorageGiB: z.number().int().min(20).max(65536),
    multiAz: z.boolean(),
    /** Required to run a production database without Multi-AZ. */
    singleAzRiskAcceptance: riskAcceptance.optional(),
    backupRetentionDays: z.number().int().min(1, 'must be 1–35 days (RDS limit)').max(35, 'must be 1–35 days (RDS limit)'),
    backupWindow: dailyWindow,
    maintenanceWindow: weeklyWindow,
    performanceInsightsRetentionDays: z.number().int().default(7),
    monitoringIntervalSeconds: z.union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).default(60),
  })
  .strict();

export const cacheConfig = z
  .object({
    engine: z.enum(['valkey', 'redis'], { message: 'must be "valkey" or "redis"' }).default('valkey'),
    engineVersion: z.string(),
    nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type such as "cache.r7g.large"'),
    /** Replicas per shard; production needs at least one in another zone. */
    replicas: z.number().int().min(0).max(5),
    snapshotRetentionDays: z.number().int().min(0).max(35),
    snapshotWindow: dailyWindow,
    maintenanceWindow: weeklyWindow,
  })
  .strict();

export const searchConfig = z
  .object({
    engineVersion: z.string().regex(/^OpenSearch_\d+\.\d+$/, 'must be "OpenSearch_<major>.<minor>", e.g. "OpenSearch_2.19"'),
    instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, 'must be an OpenSearch instance type such as "r7g.large.search"'),
    instanceCount: z.number().int().min(1).max(80),
    dedicatedMasterType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/).optional(),
    volumeSizeGiB: z.number().int().min(10).max(24576),
    /** Hour (UTC) of the daily automated snapshot. */
    snapshotHour: z.number().int().min(0).max(23).default(2),
  })
  .strict();

export const dataConfig = z.object({ postgres: postgresConfig, cache: cacheConfig, search: searchConfig }).strict();
export type DataConfig = z.infer<typeof dataConfig>;
