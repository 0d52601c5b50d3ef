import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EKS_VERSIONS_REVIEW_DAYS, EKS_VERSIONS_REVIEWED_ON } from '../../src/config/eks-versions';
import {
  adminCommands,
  expectedSettings,
  mainRuleset,
  planTokenSecretName,
  settingsProblems,
  type ObservedSettings,
} from '../../src/delivery/github-settings';
import { datedTables, renderReview } from '../../src/delivery/review';
import { exampleEnvironments } from '../support/synth';

const day = (offset: number, from = EKS_VERSIONS_REVIEWED_ON) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * 86_400_000);
const eks = (today: Date) => datedTables(today).find((table) => table.file === 'src/config/eks-versions.ts')!;

describe('dated tables (npm run review)', () => {
  it('make the EKS version table due once it is EKS_VERSIONS_REVIEW_DAYS old, and not before', () => {
    assert.equal(eks(day(EKS_VERSIONS_REVIEW_DAYS - 1)).due, false);
    assert.equal(eks(day(EKS_VERSIONS_REVIEW_DAYS)).due, true);
    assert.match(
      renderReview(datedTables(day(EKS_VERSIONS_REVIEW_DAYS)), day(EKS_VERSIONS_REVIEW_DAYS)),
      /EKS Kubernetes version calendar \| `src\/config\/eks-versions\.ts` \| 2026-12-01 \| :warning: yes/,
    );
  });

  it('make the price table due when its oldest price is older than six months', () => {
    const prices = datedTables(new Date()).find((table) => table.what === 'on-demand price table')!;
    assert.equal(datedTables(day(400, prices.reviewedOn)).find((table) => table.what === prices.what)!.due, true);
    assert.equal(datedTables(day(10, prices.reviewedOn)).find((table) => table.what === prices.what)!.due, false);
  });
});

describe('GitHub settings the trust relies on (npm run github-settings)', () => {
  const expected = expectedSettings(exampleEnvironments());
  const good = (): ObservedSettings => ({
    environments: {
      environments: expected.environments.map((env) => ({
        name: env.name,
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
        protection_rules: env.requiredReviewers
          ? [{ type: 'required_reviewers', prevent_self_review: true, reviewers: [{ type: 'Team' }] }]
          : [{ type: 'branch_policy' }],
      })),
    },
    branchPolicies: Object.fromEntries(
      expected.environments.map((env) => [env.name, { branch_policies: [{ name: 'main', type: 'branch' }] }]),
    ),
    branchRules: [
      { type: 'pull_request', parameters: { require_code_owner_review: true } },
      { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'checks' }, { context: 'plan' }] } },
    ],
  });

  it("expects each config environment's GitHub environment, with reviewers for production", () => {
    assert.deepEqual(
      expected.environments.map((env) => [env.name, env.requiredReviewers]).sort(),
      exampleEnvironments()
        .map((config) => [config.ci.applyEnvironment, config.tier === 'production'])
        .sort(),
    );
    assert.deepEqual(settingsProblems(expected, good()), []);
  });

  it("expects every consumer repository's environments the deploy roles trust, protected branches only, reviewers in production", () => {
    const configs = exampleEnvironments();
    const wanted = configs.flatMap((config) =>
      config.platform.deployFrom.environments.flatMap((name) =>
        [...new Set(config.project.services.map((service) => service.repository))].map((repository) => [
          `${config.project.github.organization}/${repository}`,
          name,
          config.tier === 'production',
        ]),
      ),
    );
    assert.ok(wanted.length >= configs.length, 'the example deploys from GitHub environments');
    const listed = expected.consumerEnvironments.flatMap((env) =>
      env.repositories.map((repository) => [repository, env.name, env.requiredReviewers]),
    );
    assert.deepEqual(listed.sort(), wanted.sort());
    const lines = adminCommands(expected, 'org/infra');
    for (const [repository, name, requiredReviewers] of wanted) {
      const at = lines.indexOf(`gh api --method PUT repos/${repository}/environments/${name} --input - <<'JSON'`);
      assert.ok(at >= 0, `${repository} ${name}`);
      const body = JSON.parse(lines[at + 1]!);
      assert.deepEqual(body.deployment_branch_policy, { protected_branches: true, custom_branch_policies: false });
      assert.equal(body.prevent_self_review === true && body.reviewers.length === 1, requiredReviewers, `${name}`);
    }
  });

  it('has the administrator set one read-only plan token per config environment, under the name the workflow reads', () => {
    const secrets = adminCommands(expected, 'org/infra')
      .map((line) => /^gh secret set (\S+) --repo org\/infra(?: --env (\S+))?/.exec(line))
      .filter((match) => match !== null)
      .map(([, name, env]) => (env ? `${env}:${name}` : name));
    const configs = exampleEnvironments();
    assert.deepEqual(
      secrets.filter((name) => !name.includes(':')).sort(),
      configs.map((config) => `CLOUDFLARE_API_TOKEN_READ_${config.name.toUpperCase()}`).sort(),
    );
    assert.deepEqual(
      secrets.filter((name) => name.includes(':')).sort(),
      configs.map((config) => `${config.ci.applyEnvironment}:CLOUDFLARE_API_TOKEN`).sort(),
    );
    assert.equal(planTokenSecretName('prod'), 'CLOUDFLARE_API_TOKEN_READ_PROD');
  });

  it('reports a missing environment, any branch allowed, reviewers missing or self-approving', () => {
    const reviewed = expected.environments.find((env) => env.requiredReviewers)!;
    const other = expected.environments.find((env) => !env.requiredReviewers)!;
    type Observed = NonNullable<ObservedSettings['environments']['environments']>;
    const withEnvironments = (change: (environments: Observed) => Observed) =>
      settingsProblems(expected, { ...good(), environments: { environments: change(good().environments.environments!) } });
    const changing = (name: string, change: (env: Observed[number]) => Observed[number]) => (environments: Observed) =>
      environments.map((env) => (env.name === name ? change(env) : env));

    assert.deepEqual(
      withEnvironments((environments) => environments.filter((env) => env.name !== other.name)),
      [`GitHub environment ${other.name} does not exist (the apply role of ${other.environment} trusts it)`],
    );
    assert.deepEqual(
      withEnvironments(
        changing(reviewed.name, (env) => ({
          ...env,
          protection_rules: [{ type: 'required_reviewers', prevent_self_review: false, reviewers: [{}] }],
        })),
      ),
      [`GitHub environment ${reviewed.name} must prevent self-review: whoever starts a run may not approve it`],
    );
    assert.deepEqual(withEnvironments(changing(other.name, (env) => ({ ...env, deployment_branch_policy: null }))), [
      `GitHub environment ${other.name} must deploy from main only; it allows any branch`,
    ]);
    assert.match(
      withEnvironments((environments) => environments.map((env) => ({ ...env, protection_rules: [] }))).join('\n'),
      new RegExp(`${reviewed.name} must require reviewers`),
    );
    const leftOver = { name: 'retired', deployment_branch_policy: null, protection_rules: [] };
    assert.deepEqual(
      withEnvironments((environments) => [...environments, leftOver]),
      [
        'GitHub environment retired belongs to no environment file: if its environment was removed, delete it with its secrets ' +
          '(docs/runbooks/remove-environment.md)',
      ],
    );
    const otherBranch = {
      ...good(),
      branchPolicies: { ...good().branchPolicies, [other.name]: { branch_policies: [{ name: 'release/*' }] } },
    };
    assert.deepEqual(settingsProblems(expected, otherBranch), [
      `GitHub environment ${other.name} must deploy from main only; it allows branches release/*`,
    ]);
  });

  it('reports a required check or the Code Owner review missing on main', () => {
    assert.deepEqual(
      settingsProblems(expected, {
        ...good(),
        branchRules: [{ type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'checks' }] } }],
      }),
      [
        "branch main must require the status check plan (a ruleset's required_status_checks)",
        'branch main must require a review from Code Owners (.github/CODEOWNERS guards guard-allow.json, policy/ and .github/)',
      ],
    );
  });

  it('gives the administrator the ruleset that passes the check', () => {
    const ruleset = mainRuleset(expected) as { rules: ObservedSettings['branchRules'] };
    assert.deepEqual(settingsProblems(expected, { ...good(), branchRules: ruleset.rules }), []);
  });
});
