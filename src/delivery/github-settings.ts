/**
 * The GitHub settings the AWS trust relies on, derived from config, and a comparison with what GitHub
 * reports. The apply roles trust jobs of the GitHub environment `ci.applyEnvironment`; that trust is only
 * as strong as the environment's own rules (deployments from `main` only; required reviewers, who may
 * not approve their own run, in production) and the branch rules of `main` (the required checks, Code
 * Owner review). An administrator sets them once (docs/delivery.md, "GitHub settings"); the scheduled
 * maintenance workflow reads them with its read-only token and reports any difference in an issue.
 *
 * They are not managed as Terraform here on purpose: applying them takes a token that administers the
 * repository, which CI must never hold (it could then lift the gate it is gated by), and hand-written
 * bindings of the integrations/github provider could only be checked against a schema written by hand.
 */

import type { EnvironmentConfig } from '../config/load';
import { REMOVE_ENVIRONMENT_RUNBOOK } from './teardown';

/** The checks branch protection requires: the job names of pull-request.yml (a test keeps them equal). */
export const REQUIRED_CHECKS = ['checks', 'plan'] as const;
const PROTECTED_BRANCH = 'main';

export interface ExpectedEnvironment {
  readonly name: string;
  /** The config environment whose apply role trusts it; each has its own (config rule checkApplyEnvironments). */
  readonly environment: string;
  readonly requiredReviewers: boolean;
}

/**
 * A GitHub environment of a consumer repository that a deploy role trusts (`platform.deployFrom.environments`).
 * GitHub creates an environment the first time a job names it, without any protection, so until its repository's
 * administrator has set it up, a job of any branch that names it may deploy
 * (github/docs#3126; https://docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/manage-environments).
 */
export interface ExpectedConsumerEnvironment {
  /** `<organization>/<repository>` of every service, each of which needs the environment. */
  readonly repositories: readonly string[];
  readonly name: string;
  /** The config environment whose deploy roles trust it. */
  readonly environment: string;
  readonly requiredReviewers: boolean;
}

export interface ExpectedSettings {
  readonly environments: readonly ExpectedEnvironment[];
  readonly consumerEnvironments: readonly ExpectedConsumerEnvironment[];
  readonly branch: string;
  readonly requiredChecks: readonly string[];
}

/** Deploys to a production environment wait for a reviewer, in this repository and in the consumer repositories alike. */
const needsReviewers = (config: EnvironmentConfig) => config.tier === 'production';

export function expectedSettings(configs: readonly EnvironmentConfig[]): ExpectedSettings {
  return {
    environments: configs.map((config) => ({
      name: config.ci.applyEnvironment,
      environment: config.name,
      requiredReviewers: needsReviewers(config),
    })),
    consumerEnvironments: configs.flatMap((config) => {
      const { organization } = config.project.github;
      // Config refuses two services of one repository, so each repository is listed once.
      const repositories = config.project.services.map((service) => `${organization}/${service.repository}`).sort();
      return config.platform.deployFrom.environments.map((name) => ({
        repositories,
        name,
        environment: config.name,
        requiredReviewers: needsReviewers(config),
      }));
    }),
    branch: PROTECTED_BRANCH,
    requiredChecks: [...REQUIRED_CHECKS],
  };
}

/** What the read-only REST endpoints return, saved by the maintenance workflow. */
export interface ObservedSettings {
  /** GET /repos/{owner}/{repo}/environments */
  readonly environments: { readonly environments?: readonly GithubEnvironment[] };
  /** GET /repos/{owner}/{repo}/environments/{name}/deployment-branch-policies, per environment name. */
  readonly branchPolicies: Readonly<Record<string, { readonly branch_policies?: readonly { name: string; type?: string }[] }>>;
  /** GET /repos/{owner}/{repo}/rules/branches/{branch}: the rules of every active ruleset on the branch. */
  readonly branchRules: readonly { readonly type: string; readonly parameters?: RuleParameters }[];
}

/** The rule parameters the check reads; GitHub returns more. */
interface RuleParameters {
  readonly required_status_checks?: readonly { readonly context: string }[];
  readonly require_code_owner_review?: boolean;
}

interface GithubEnvironment {
  readonly name: string;
  readonly protection_rules?: readonly { type: string; prevent_self_review?: boolean; reviewers?: readonly unknown[] }[];
  readonly deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
}

/** Every difference between the settings config implies and those GitHub reports: each one weakens the trust. */
export function settingsProblems(expected: ExpectedSettings, observed: ObservedSettings): string[] {
  const problems: string[] = [];
  const environments = new Map((observed.environments.environments ?? []).map((env) => [env.name, env]));
  for (const want of expected.environments) {
    const env = environments.get(want.name);
    const forWhom = `(the apply role of ${want.environment} trusts it)`;
    if (!env) {
      problems.push(`GitHub environment ${want.name} does not exist ${forWhom}`);
      continue;
    }
    const policy = env.deployment_branch_policy;
    const branches = (observed.branchPolicies[want.name]?.branch_policies ?? []).map((branch) => branch.name);
    if (!policy?.custom_branch_policies || branches.join() !== expected.branch) {
      const allowed = policy?.protected_branches ? 'any protected branch' : `branches ${branches.join(', ') || '(none)'}`;
      const now = !policy ? 'any branch' : allowed;
      problems.push(`GitHub environment ${want.name} must deploy from ${expected.branch} only; it allows ${now}`);
    }
    if (want.requiredReviewers) {
      const reviewers = env.protection_rules?.find((rule) => rule.type === 'required_reviewers');
      if (!reviewers || (reviewers.reviewers ?? []).length === 0) {
        problems.push(`GitHub environment ${want.name} must require reviewers (a production environment) ${forWhom}`);
      } else if (reviewers.prevent_self_review !== true) {
        problems.push(`GitHub environment ${want.name} must prevent self-review: whoever starts a run may not approve it`);
      }
    }
  }
  // Left over when an environment is removed from config: its environment secret, the Cloudflare token that edits its
  // zones, would stay readable by any job of that GitHub environment.
  const wanted = new Set(expected.environments.map((env) => env.name));
  for (const env of observed.environments.environments ?? []) {
    if (!wanted.has(env.name))
      problems.push(
        `GitHub environment ${env.name} belongs to no environment file: if its environment was removed, delete it with its ` +
          `secrets (${REMOVE_ENVIRONMENT_RUNBOOK})`,
      );
  }
  const checks = new Set(
    observed.branchRules
      .filter((rule) => rule.type === 'required_status_checks')
      .flatMap((rule) => (rule.parameters?.required_status_checks ?? []).map((check: { context: string }) => check.context)),
  );
  for (const check of expected.requiredChecks) {
    if (!checks.has(check)) {
      problems.push(`branch ${expected.branch} must require the status check ${check} (a ruleset's required_status_checks)`);
    }
  }
  const codeOwners = observed.branchRules.some((rule) => rule.type === 'pull_request' && rule.parameters?.require_code_owner_review);
  if (!codeOwners) {
    problems.push(
      `branch ${expected.branch} must require a review from Code Owners (.github/CODEOWNERS guards guard-allow.json, policy/ and .github/)`,
    );
  }
  return problems;
}

/**
 * The ruleset an administrator creates for `main`
 * (POST /repos/{owner}/{repo}/rulesets; https://docs.github.com/en/rest/repos/rules#create-a-repository-ruleset).
 */
export function mainRuleset(expected: ExpectedSettings): object {
  return {
    name: `${expected.branch}: reviewed, checked changes only`,
    target: 'branch',
    enforcement: 'active',
    conditions: { ref_name: { include: [`refs/heads/${expected.branch}`], exclude: [] } },
    rules: [
      { type: 'deletion' },
      { type: 'non_fast_forward' },
      {
        type: 'pull_request',
        parameters: {
          required_approving_review_count: 1,
          dismiss_stale_reviews_on_push: true,
          require_code_owner_review: true,
          require_last_push_approval: true,
          required_review_thread_resolution: false,
        },
      },
      {
        type: 'required_status_checks',
        parameters: {
          strict_required_status_checks_policy: true,
          required_status_checks: expected.requiredChecks.map((context) => ({ context })),
        },
      },
    ],
  };
}

/**
 * The repository secret holding an environment's read-only Cloudflare token: the environment workflow reads
 * `secrets[format('CLOUDFLARE_API_TOKEN_READ_{0}', inputs.environment)]`, and secret names ignore case.
 */
export function planTokenSecretName(environment: string): string {
  return `CLOUDFLARE_API_TOKEN_READ_${environment.toUpperCase()}`;
}

/**
 * The administrator's commands: each environment (PUT /repos/{owner}/{repo}/environments/{name}, its body
 * as JSON), its one deployment branch, its DNS-editing token; then each environment's plan token and the ruleset.
 * https://docs.github.com/en/rest/deployments/environments#create-or-update-an-environment
 */
export function adminCommands(expected: ExpectedSettings, repository: string): string[] {
  const lines: string[] = [];
  for (const env of expected.environments) {
    const body = {
      ...(env.requiredReviewers
        ? { reviewers: [{ type: 'Team', id: `<id of the team that approves ${env.name}>` }], prevent_self_review: true }
        : {}),
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    };
    lines.push(
      `gh api --method PUT repos/${repository}/environments/${env.name} --input - <<'JSON'`,
      JSON.stringify(body),
      'JSON',
      `gh api --method POST repos/${repository}/environments/${env.name}/deployment-branch-policies ` +
        `-f name=${expected.branch} -f type=branch`,
      `gh secret set CLOUDFLARE_API_TOKEN --repo ${repository} --env ${env.name}   # Zone:Read, DNS:Edit on the environment's zone`,
    );
  }
  for (const { environment: name } of expected.environments) {
    lines.push(
      `gh secret set ${planTokenSecretName(name)} --repo ${repository}   # read-only on the zones of ${name}, for its plans (docs/edge.md)`,
    );
  }
  lines.push(`npm run --silent github-settings -- ruleset | gh api --method POST repos/${repository}/rulesets --input -`);
  lines.push(...consumerCommands(expected));
  return lines;
}

/**
 * The consumer repositories' environments, set up by each repository's administrator before its first deploy:
 * deployments from protected branches only (the repository's own branch rules decide which), and in production
 * required reviewers who may not approve their own run. Run with a token that administers those repositories.
 */
function consumerCommands(expected: ExpectedSettings): string[] {
  return expected.consumerEnvironments.flatMap((env) => {
    const body = JSON.stringify({
      ...(env.requiredReviewers
        ? { reviewers: [{ type: 'Team', id: `<id of the team that approves ${env.name} deploys>` }], prevent_self_review: true }
        : {}),
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
    });
    return env.repositories.flatMap((repository) => [
      `gh api --method PUT repos/${repository}/environments/${env.name} --input - <<'JSON'`,
      body,
      'JSON',
    ]);
  });
}
