import { z } from 'zod';
import { iamRoleArn } from './common';
import type { EnvironmentTier } from '../../environment-tiers';

/**
 * Alarm thresholds per signal. Every field has a per-tier default (ALARM_THRESHOLDS_BY_TIER); an
 * environment overrides single fields in `observability.thresholds`. Periods and evaluation windows are
 * part of each alarm's definition in the construct that owns the resource, not configuration.
 */
const percent = z.number().min(0, 'must be a percentage from 0 to 100').max(100, 'must be a percentage from 0 to 100');
const count = z.number().int('must be a whole number').min(0, 'must be 0 or more');
const positive = z.number().positive('must be greater than 0');

export const postgresThresholds = z
  .object({
    cpuPercent: percent.describe('CPU utilization of the instance.'),
    freeStoragePercent: z
      .number()
      .gt(0, 'must be greater than 0')
      .lt(10, 'must be below 10: storage autoscaling grows the volume at 10 % free, so a higher threshold fires while it still can')
      .describe(
        // Storage autoscaling grows the volume once free space falls to 10 %, so free space stays above 10 % of the
        // allocation while `maxAllocatedStorageGiB` has room: below it the alarm fires only when autoscaling cannot keep up.
        'Free storage, as a share of `data.postgres.allocatedStorageGiB`; below 10 % (where storage autoscaling grows the volume).',
      ),
    freeableMemoryMiB: positive.describe('Freeable memory of the instance, in MiB.'),
    connections: count.describe("Database connections; set it to about 80 % of the instance class's max_connections."),
    readLatencyMs: positive.describe('Average read latency, in milliseconds.'),
    writeLatencyMs: positive.describe('Average write latency, in milliseconds.'),
  })
  .strict();

export const cacheThresholds = z
  .object({
    engineCpuPercent: percent.describe("CPU utilization of the Valkey engine's thread."),
    memoryPercent: percent.describe('Memory used of maxmemory, on the groups that never evict (an evicting group is full by design).'),
    evictionsPerMinute: count.describe("Evictions per minute on the services' cache; the never-evicting group alarms on any eviction."),
    connections: count.describe('Current client connections of a node.'),
    replicationLagSeconds: positive.describe('Replication lag of a replica, in seconds.'),
  })
  .strict();

export const searchThresholds = z
  .object({
    freeStoragePercent: percent.describe('Free storage of the fullest data node, as a share of its volume (AWS recommends 25 %).'),
    jvmMemoryPressurePercent: percent.describe('JVM memory pressure of the data nodes.'),
  })
  .strict();

export const loadBalancerThresholds = z
  .object({
    elb5xxPercent: percent.describe('5xx the load balancer itself returns, as a share of its requests.'),
    target5xxPercent: percent.describe("5xx a target group's pods return, as a share of that group's requests."),
    p99ResponseTimeMs: positive.describe('99th percentile target response time of a target group, in milliseconds.'),
    unhealthyHosts: count.describe('Unhealthy targets of one group, sustained for five minutes.'),
  })
  .strict();

export const natGatewayThresholds = z
  .object({ portAllocationErrors: count.describe('Port allocation errors of a NAT gateway (it ran out of source ports).') })
  .strict();

export const clusterThresholds = z
  .object({
    failedNodes: count.describe('Nodes reported failed by Container Insights.'),
    nodeCpuPercent: percent.describe("Average CPU utilization across the cluster's nodes (one hot node alone does not page)."),
    nodeMemoryPercent: percent.describe('Memory utilization of the fullest node.'),
    nodeFilesystemPercent: percent.describe('Filesystem utilization of the fullest node.'),
    podMemoryOverLimitPercent: z
      .number()
      .min(0, 'must be 0 or more')
      .max(1000, 'must be at most 1000 %')
      .describe('Memory of the hungriest pod against its limit: above 100 % the container is OOM-killed.'),
    crashLoopingContainers: count.describe('Containers waiting in CrashLoopBackOff, summed over the period.'),
  })
  .strict();

export const emailThresholds = z
  .object({
    bounceRatePercent: percent.describe('Account bounce rate; SES reviews an account from 5 % bounces and may pause sending from 10 %.'),
    complaintRatePercent: percent.describe(
      'Account complaint rate; SES reviews an account from 0.1 % complaints and may pause sending from 0.5 %.',
    ),
  })
  .strict();

export type PostgresThresholds = z.infer<typeof postgresThresholds>;
export type CacheThresholds = z.infer<typeof cacheThresholds>;
export type SearchThresholds = z.infer<typeof searchThresholds>;
export type LoadBalancerThresholds = z.infer<typeof loadBalancerThresholds>;
export type NatGatewayThresholds = z.infer<typeof natGatewayThresholds>;
export type ClusterThresholds = z.infer<typeof clusterThresholds>;
export type EmailThresholds = z.infer<typeof emailThresholds>;

export interface AlarmThresholds {
  readonly postgres: PostgresThresholds;
  readonly cache: CacheThresholds;
  readonly search: SearchThresholds;
  readonly loadBalancer: LoadBalancerThresholds;
  readonly natGateway: NatGatewayThresholds;
  readonly cluster: ClusterThresholds;
  readonly email: EmailThresholds;
}

/** Where SES starts reviewing an account (the rates in `emailThresholds`), alike for every tier: one account reputation. */
const SES_REVIEW_THRESHOLDS: AlarmThresholds['email'] = { bounceRatePercent: 5, complaintRatePercent: 0.1 };

/**
 * The one place the per-tier alarm thresholds are decided: development tolerates more before it pages
 * anyone, production less.
 */
export const ALARM_THRESHOLDS_BY_TIER: Readonly<Record<EnvironmentTier, AlarmThresholds>> = {
  development: {
    postgres: { cpuPercent: 90, freeStoragePercent: 5, freeableMemoryMiB: 256, connections: 300, readLatencyMs: 50, writeLatencyMs: 50 },
    cache: { engineCpuPercent: 90, memoryPercent: 90, evictionsPerMinute: 1000, connections: 1000, replicationLagSeconds: 30 },
    search: { freeStoragePercent: 25, jvmMemoryPressurePercent: 95 },
    loadBalancer: { elb5xxPercent: 5, target5xxPercent: 10, p99ResponseTimeMs: 3000, unhealthyHosts: 1 },
    natGateway: { portAllocationErrors: 0 },
    cluster: {
      failedNodes: 0,
      nodeCpuPercent: 90,
      nodeMemoryPercent: 90,
      nodeFilesystemPercent: 85,
      podMemoryOverLimitPercent: 95,
      crashLoopingContainers: 0,
    },
    email: SES_REVIEW_THRESHOLDS,
  },
  staging: {
    postgres: { cpuPercent: 85, freeStoragePercent: 5, freeableMemoryMiB: 512, connections: 600, readLatencyMs: 30, writeLatencyMs: 30 },
    cache: { engineCpuPercent: 85, memoryPercent: 85, evictionsPerMinute: 1000, connections: 2000, replicationLagSeconds: 10 },
    search: { freeStoragePercent: 25, jvmMemoryPressurePercent: 95 },
    loadBalancer: { elb5xxPercent: 2, target5xxPercent: 5, p99ResponseTimeMs: 2000, unhealthyHosts: 1 },
    natGateway: { portAllocationErrors: 0 },
    cluster: {
      failedNodes: 0,
      nodeCpuPercent: 85,
      nodeMemoryPercent: 85,
      nodeFilesystemPercent: 80,
      podMemoryOverLimitPercent: 90,
      crashLoopingContainers: 0,
    },
    email: SES_REVIEW_THRESHOLDS,
  },
  production: {
    postgres: { cpuPercent: 80, freeStoragePercent: 8, freeableMemoryMiB: 1024, connections: 2500, readLatencyMs: 20, writeLatencyMs: 20 },
    cache: { engineCpuPercent: 80, memoryPercent: 80, evictionsPerMinute: 5000, connections: 5000, replicationLagSeconds: 5 },
    search: { freeStoragePercent: 25, jvmMemoryPressurePercent: 95 },
    loadBalancer: { elb5xxPercent: 1, target5xxPercent: 2, p99ResponseTimeMs: 1500, unhealthyHosts: 1 },
    natGateway: { portAllocationErrors: 0 },
    cluster: {
      failedNodes: 0,
      nodeCpuPercent: 80,
      nodeMemoryPercent: 85,
      nodeFilesystemPercent: 80,
      podMemoryOverLimitPercent: 90,
      crashLoopingContainers: 0,
    },
    email: SES_REVIEW_THRESHOLDS,
  },
};

/** Days CloudTrail log files are kept when `observability.audit.logRetentionDays` is not set. */
const AUDIT_LOG_RETENTION_DAYS_BY_TIER: Readonly<Record<EnvironmentTier, number>> = {
  development: 365,
  staging: 365,
  // Seven years: the usual horizon of audits and legal holds for a production platform's records.
  production: 2557,
};

/** Chat integration through AWS Chatbot (Amazon Q Developer in chat applications); the workspace is authorized once in its console. */
const slackChannel = z
  .object({
    workspaceId: z
      .string()
      .regex(/^[A-Z0-9]{1,255}$/, 'must be a Slack workspace id such as "T07EA123LEP"')
      .describe('The Slack workspace (team) id the Chatbot console shows after the one-time authorization, e.g. "T07EA123LEP".'),
    channelId: z
      .string()
      .regex(/^[A-Za-z0-9]{1,255}$/, 'must be a Slack channel id such as "C07EZ1ABC23"')
      .describe('The channel id from the channel\'s link, e.g. "C07EZ1ABC23".'),
  })
  .strict();

const trailArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]{3,128}$/,
    'must be a CloudTrail trail ARN, e.g. "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail"',
  );

/**
 * The overrides of one threshold group: every field optional, each carrying its tier default from
 * ALARM_THRESHOLDS_BY_TIER for the configuration reference.
 */
function overridesOf<K extends keyof AlarmThresholds, S extends z.ZodRawShape>(group: K, thresholds: z.ZodObject<S>, description: string) {
  const shape = Object.fromEntries(
    Object.entries(thresholds.shape as unknown as Record<string, z.ZodType>).map(([name, field]) => [
      name,
      field.meta({
        ...z.globalRegistry.get(field),
        tierDefault: (tier: EnvironmentTier) => ALARM_THRESHOLDS_BY_TIER[tier][group][name as keyof AlarmThresholds[K]],
      }),
    ]),
  ) as unknown as S;
  return z.object(shape).strict().partial().optional().describe(description);
}

/** `observability` of an environment file (docs/observability.md). */
export const observabilityConfig = z
  .object({
    notifications: z
      .object({
        emails: z
          .array(z.string().email('must be an e-mail address'))
          .default([])
          .describe('E-mail addresses subscribed to the alarm topic; each confirms its subscription once.'),
        slack: slackChannel
          .optional()
          .describe('A Slack channel the alarm topic posts to, through AWS Chatbot; the workspace is authorized once in its console.'),
      })
      .strict()
      .describe('Who the alarm topic notifies: at least one e-mail address or a Slack channel.'),
    thresholds: z
      .object({
        postgres: overridesOf('postgres', postgresThresholds, 'The PostgreSQL instance (data layer).'),
        cache: overridesOf('cache', cacheThresholds, 'Every node of both Valkey groups (data layer).'),
        search: overridesOf('search', searchThresholds, 'The OpenSearch domain (data layer).'),
        loadBalancer: overridesOf('loadBalancer', loadBalancerThresholds, 'The public ALB and each routed target group (edge layer).'),
        natGateway: overridesOf('natGateway', natGatewayThresholds, 'Each NAT gateway (network layer).'),
        cluster: overridesOf('cluster', clusterThresholds, 'The cluster, through Container Insights (cluster layer).'),
        email: overridesOf('email', emailThresholds, "The account's SES reputation (edge layer)."),
      })
      .strict()
      .default({})
      .describe("Overrides of the tier's alarm thresholds (ALARM_THRESHOLDS_BY_TIER), field by field; alarms fire at or beyond them."),
    budget: z
      .object({
        monthlyLimitUsd: z.number().positive('must be a monthly amount in USD greater than 0').describe('The monthly limit, in USD.'),
        forecastAlertPercents: z
          .array(z.number().int('must be a whole percentage').min(1, 'must be 1–1000 %').max(1000, 'must be 1–1000 %'))
          .min(1, 'must name at least one share of the limit')
          .default([80, 100])
          .describe("Alert when the month's forecast reaches these shares of the limit."),
      })
      .strict()
      .describe("The environment's monthly AWS Budget; its forecast alerts go to the alarm topic."),
    audit: z
      .object({
        organizationTrailArn: trailArn
          .optional()
          .describe(
            "The organization's trail already records this account: no trail of our own is created (default: an account trail in " +
              'the bootstrap layer).',
          ),
        logRetentionDays: z
          .number()
          .int('must be a whole number of days')
          .min(90, 'must be at least 90 days (CloudTrail event history keeps 90)')
          .max(3650, 'must be at most 3650 days')
          .optional()
          .meta({
            description: "Days the trail's log files are kept.",
            tierDefault: (tier) => AUDIT_LOG_RETENTION_DAYS_BY_TIER[tier],
          }),
        breakGlassRoleArns: z
          .array(iamRoleArn)
          .default([])
          .describe('Roles whose changes are expected outside Terraform (incident access); they do not raise the out-of-band alert.'),
      })
      .strict()
      .default({ breakGlassRoleArns: [] })
      .describe('The audit trail and the alert on changes made outside Terraform.'),
  })
  .strict();

type ObservabilityInput = z.infer<typeof observabilityConfig>;
export type ObservabilityConfig = Omit<ObservabilityInput, 'thresholds' | 'audit'> & {
  readonly thresholds: AlarmThresholds;
  readonly audit: Omit<ObservabilityInput['audit'], 'logRetentionDays'> & { readonly logRetentionDays: number };
};

/** `observability` with every threshold and retention the file leaves out taken from its tier's defaults. */
export function withObservabilityDefaults(observability: ObservabilityInput, tier: EnvironmentTier): ObservabilityConfig {
  const base = ALARM_THRESHOLDS_BY_TIER[tier];
  const overrides = observability.thresholds;
  const thresholds: AlarmThresholds = {
    postgres: { ...base.postgres, ...overrides.postgres },
    cache: { ...base.cache, ...overrides.cache },
    search: { ...base.search, ...overrides.search },
    loadBalancer: { ...base.loadBalancer, ...overrides.loadBalancer },
    natGateway: { ...base.natGateway, ...overrides.natGateway },
    cluster: { ...base.cluster, ...overrides.cluster },
    email: { ...base.email, ...overrides.email },
  };
  const logRetentionDays = observability.audit.logRetentionDays ?? AUDIT_LOG_RETENTION_DAYS_BY_TIER[tier];
  return { ...observability, thresholds, audit: { ...observability.audit, logRetentionDays } };
}
