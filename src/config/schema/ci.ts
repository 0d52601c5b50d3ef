import { z } from 'zod';
import type { EnvironmentTier } from '../../environment-tiers';

/**
 * CodeBuild's on-demand EC2 compute types for Linux and Arm containers, the environment types the
 * runner uses (the BUILD_LAMBDA_* types need a Lambda environment type, reserved capacity a fleet).
 * https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectEnvironment.html (computeType)
 */
export const RUNNER_COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
  'BUILD_GENERAL1_XLARGE',
  'BUILD_GENERAL1_2XLARGE',
] as const;
export type RunnerComputeType = (typeof RUNNER_COMPUTE_TYPES)[number];

/**
 * Most runner builds one environment runs at once: a cost ceiling of the platform. CodeBuild also
 * refuses a project limit above the account's concurrent-build quota.
 */
export const MAX_RUNNER_CONCURRENCY = 20;

export interface RunnerConfig {
  readonly computeType: RunnerComputeType;
  /** Builds (jobs) the runner runs at once; more queue. */
  readonly concurrency: number;
}

/**
 * Runner size per tier: development is cheapest; production deploys of many services and the plans of
 * this repository run side by side on larger machines.
 */
export const RUNNER_DEFAULTS: Readonly<Record<EnvironmentTier, RunnerConfig>> = {
  development: { computeType: 'BUILD_GENERAL1_SMALL', concurrency: 2 },
  staging: { computeType: 'BUILD_GENERAL1_SMALL', concurrency: 4 },
  production: { computeType: 'BUILD_GENERAL1_MEDIUM', concurrency: 8 },
};

/**
 * The longest a CI job that applies may run, and so the apply role's session length and the in-VPC
 * runner's build timeout (a job on it ends when its build does). It fits the longest first apply of one
 * job: the GitHub-hosted layers wait, in sequence, for NAT gateways, the EKS cluster, and then the edge's
 * ACM certificate validation (the provider's create timeout: 75 minutes, terraform-provider-aws
 * internal/service/acm/certificate_validation.go) and SES domain verification; the in-VPC layers create
 * Multi-AZ PostgreSQL, the caches and OpenSearch with dedicated masters in parallel, then run the login
 * and role-mapping Jobs. GitHub-hosted jobs may run up to 6 hours; IAM sessions up to 12.
 */
export const CI_APPLY_JOB_MINUTES = 240;

/** `ci` of an environment file; the runner's fields fall back to RUNNER_DEFAULTS of the tier (withRunnerDefaults). */
export const ciConfig = z
  .object({
    applyEnvironment: z
      .string()
      .min(1)
      .describe(
        "GitHub environment whose deployments may use this environment's apply role; one per environment, as its " +
          "Cloudflare token secret and its reviewers are this environment's.",
      ),
    runner: z
      .object({
        computeType: z
          .enum(RUNNER_COMPUTE_TYPES, { message: `must be a CodeBuild compute type: one of ${RUNNER_COMPUTE_TYPES.join(', ')}` })
          .optional()
          .meta({
            description: 'CodeBuild compute type of every runner build.',
            tierDefault: (tier) => RUNNER_DEFAULTS[tier].computeType,
          }),
        concurrency: z
          .number()
          .int('must be a whole number of builds')
          .min(1, `must be 1–${MAX_RUNNER_CONCURRENCY}: at least one build must run`)
          .max(MAX_RUNNER_CONCURRENCY, `must be 1–${MAX_RUNNER_CONCURRENCY} (platform cap on parallel runner builds per environment)`)
          .optional()
          .meta({
            description: 'Builds (jobs) the runner runs at once; more queue.',
            tierDefault: (tier) => RUNNER_DEFAULTS[tier].concurrency,
          }),
      })
      .strict()
      .default({})
      .describe('The CodeBuild-hosted GitHub Actions runner inside the VPC (docs/platform.md, "CI runners").'),
  })
  .strict();

type CiInput = z.infer<typeof ciConfig>;
export type CiConfig = Omit<CiInput, 'runner'> & { readonly runner: RunnerConfig };

/** The `ci` block with every runner field the file leaves out taken from its tier's defaults. */
export function withRunnerDefaults(ci: CiInput, tier: EnvironmentTier): CiConfig {
  const defaults = RUNNER_DEFAULTS[tier];
  const { computeType = defaults.computeType, concurrency = defaults.concurrency } = ci.runner;
  return { ...ci, runner: { computeType, concurrency } };
}
