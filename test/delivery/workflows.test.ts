import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { ROOT } from './helpers';
import { promotionOrder } from '../../src/checks/order/targets';
import { CI_APPLY_JOB_MINUTES } from '../../src/config/schema/ci';
import { ENVIRONMENT_TIERS, type EnvironmentTier } from '../../src/environment-tiers';
import { planTokenSecretName, REQUIRED_CHECKS } from '../../src/delivery/github-settings';
import { LAYERS } from '../../src/layers';
import { configOfTier, exampleEnvironmentNames, exampleEnvironments } from '../support/synth';

/** The secret name the environment workflow computes: the one `npm run github-settings` tells administrators to set. */
const PLAN_TOKEN_SECRET = `format('${planTokenSecretName('{0}')}', inputs.environment)`;

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Record<string, string>;
  readonly secrets?: string;
  readonly 'runs-on'?: string;
  readonly 'timeout-minutes'?: number;
  readonly environment?: string | { name: string };
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown>; 'max-parallel'?: number; 'fail-fast'?: boolean };
  readonly steps?: Step[];
}
interface Workflow {
  readonly on: Record<string, any>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}
interface CompositeAction {
  readonly inputs?: Record<string, unknown>;
  readonly runs: { using: string; steps: Step[] };
}

const WORKFLOWS_DIR = join(ROOT, '.github', 'workflows');
const ACTIONS_DIR = join(ROOT, '.github', 'actions');
const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const actionFiles = existsSync(ACTIONS_DIR) ? readdirSync(ACTIONS_DIR).map((dir) => join(dir, 'action.yml')) : [];

const text = (file: string) => readFileSync(file, 'utf8');
const workflowText = (name: string) => text(join(WORKFLOWS_DIR, name));
const workflow = (name: string) => parse(workflowText(name)) as Workflow;
const action = (dir: string) => parse(text(join(ACTIONS_DIR, dir, 'action.yml'))) as CompositeAction;
const allText = () => [...workflowFiles.map((f) => workflowText(f)), ...actionFiles.map((f) => text(join(ACTIONS_DIR, f)))];
const ENVIRONMENT_WORKFLOW = 'terraform-environment.yml';
const calledJobs = (job: Job) => (job.uses ? Object.values(workflow(job.uses.replace('./.github/workflows/', '')).jobs) : []);

/** Steps of a job with local composite actions expanded, so properties can be asserted on what runs. */
function expandedSteps(job: Job): Step[] {
  if (job.uses) return calledJobs(job).flatMap(expandedSteps);
  return (job.steps ?? []).flatMap((step) =>
    step.uses?.startsWith('./.github/actions/') ? [step, ...action(step.uses.slice('./.github/actions/'.length)).runs.steps] : [step],
  );
}
const scripts = (job: Job) =>
  expandedSteps(job)
    .map((step) => step.run ?? '')
    .join('\n');
const usesOf = (job: Job) => expandedSteps(job).map((step) => step.uses ?? '');
const stepUsing = (job: Job, prefix: string) => job.steps?.find((step) => step.uses?.startsWith(prefix));
const stepNamed = (job: Job, name: string) => job.steps?.find((step) => step.name === name);

function assertValid(kind: string, state: { errors: unknown[] }): void {
  assert.deepEqual(state.errors, [], `${kind}: ${JSON.stringify(state.errors, null, 2)}`);
}

describe('GitHub Actions schema', () => {
  it('finds the pull-request, apply, drift, environment and maintenance workflows', () => {
    for (const file of ['apply.yml', 'drift.yml', 'pull-request.yml', ENVIRONMENT_WORKFLOW, 'maintenance.yml'])
      assert.ok(workflowFiles.includes(file), file);
  });

  for (const file of workflowFiles) {
    it(`${file} is a valid workflow`, () => assertValid(file, validateWorkflow(workflowText(file))));
  }
  for (const file of actionFiles) {
    it(`${file} is a valid action`, () => assertValid(file, validateAction(text(join(ACTIONS_DIR, file)))));
  }

  it('the validator rejects what GitHub would reject (control)', () => {
    const broken = workflowText('pull-request.yml').replace('id-token: write', 'id-token: writ');
    assert.notDeepEqual(validateWorkflow(broken).errors, []);
  });
});

describe('supply chain', () => {
  it('pins every third-party action to a full commit SHA with its version in a comment', () => {
    const uses = allText().flatMap((content) => content.split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line)));
    assert.ok(uses.length > 10);
    for (const line of uses) {
      const ref = line.replace(/^\s*(-\s+)?uses:\s*/, '');
      if (ref.startsWith('./')) {
        assert.ok(existsSync(join(ROOT, ref)), `local action or workflow ${ref} exists`);
        continue;
      }
      assert.match(ref, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, line.trim());
    }
  });

  it('uses one commit per action everywhere', () => {
    const byAction = new Map<string, Set<string>>();
    for (const content of allText()) {
      for (const match of content.matchAll(/uses: ([\w./-]+)@([0-9a-f]{40})/g)) {
        byAction.set(match[1], (byAction.get(match[1]) ?? new Set()).add(match[2]));
      }
    }
    for (const [name, shas] of byAction) assert.equal(shas.size, 1, `${name} is pinned to ${[...shas].join(', ')}`);
    const cache = new Set(
      ['actions/cache', 'actions/cache/restore', 'actions/cache/save'].flatMap((name) => [...(byAction.get(name) ?? [])]),
    );
    assert.equal(cache.size, 1, 'the cache actions come from one release');
    for (const required of [
      'actions/checkout',
      'actions/setup-node',
      'actions/upload-artifact',
      'actions/download-artifact',
      'actions/cache',
      'hashicorp/setup-terraform',
      'aws-actions/configure-aws-credentials',
      'github/codeql-action/upload-sarif',
    ]) {
      assert.ok(byAction.has(required), `${required} is used`);
    }
  });

  it('pins one exact Terraform version, 1.11 or later, and passes it to every setup-terraform', () => {
    const versions = new Set(
      workflowFiles.filter((file) => workflowText(file).includes('terraform')).map((file) => workflow(file).env?.TF_VERSION),
    );
    assert.equal(versions.size, 1, [...versions].join(', '));
    const [version] = [...versions];
    assert.match(String(version), /^\d+\.\d+\.\d+$/);
    const [major, minor] = String(version).split('.').map(Number);
    assert.ok(major > 1 || (major === 1 && minor >= 11), `${version} >= 1.11`);
    for (const dir of ['terraform-setup', 'provider-lock']) {
      const setup = action(dir).runs.steps.find((step) => step.uses?.startsWith('hashicorp/setup-terraform@'))!;
      assert.equal(setup.with?.terraform_version, '${{ inputs.terraform-version }}', dir);
    }
    for (const file of workflowFiles) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const dir of ['terraform-setup', 'provider-lock']) {
          const local = stepUsing(job, `./.github/actions/${dir}`);
          if (local) assert.equal(local.with?.['terraform-version'], '${{ env.TF_VERSION }}', `${file}: ${dir}`);
        }
      }
    }
  });

  it('has no static AWS credentials; the only secrets are the Cloudflare tokens, the DNS-editing one only in approved jobs', () => {
    for (const content of allText()) {
      assert.doesNotMatch(content, /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
      const secrets = [...content.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      assert.deepEqual(
        secrets.filter((name) => name !== 'CLOUDFLARE_API_TOKEN'),
        [],
      );
      // The only computed secret name: the read-only token of the environment being planned.
      const computed = [...content.matchAll(/secrets\[([^\]]+)\]/g)].map((m) => m[1]);
      assert.deepEqual(
        computed.filter((name) => name !== PLAN_TOKEN_SECRET),
        [],
      );
    }
    const editTokenJobs = workflowFiles.flatMap((file) =>
      Object.entries<Job>(workflow(file).jobs)
        .filter(([, job]) => /secrets\.CLOUDFLARE_API_TOKEN\b(?!_)/.test(JSON.stringify(job)))
        .map(([name, job]) => ({ file, name, environment: job.environment })),
    );
    assert.deepEqual(
      editTokenJobs.map((job) => `${job.file}:${job.name}`),
      [`${ENVIRONMENT_WORKFLOW}:apply-github-hosted`],
    );
    for (const job of editTokenJobs)
      assert.ok(job.environment, `${job.file} job ${job.name} reads the DNS-editing token outside a protected environment`);
  });

  it('never runs pull-request code with a privileged trigger and never keeps git credentials', () => {
    for (const file of workflowFiles) {
      const on = workflow(file).on as unknown;
      const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on as object);
      assert.ok(triggers.length > 0, file);
      assert.ok(!triggers.includes('pull_request_target') && !triggers.includes('workflow_run'), `${file}: ${triggers.join(', ')}`);
      for (const job of Object.values(workflow(file).jobs)) {
        for (const checkout of (job.steps ?? []).filter((step) => step.uses?.startsWith('actions/checkout@'))) {
          assert.equal(checkout.with?.['persist-credentials'], false, file);
        }
      }
    }
  });

  it('keeps plan files and their JSON on the runner: only results, summaries and the synth leave it', () => {
    for (const content of allText()) {
      for (const match of content.matchAll(/uses: actions\/upload-artifact@[^\n]*\n(?:\s+[^\n]*\n)*?\s+path: ([^\n]+)/g)) {
        assert.doesNotMatch(match[1], /plans|tfplan/, match[0]);
      }
    }
  });
});

describe('permissions', () => {
  const allowed: Readonly<Record<string, string>> = {
    contents: 'read',
    'id-token': 'write',
    'security-events': 'write',
    actions: 'read',
    'pull-requests': 'write',
    issues: 'write',
    checks: 'write',
  };

  for (const file of workflowFiles) {
    it(`${file}: nothing by default, and each job asks only for what it uses`, () => {
      const wf = workflow(file);
      assert.deepEqual(wf.permissions, {}, 'top-level permissions are empty');
      for (const [id, job] of Object.entries(wf.jobs)) {
        assert.ok(job.permissions, `${id} declares permissions`);
        for (const [scope, level] of Object.entries(job.permissions)) assert.equal(level, allowed[scope], `${id}: ${scope}: ${level}`);
        if (job.uses) {
          // A called workflow's jobs get at most what the calling job grants: exactly their union.
          const union = Object.fromEntries(calledJobs(job).flatMap((called) => Object.entries(called.permissions ?? {})));
          assert.deepEqual(job.permissions, union, `${id} grants what ${job.uses} needs`);
          continue;
        }
        const assumesRole = usesOf(job).some((u) => u.startsWith('aws-actions/configure-aws-credentials@'));
        assert.equal(job.permissions['id-token'] === 'write', assumesRole, `${id}: id-token: write exactly when it assumes an AWS role`);
        const uploadsSarif = usesOf(job).some((u) => u.startsWith('github/codeql-action/upload-sarif@'));
        assert.equal(job.permissions['security-events'] === 'write', uploadsSarif, `${id}: security-events only for SARIF upload`);
        if (job.permissions['pull-requests'])
          assert.match(scripts(job), /repos\/\$\{REPO\}\/issues\/.*comments/, `${id} comments on the pull request`);
        if (job.permissions.checks) assert.match(scripts(job), /repos\/\$\{REPO\}\/check-runs/, `${id} creates check runs`);
        if (job.permissions.issues) assert.match(scripts(job), /gh issue/, `${id} manages issues`);
      }
    });
  }
});

describe('environments from config', () => {
  it('promotes through every configured environment by tier, so a new one needs no workflow edit', () => {
    const rank = Object.fromEntries(ENVIRONMENT_TIERS.map((name, i) => [name, i])) as Record<EnvironmentTier, number>;
    const example = promotionOrder(exampleEnvironments()).map((name) => exampleEnvironments().find((env) => env.name === name)!);
    assert.deepEqual(example.map((env) => env.name).sort(), exampleEnvironmentNames().sort());
    assert.deepEqual(
      example.map((env) => rank[env.tier]),
      example.map((env) => rank[env.tier]).sort(),
      'lower tiers first',
    );
    // A staging-tier environment the example does not have yet.
    const added = ['qa', 'qa2', 'qa3'].find((name) => !exampleEnvironmentNames().includes(name))!;
    const qa = configOfTier('staging', (raw) => {
      raw.environment.name = added;
      raw.environment.ci.applyEnvironment = added;
    });
    const order = promotionOrder([...exampleEnvironments(), qa]);
    assert.deepEqual([...order].sort(), [...exampleEnvironmentNames(), added].sort());
    for (const env of exampleEnvironments()) {
      if (env.tier === 'staging') continue;
      const before = rank[env.tier] < rank.staging;
      assert.equal(
        order.indexOf(env.name) < order.indexOf(added),
        before,
        `${env.name} (${env.tier}) ${before ? 'before' : 'after'} ${added}`,
      );
    }
    for (const file of ['pull-request.yml', 'apply.yml', 'drift.yml']) {
      const callers = Object.values(workflow(file).jobs).filter((job) => job.uses === `./.github/workflows/${ENVIRONMENT_WORKFLOW}`);
      assert.equal(callers.length, 1, `${file} calls the environment workflow once`);
      assert.deepEqual(callers[0].strategy?.matrix, { environment: '${{ fromJSON(needs.build.outputs.targets).promotion }}' }, file);
      assert.equal(callers[0].with?.environment, '${{ matrix.environment }}');
      assert.equal(callers[0].secrets, 'inherit', 'the called jobs read the Cloudflare tokens');
    }
  });

  it('contains no hand-written environment or stack', () => {
    const names = exampleEnvironments().map((env) => env.name);
    for (const content of allText()) {
      assert.doesNotMatch(content, new RegExp(`\\b(${names.join('|')})-(${LAYERS.join('|')})\\b`));
      assert.doesNotMatch(content, new RegExp(`\\b(apply|plan|drift)-(${names.join('|')})\\b`));
      assert.doesNotMatch(content, new RegExp(`environments\\.(${names.join('|')})\\b`));
    }
  });
});

describe('pull-request workflow', () => {
  const wf = workflow('pull-request.yml');

  it('runs on pull requests and in the merge queue, one run per pull request or queue ref', () => {
    assert.ok('pull_request' in wf.on);
    assert.deepEqual(wf.on.merge_group, { types: ['checks_requested'] });
    assert.equal(wf.concurrency?.group, 'pull-request-${{ github.event.pull_request.number || github.ref }}');
    assert.equal(wf.concurrency?.['cancel-in-progress'], true);
  });

  it('reports two stable checks, `checks` and `plan`, and docs/delivery.md names exactly those', () => {
    assert.equal(wf.jobs.build.name, 'checks');
    assert.equal(wf.jobs.plan.name, 'plan');
    const docs = text(join(ROOT, 'docs', 'delivery.md'));
    const required = /Required status checks: (.+)\./.exec(docs)?.[1];
    assert.equal(required, '`checks` and `plan`', 'docs/delivery.md says which checks branch protection requires');
    const names = Object.values(wf.jobs).map((job) => job.name);
    for (const check of REQUIRED_CHECKS) assert.ok(names.includes(check), `${check}: the maintenance check expects it`);
    assert.deepEqual([...REQUIRED_CHECKS], ['checks', 'plan']);
  });

  it('builds, tests, synthesizes, checks; uploads SARIF only with a token that can', () => {
    const build = wf.jobs.build;
    const runs = build.steps!.map((s) => s.run ?? '');
    assert.ok(runs.includes('npm ci'));
    assert.ok(runs.includes('npm test'), 'npm test builds, synthesizes, checks and tests');
    assert.ok(runs.includes('npm run check -- --format sarif --output reports/policy.sarif'));
    const upload = stepUsing(build, 'github/codeql-action/upload-sarif@')!;
    assert.equal(upload.with?.sarif_file, 'reports/policy.sarif');
    assert.match(upload.if ?? '', /steps\.trust\.outputs\.trusted == 'true'/);
  });

  it('runs forks, Dependabot and the merge queue without credentials: tests and synth, plans skipped with a note', () => {
    const trust = stepNamed(wf.jobs.build, 'Who may plan')!;
    assert.ok(wf.jobs.build.steps!.indexOf(trust) < wf.jobs.build.steps!.findIndex((s) => s.run === 'npm test'));
    assert.match(trust.run!, /"\$EVENT" = "merge_group"/);
    assert.match(trust.run!, /"\$HEAD_REPO" != "\$REPO"/);
    assert.match(trust.run!, /"\$ACTOR" = "dependabot\[bot\]"/);
    assert.equal(trust.env?.ACTOR, '${{ github.actor }}');
    assert.equal(wf.jobs['plan-environment'].if, "${{ needs.build.outputs.trusted == 'true' }}");
    const skipped = stepNamed(wf.jobs.plan, 'Plans skipped')!;
    assert.match(skipped.run!, /::notice title=plans skipped::/);
    assert.doesNotMatch(skipped.run!, /exit 1/, 'skipping plans is not a failure');
  });

  it('plans every environment with the plan role, in the environment workflow, for the head commit', () => {
    const caller = wf.jobs['plan-environment'];
    assert.equal(caller.with?.mode, 'plan');
    assert.equal(caller.with?.['head-sha'], '${{ github.event.pull_request.head.sha }}');
    assert.equal(caller.strategy?.['fail-fast'], false, 'every environment is planned even when one fails');
    assert.equal(caller.concurrency, undefined, 'plans take no lock and need no turn');
  });

  it('passes `plan` when every stack planned and passed the guard or waits for an upstream apply', () => {
    const plan = wf.jobs.plan;
    assert.deepEqual(plan.needs, ['build', 'plan-environment']);
    assert.match(plan.if ?? '', /!cancelled\(\)/);
    assert.match(scripts(plan), /report\.js verdict --results results --targets cdktf\.out\/targets\.json/);
    assert.match(stepNamed(plan, 'Checks did not pass')!.run!, /exit 1/);
  });

  it("posts an overview and one comment per environment, updated in place; a fork's go to the job summary", () => {
    const comment = wf.jobs.comment;
    assert.deepEqual(comment.needs, ['build', 'plan-environment']);
    assert.match(comment.if ?? '', /!cancelled\(\)/, 'comments even when a plan or the guard failed');
    const render = stepNamed(comment, 'Render the comments')!;
    assert.match(render.run!, /report\.js comment --results results --targets cdktf\.out\/targets\.json --out comments/);
    assert.match(render.run!, /--sha "\$SHA"/);
    assert.equal(render.env?.SHA, '${{ github.event.pull_request.head.sha }}', 'the head commit, not the merge commit');
    assert.match(render.run!, /--cost preview\/cost\.md --diff preview\/diff\.md/);
    const post = stepNamed(comment, 'Create or update the pull-request comments')!.run!;
    assert.match(post, /marker="\$\(head -n 1 "comments\/\$\{name\}\.md"\)"/, 'each comment is found again by its own marker');
    assert.match(post, /--method PATCH/);
    const fork = post.indexOf('if [ "$TRUSTED" != "true" ]');
    assert.ok(fork >= 0 && fork < post.indexOf('gh api'), 'a read-only token never calls the API');
  });

  it('makes every waiting stack a neutral check run on the head commit', () => {
    const step = stepNamed(wf.jobs.comment, 'A neutral check for each stack that waits for an upstream apply')!;
    assert.match(step.run!, /report\.js checks --results results/);
    assert.match(step.run!, /conclusion: "neutral"/);
    assert.equal(step.env?.SHA, '${{ github.event.pull_request.head.sha }}');
  });

  it('puts the cost delta and the synthesized diff against the base commit in the overview', () => {
    const build = wf.jobs.build;
    assert.equal(stepUsing(build, 'actions/checkout@')!.with?.['fetch-depth'], 0, 'the base commit is in the clone');
    const preview = build.steps!.find((step) => step.run?.includes('cost.js'))!;
    assert.equal(preview.env?.BASE_SHA, '${{ github.event.pull_request.base.sha }}');
    assert.match(preview.run!, /cost\.js --base "\$BASE_SHA" --format markdown --output preview\/cost\.md/);
    assert.match(preview.run!, /diff\.js --base "\$BASE_SHA" --format markdown --output preview\/diff\.md/);
  });
});

describe('environment workflow', () => {
  const wf = workflow(ENVIRONMENT_WORKFLOW);
  const jobs = wf.jobs;
  const targets = '${{ fromJSON(inputs.targets).environments[inputs.environment]';

  it('is called, with the environment, the mode and the deploy targets', () => {
    assert.deepEqual(Object.keys(wf.on), ['workflow_call']);
    assert.deepEqual(Object.keys(wf.on.workflow_call.inputs).sort(), ['environment', 'head-sha', 'mode', 'targets']);
  });

  it('plans before any approval, applies after it: plan → apply, GitHub-hosted layers before in-VPC ones', () => {
    assert.equal(jobs['github-hosted'].needs, undefined);
    assert.equal(jobs['apply-github-hosted'].needs, 'github-hosted');
    assert.deepEqual(jobs['in-vpc'].needs, ['github-hosted', 'apply-github-hosted']);
    assert.equal(jobs['apply-in-vpc'].needs, 'in-vpc');
    for (const id of ['github-hosted', 'in-vpc']) {
      assert.equal(jobs[id].environment, undefined, `${id} plans without waiting for an approval`);
      assert.equal(stepUsing(jobs[id], './.github/actions/terraform-setup')!.with?.['role-arn'], `${targets}.planRoleArn }}`);
    }
    for (const id of ['apply-github-hosted', 'apply-in-vpc']) {
      assert.equal(jobs[id].environment, `${targets}.githubEnvironment }}`, `${id} waits for the environment's reviewers`);
      assert.equal(stepUsing(jobs[id], './.github/actions/terraform-setup')!.with?.['role-arn'], `${targets}.applyRoleArn }}`);
      assert.match(jobs[id].if ?? '', /inputs\.mode == 'apply'/);
      assert.match(jobs[id].if ?? '', /outputs\.pending == 'true'/, 'no approval is asked for when nothing changes');
    }
  });

  it("applies the plans that were approved: the apply jobs compare against the plan job's results", () => {
    for (const [apply, plan, placement] of [
      ['apply-github-hosted', 'github-hosted', 'github-hosted'],
      ['apply-in-vpc', 'in-vpc', 'in-vpc'],
    ] as const) {
      const download = jobs[apply].steps!.find((step) => step.name === 'The approved plan')!;
      const uploaded = jobs[plan].steps!.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
      assert.equal(download.with?.name, uploaded.with?.name, `${apply} reads what ${plan} uploaded`);
      assert.match(
        scripts(jobs[apply]),
        new RegExp(`stacks\\.js apply --env "\\$TARGET_ENV" --placement ${placement} --approved approved`),
      );
      assert.match(scripts(jobs[plan]), new RegExp(`stacks\\.js "\\$MODE" --env "\\$TARGET_ENV" --placement ${placement}`));
    }
  });

  it("runs the in-VPC layers on the environment's CodeBuild runner, and only once that runner exists", () => {
    for (const id of ['in-vpc', 'apply-in-vpc']) {
      assert.equal(jobs[id]['runs-on'], `codebuild-${targets}.runnerProject }}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
    }
    for (const id of ['github-hosted', 'apply-github-hosted']) assert.equal(jobs[id]['runs-on'], 'ubuntu-24.04');
    const condition = jobs['in-vpc'].if ?? '';
    assert.match(condition, /needs\.github-hosted\.outputs\.runner-ready == 'true'/);
    assert.match(condition, /needs\.apply-github-hosted\.outputs\.runner-ready == 'true'/);
    assert.match(scripts(jobs['in-vpc']), /--upstream upstream/);
  });

  it('gives apply jobs the time and the role session of the longest first apply', () => {
    for (const id of ['apply-github-hosted', 'apply-in-vpc']) {
      assert.equal(jobs[id]['timeout-minutes'], CI_APPLY_JOB_MINUTES, id);
      assert.equal(
        stepUsing(jobs[id], './.github/actions/terraform-setup')!.with?.['session-seconds'],
        String(CI_APPLY_JOB_MINUTES * 60),
        id,
      );
    }
    for (const id of ['github-hosted', 'in-vpc']) {
      assert.ok(jobs[id]['timeout-minutes']! <= 60, `${id} ends within the plan role's one-hour session`);
    }
  });

  it("reads plans with the planned environment's read-only Cloudflare token, edits DNS only in the approved job", () => {
    assert.equal(jobs['github-hosted'].environment, undefined);
    assert.equal(
      jobs['github-hosted'].steps!.find((s) => s.id === 'stacks')!.env?.CLOUDFLARE_API_TOKEN,
      `\${{ secrets[${PLAN_TOKEN_SECRET}] }}`,
    );
    assert.equal(
      jobs['apply-github-hosted'].steps!.find((s) => s.id === 'stacks')!.env?.CLOUDFLARE_API_TOKEN,
      '${{ secrets.CLOUDFLARE_API_TOKEN }}',
    );
  });

  it('restores the lock files with the synth, and caches provider plugins by them', () => {
    const setup = action('terraform-setup').runs.steps;
    assert.match(setup.map((s) => s.run ?? '').join('\n'), /TF_PLUGIN_CACHE_DIR=\$RUNNER_TEMP\/terraform-plugins/);
    const cache = setup.find((s) => s.uses?.startsWith('actions/cache@'))!;
    assert.match(
      String(cache.with?.key),
      /hashFiles\('cdktf\.out\/providers\/versions\.tf\.json', 'cdktf\.out\/stacks\/\*\/\.terraform\.lock\.hcl'\)/,
    );
  });
});

describe('provider lock files', () => {
  const lock = action('provider-lock').runs.steps;
  const run = lock.map((s) => s.run ?? '').join('\n');

  it('check the pins, create the lock file once per set of versions when none is committed, and install it', () => {
    assert.match(run, /npm run --silent providers -- check\n/);
    assert.match(run, /providers lock -platform=linux_amd64 -platform=linux_arm64/);
    assert.match(run, /npm run --silent providers -- check --lock "\$lock"\n\s*npm run --silent providers -- install --lock "\$lock"/);
    const restore = lock.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    assert.equal(restore.with?.key, "terraform-lock-${{ hashFiles('cdktf.out/providers/versions.tf.json') }}");
    assert.equal(restore.if, "${{ hashFiles('.terraform.lock.hcl') == '' }}", 'a committed lock file wins');
  });

  it('run in every build job before the synth artifact leaves it, hidden lock files included', () => {
    for (const file of ['pull-request.yml', 'apply.yml', 'drift.yml']) {
      const steps = workflow(file).jobs.build.steps!;
      const lockStep = steps.findIndex((s) => s.uses === './.github/actions/provider-lock');
      const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@') && s.with?.name === 'synth');
      assert.ok(lockStep > 0 && lockStep < upload, file);
      assert.equal(steps[upload].with?.['include-hidden-files'], true, file);
    }
  });
});

describe('apply workflow', () => {
  const wf = workflow('apply.yml');
  const caller = wf.jobs.environment;

  it('runs on the main branch', () => {
    assert.deepEqual((wf.on.push as { branches: string[] }).branches, ['main']);
  });

  it('applies one environment at a time in promotion order, stopping at the first failure', () => {
    assert.equal(caller.with?.mode, 'apply');
    assert.equal(caller.strategy?.['max-parallel'], 1);
    assert.equal(caller.strategy?.['fail-fast'], true);
  });

  it("holds the environment's concurrency group, shared with drift, and is never cancelled half-way", () => {
    assert.deepEqual(caller.concurrency, { group: 'terraform-${{ matrix.environment }}', 'cancel-in-progress': false });
    assert.deepEqual(workflow('drift.yml').jobs.environment.concurrency, caller.concurrency);
  });
});

describe('drift workflow', () => {
  const wf = workflow('drift.yml');

  it('runs on a schedule and on demand, refresh-only, with the plan role', () => {
    assert.ok(Array.isArray(wf.on.schedule) && wf.on.schedule.length > 0);
    assert.ok('workflow_dispatch' in wf.on);
    assert.equal(wf.jobs.environment.with?.mode, 'drift');
    const hosted = workflow(ENVIRONMENT_WORKFLOW).jobs['github-hosted'];
    assert.equal(hosted.steps!.find((s) => s.id === 'stacks')!.env?.MODE, "${{ inputs.mode == 'drift' && 'drift' || 'plan' }}");
  });

  it('stays out of the way of an apply under way', () => {
    assert.match(scripts(wf.jobs.build), /gh run list --workflow apply\.yml --status "\$status"/);
    assert.equal(wf.jobs.environment.if, "${{ needs.build.outputs.apply-running != 'true' }}");
  });

  it('makes drift visible: job summary, an issue per drift that closes itself, a failed run', () => {
    const report = scripts(wf.jobs.report);
    assert.match(report, /report\.js drift --results results/);
    assert.match(report, />> "\$GITHUB_STEP_SUMMARY"/);
    assert.match(report, /gh issue create --title "Drift detected outside Terraform" --label drift/);
    assert.match(report, /gh issue close/);
    assert.match(report, /exit 1/);
  });
});

describe('maintenance workflow', () => {
  const wf = workflow('maintenance.yml');

  it('reports what is due and what differs on a schedule, never by failing a build', () => {
    assert.ok(Array.isArray(wf.on.schedule) && 'workflow_dispatch' in wf.on);
    assert.match(scripts(wf.jobs.review), /npm run --silent review -- --output review\.md \|\| due=true/);
    assert.match(scripts(wf.jobs.review), /gh issue create --title "Tables due for a review" --label review-due/);
    for (const file of ['pull-request.yml', 'apply.yml']) assert.doesNotMatch(workflowText(file), /npm run --silent review/);
  });

  it('reads the GitHub settings with read-only calls and compares them with config', () => {
    const job = wf.jobs['github-settings'];
    const script = scripts(job);
    for (const call of script.match(/gh api [^\n]*/g) ?? []) assert.doesNotMatch(call, /--method|-X |--input/, `read-only: ${call}`);
    assert.match(script, /gh api "repos\/\$\{REPO\}\/environments"/);
    assert.match(script, /gh api "repos\/\$\{REPO\}\/rules\/branches\/main"/);
    assert.match(script, /github-settings -- check --observed observed/);
    assert.deepEqual(job.permissions, { contents: 'read', actions: 'read', issues: 'write' });
  });
});
