import { z } from 'zod';
import { ciConfig, withRunnerDefaults } from './ci';
import { awsAccountId, awsRegion, dnsName, iamRoleArn, logRetentionDays, tier } from './common';
import { clusterConfig } from './cluster';
import { dataConfig } from './data';
import { edgeConfig } from './edge';
import { networkConfig } from './network';
import { observabilityConfig, withObservabilityDefaults } from './observability';
import { platformConfig } from './platform';
import { recoveryConfig } from './recovery';

/** One environment file (`config/environments/<name>.json`). */
export const environmentFile = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, 'must be 2–10 lowercase letters or digits starting with a letter, e.g. "prod"'),
    /** Drives the baseline every check enforces: `production` demands HA and recoverability. */
    tier,
    accountId: awsAccountId,
    region: awsRegion,
    /** Role the AWS provider assumes; omit when the caller's credentials already are in the account. */
    assumeRoleArn: iamRoleArn.optional(),
    /** Domain the environment's hosts live under, e.g. "example.com" or "dev.example.com". */
    domain: dnsName,
    /** The Cloudflare zone that holds `domain`'s records. */
    cloudflareZone: dnsName,
    stateBackend: z
      .object({
        noncurrentVersionRetentionDays: z.number().int().min(7, 'must be at least 7 days so a bad apply can be rolled back').max(3650).default(90),
        accessLogRetentionDays: z.number().int().min(30).max(3650).default(365),
        /**
         * The bootstrap layer starts with local state (its bucket does not exist yet); set this once
         * it is applied, then `terraform init -migrate-state` moves its state into the bucket.
         */
        bootstrapStateInBucket: z.boolean().default(false),
      })
      .strict()
      .default({ noncurrentVersionRetentionDays: 90, accessLogRetentionDays: 365, bootstrapStateInBucket: false }),
    /** The apply role's GitHub environment and the CI runner inside the VPC. */
    ci: ciConfig,
    /** Retention of KMS-encrypted log groups not configured elsewhere. */
    defaultLogRetentionDays: logRetentionDays.default(90),
    network: networkConfig,
    platform: platformConfig,
    /** Auto Mode node pools and the sizes of the service namespaces (src/config/schema/cluster.ts). */
    cluster: clusterConfig,
    data: dataConfig,
    edge: edgeConfig,
    recovery: recoveryConfig.optional(),
    /** Alarm topic and its subscribers, thresholds, budget and audit trail (src/config/schema/observability.ts). */
    observability: observabilityConfig,
  })
  .strict()
  // Tier defaults need the tier, so they apply once the whole file has parsed.
  .transform((env) => ({
    ...env,
    ci: withRunnerDefaults(env.ci, env.tier),
    observability: withObservabilityDefaults(env.observability, env.tier),
  }));
export type EnvironmentFile = z.infer<typeof environmentFile>;
