import { z } from 'zod';
import { bootstrapConfig } from './bootstrap';
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
    name: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,9}$/, 'must be 2–10 lowercase letters or digits starting with a letter, e.g. "prod"')
      .describe('Environment name; must equal the file name.'),
    tier: tier.describe(
      'Drives the baseline every check enforces: `production` demands at least 3 zones, NAT per zone, Multi-AZ data stores, ' +
        'longer backups and a recovery region.',
    ),
    accountId: awsAccountId.describe('The AWS account; every provider and backend sets `allowed_account_ids` to it.'),
    region: awsRegion.describe('AWS region of every layer.'),
    assumeRoleArn: iamRoleArn
      .optional()
      .describe("Role the AWS provider assumes; omit when the caller's credentials already are in the account."),
    domain: dnsName.describe('Domain the environment\'s hosts live under, e.g. "example.com" or "dev.example.com"; in `cloudflareZone`.'),
    cloudflareZone: dnsName.describe("The Cloudflare zone that holds `domain`'s records."),
    stateBackend: z
      .object({
        noncurrentVersionRetentionDays: z
          .number()
          .int()
          .min(7, 'must be at least 7 days so a bad apply can be rolled back')
          .max(3650)
          .default(90)
          .describe('Days noncurrent versions of state files are kept: how far back a state can be recovered (docs/runbooks).'),
        accessLogRetentionDays: z.number().int().min(30).max(3650).default(365).describe("Days the state bucket's access logs are kept."),
        bootstrapStateInBucket: z
          .boolean()
          .default(false)
          .describe(
            'The bootstrap layer starts with local state (its bucket does not exist yet); set this once it is applied, then push ' +
              'its state into the bucket (README, "Bootstrapping a new account", step 3).',
          ),
      })
      .strict()
      .default({ noncurrentVersionRetentionDays: 90, accessLogRetentionDays: 365, bootstrapStateInBucket: false })
      .describe('The S3 state backend the bootstrap layer creates.'),
    bootstrap: bootstrapConfig.describe('Account-wide objects the bootstrap layer adopts with import blocks instead of creating them.'),
    ci: ciConfig.describe("The apply role's GitHub environment and the CI runner inside the VPC."),
    defaultLogRetentionDays: logRetentionDays.default(90).describe('Retention of KMS-encrypted log groups not configured elsewhere.'),
    network: networkConfig.describe('The VPC: zones, subnets, NAT gateways, endpoints, flow logs.'),
    platform: platformConfig.describe("EKS and the platform's identities (docs/platform.md)."),
    cluster: clusterConfig.describe('Auto Mode node pools and the sizes of the service namespaces (docs/cluster.md).'),
    data: dataConfig.describe('PostgreSQL, the caches and OpenSearch (docs/data.md).'),
    edge: edgeConfig.describe('Public hosts, CORS, email and where the Cloudflare ranges come from (docs/edge.md).'),
    recovery: recoveryConfig.optional(),
    observability: observabilityConfig.describe(
      'The alarm topic and its subscribers, alarm thresholds, the budget and the audit trail (docs/observability.md).',
    ),
  })
  .strict()
  // Tier defaults need the tier, so they apply once the whole file has parsed.
  .transform((env) => ({
    ...env,
    ci: withRunnerDefaults(env.ci, env.tier),
    observability: withObservabilityDefaults(env.observability, env.tier),
  }));
export type EnvironmentFile = z.infer<typeof environmentFile>;
