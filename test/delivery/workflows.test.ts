import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { ROOT } from './helpers';
import { LAYERS } from '../../src/layers';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string | number>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
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
const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const actionFiles = existsSync(ACTIONS_DIR) ? readdirSync(ACTIONS_DIR).map((dir) => join(dir, 'action.yml')) : [];

const text = (file: string) => readFileSync(file, 'utf8');
const workflowText = (name: string) => text(join(WORKFLOWS_DIR, name));
const workflow = (name: string) => parse(workflowText(name)) as Workflow;
const action = (dir: string) => parse(text(join(ACTIONS_DIR, dir, 'action.yml'))) as CompositeAction;
const allText = () => [...workflowFiles.map((f) => workflowText(f)), ...actionFiles.map((f) => text(join(ACTIONS_DIR, f)))];

/** Steps of a job with local composite actions expanded, so properties can be asserted on what runs. */
function expandedSteps(job: Job): Step[] {
  return job.steps.flatMap((step) => (step.uses?.startsWith('./.github/actions/') ? [step, ...action(step.uses.slice('./.github/actions/'.length)).runs.steps] : [step]));
}
const scripts = (job: Job) => expandedSteps(job).map((step) => step.run ?? '').join('\n');
const usesOf = (job: Job) => expandedSteps(job).map((step) => step.uses ?? '');
const stepUsing = (job: Job, prefix: string) => job.steps.find((step) => step.uses?.startsWith(prefix));
const envOf = (name: string) => JSON.parse(text(join(ROOT, 'config', 'environments', `${name}.json`))) as { ci: { applyEnvironment: string } };
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

function assertValid(kind: string, state: { errors: unknown[] }): void {
  assert.deepEqual(state.errors, [], `${kind}: ${JSON.stringify(state.errors, null, 2)}`);
}

describe('GitHub Actions schema', () => {
  it('finds the pull-request, apply and drift workflows', () => {
    for (const file of ['apply.yml', 'drift.yml', 'pull-request.yml']) assert.ok(workflowFiles.includes(file), file);
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
        assert.ok(existsSync(join(ROOT, ref, 'action.yml')), `local action ${ref} exists`);
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
    for (const required of [
      'actions/checkout',
      'actions/setup-node',
      'actions/upload-artifact',
      'actions/download-artifact',
      'hashicorp/setup-terraform',
      'aws-actions/configure-aws-credentials',
      'github/codeql-action/upload-sarif',
    ]) {
      assert.ok(byAction.has(required), `${required} is used`);
    }
  });

  it('pins one exact Terraform version, 1.11 or later, and passes it to setup-terraform', () => {
    const versions = new Set(workflowFiles.map((file) => workflow(file).env?.TF_VERSION));
    assert.equal(versions.size, 1);
    const [version] = [...versions];
    assert.match(String(version), /^\d+\.\d+\.\d+$/);
    const [major, minor] = String(version).split('.').map(Number);
    assert.ok(major > 1 || (major === 1 && minor >= 11), `${version} >= 1.11`);
    const setup = action('terraform-setup').runs.steps.find((step) => step.uses?.startsWith('hashicorp/setup-terraform@'))!;
    assert.equal(setup.with?.terraform_version, '${{ inputs.terraform-version }}');
    for (const file of workflowFiles) {
      for (const job of Object.values(workflow(file).jobs)) {
        const local = stepUsing(job, './.github/actions/terraform-setup');
        if (local) assert.equal(local.with?.['terraform-version'], '${{ env.TF_VERSION }}', file);
      }
    }
  });

  it('has no static AWS credentials; the only secrets are the Cloudflare tokens, read-only outside applies', () => {
    for (const content of allText()) {
      assert.doesNotMatch(content, /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
      const secrets = [...content.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      assert.deepEqual(secrets.filter((name) => name !== 'CLOUDFLARE_API_TOKEN'), []);
      // The only computed secret name: the read-only token of the stack's own environment.
      const computed = [...content.matchAll(/secrets\[([^\]]+)\]/g)].map((m) => m[1]);
      assert.deepEqual(computed.filter((name) => name !== "format('CLOUDFLARE_API_TOKEN_READ_{0}', matrix.env)"), []);
    }
    // Plans outside an approved environment (pull requests, drift) get only their environment's read-only token.
    const planJobs = workflowFiles.flatMap((file) =>
      Object.entries<any>(workflow(file).jobs).filter(([, job]) => !job.environment && JSON.stringify(job).includes('terraform plan')),
    );
    assert.deepEqual(planJobs.map(([name]) => name).sort(), ['drift', 'plan']);
    for (const [name, job] of planJobs) {
      const tokens = job.steps.map((step: Step) => step.env?.CLOUDFLARE_API_TOKEN).filter(Boolean);
      assert.deepEqual(tokens, ["${{ secrets[format('CLOUDFLARE_API_TOKEN_READ_{0}', matrix.env)] }}"], name);
    }
    const editTokenJobs = workflowFiles.flatMap((file) =>
      Object.entries<any>(workflow(file).jobs)
        .filter(([, job]) => /secrets\.CLOUDFLARE_API_TOKEN\b(?!_)/.test(JSON.stringify(job)))
        .map(([name, job]) => ({ file, name, environment: job.environment })),
    );
    assert.deepEqual(editTokenJobs.map((job) => job.name).sort(), ['apply-dev', 'apply-prod', 'apply-staging']);
    for (const job of editTokenJobs) assert.ok(job.environment, `${job.file} job ${job.name} reads the DNS-editing token outside a protected environment`);
  });

  it('never runs pull-request code with a privileged trigger and never keeps git credentials', () => {
    for (const file of workflowFiles) {
      const on = workflow(file).on as unknown;
      const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on as object);
      assert.ok(triggers.length > 0, file);
      assert.ok(!triggers.includes('pull_request_target') && !triggers.includes('workflow_run'), `${file}: ${triggers.join(', ')}`);
      for (const job of Object.values(workflow(file).jobs)) {
        for (const checkout of job.steps.filter((step) => step.uses?.startsWith('actions/checkout@'))) {
          assert.equal(checkout.with?.['persist-credentials'], false, file);
        }
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
  };

  for (const file of workflowFiles) {
    it(`${file}: nothing by default, and each job asks only for what it uses`, () => {
      const wf = workflow(file);
      assert.deepEqual(wf.permissions, {}, 'top-level permissions are empty');
      for (const [id, job] of Object.entries(wf.jobs)) {
        assert.ok(job.permissions, `${id} declares permissions`);
        for (const [scope, level] of Object.entries(job.permissions)) assert.equal(level, allowed[scope], `${id}: ${scope}: ${level}`);
        const assumesRole = usesOf(job).some((u) => u.startsWith('aws-actions/configure-aws-credentials@'));
        assert.equal(job.permissions['id-token'] === 'write', assumesRole, `${id}: id-token: write exactly when it assumes an AWS role`);
        const uploadsSarif = usesOf(job).some((u) => u.startsWith('github/codeql-action/upload-sarif@'));
        assert.equal(job.permissions['security-events'] === 'write', uploadsSarif, `${id}: security-events only for SARIF upload`);
        if (job.permissions['pull-requests']) assert.match(scripts(job), /repos\/\$\{REPO\}\/issues\/.*comments/, `${id} comments on the pull request`);
        if (job.permissions.issues) assert.match(scripts(job), /gh issue/, `${id} manages issues`);
      }
    });
  }
});

describe('pull-request workflow', () => {
  const wf = workflow('pull-request.yml');

  it('builds, tests, synthesizes, checks and uploads the SARIF to code scanning', () => {
    assert.ok('pull_request' in wf.on);
    const build = wf.jobs.build;
    const runs = build.steps.map((s) => s.run ?? '');
    assert.ok(runs.includes('npm ci'));
    assert.ok(runs.includes('npm test'), 'npm test builds, synthesizes, checks and tests');
    assert.ok(runs.includes('npm run check -- --format sarif --output reports/policy.sarif'));
    assert.equal(stepUsing(build, 'github/codeql-action/upload-sarif@')!.with?.sarif_file, 'reports/policy.sarif');
  });

  it('plans every stack from the order command with the plan role, renders it to JSON and guards it', () => {
    assert.match(scripts(wf.jobs.build), /npm run --silent order -- --format json --ci-only/);
    const plan = wf.jobs.plan;
    assert.deepEqual(plan.strategy?.matrix, { include: '${{ fromJSON(needs.build.outputs.targets).stacks }}' });
    assert.equal(stepUsing(plan, './.github/actions/terraform-setup')!.with?.['role-arn'], '${{ matrix.planRoleArn }}');
    const script = scripts(plan);
    assert.match(script, /terraform -chdir="\$WORKDIR" init -input=false/);
    assert.match(script, /plan -input=false -lock=false -out=tfplan/);
    assert.match(script, /show -json tfplan > "plans\/\$\{STACK\}\.json"/);
    assert.match(script, /npm run --silent guard -- "plans\/\$\{STACK\}\.json" --stack "\$\{STACK\}"/);
    assert.match(script, /--allow-file guard-allow\.json/);
    assert.match(script, />> "\$GITHUB_STEP_SUMMARY"/);
  });

  it("plans in-VPC stacks on their environment's CodeBuild runner, the others on GitHub-hosted runners", () => {
    for (const job of [workflow('pull-request.yml').jobs.plan, workflow('drift.yml').jobs.drift] as (Job & { 'runs-on': string })[]) {
      assert.equal(
        job['runs-on'],
        "${{ matrix.placement == 'in-vpc' && format('codebuild-{0}-{1}-{2}', matrix.runnerProject, github.run_id, github.run_attempt) || 'ubuntu-24.04' }}",
      );
    }
  });

  it('posts one summary comment, updated on every push', () => {
    const comment = wf.jobs.comment;
    assert.deepEqual(comment.needs, ['build', 'plan']);
    assert.match(comment.if ?? '', /!cancelled\(\)/, 'comments even when a plan or the guard failed');
    assert.match(scripts(comment), /--method PATCH/);
  });

  it('puts the cost delta and, without plans, the synthesized diff against the base commit in the comment', () => {
    const build = wf.jobs.build;
    assert.equal(stepUsing(build, 'actions/checkout@')!.with?.['fetch-depth'], 0, 'the base commit is in the clone');
    const preview = build.steps.find((step) => step.run?.includes('cost.js'))!;
    assert.equal(preview.env?.BASE_SHA, '${{ github.event.pull_request.base.sha }}');
    assert.match(preview.run!, /cost\.js --base "\$BASE_SHA" --format markdown --output preview\/cost\.md/);
    assert.match(preview.run!, /diff\.js --base "\$BASE_SHA" --format markdown --output preview\/diff\.md/);
    assert.ok(build.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@') && step.with?.name === 'preview'));
    const comment = wf.jobs.comment;
    assert.ok(comment.steps.some((step) => step.uses?.startsWith('actions/download-artifact@') && step.with?.name === 'preview'));
    const script = scripts(comment);
    assert.ok(script.indexOf('cat preview/cost.md') < script.indexOf('## Terraform plans'), 'the cost delta comes first');
    assert.match(script, /if \[ "\$PLAN_RESULT" != "success" \] && \[ -f preview\/diff\.md \]; then cat preview\/diff\.md; fi/);
  });

  it('plans only pull requests from this repository, and writes a fork\'s preview to the job summary', () => {
    assert.equal(wf.jobs.plan.if, '${{ github.event.pull_request.head.repo.full_name == github.repository }}');
    const step = wf.jobs.comment.steps.find((candidate) => candidate.run?.includes('comment.md'))!;
    assert.equal(step.env?.FORK, '${{ github.event.pull_request.head.repo.full_name != github.repository }}');
    const fork = step.run!.indexOf('if [ "$FORK" = "true" ]');
    assert.ok(fork > 0 && fork < step.run!.indexOf('gh api'), 'a fork never calls the API with its read-only token');
  });

  it('cancels superseded runs of the same pull request', () => {
    assert.equal(wf.concurrency?.['cancel-in-progress'], true);
    assert.match(wf.concurrency?.group ?? '', /pull_request\.number/);
  });
});

describe('apply workflow', () => {
  const wf = workflow('apply.yml');
  const applyJobs = ENVIRONMENTS.map((env) => [env, wf.jobs[`apply-${env}`]] as const);

  it('runs on the main branch', () => {
    assert.deepEqual((wf.on.push as { branches: string[] }).branches, ['main']);
  });

  it('applies environments in order dev, staging, prod; in each, the in-VPC layers after the others', () => {
    assert.equal(wf.jobs['apply-dev'].needs, 'build');
    for (const env of ENVIRONMENTS) assert.deepEqual(wf.jobs[`apply-${env}-in-vpc`].needs, ['build', `apply-${env}`]);
    assert.deepEqual(wf.jobs['apply-staging'].needs, ['build', 'apply-dev-in-vpc']);
    assert.deepEqual(wf.jobs['apply-prod'].needs, ['build', 'apply-staging-in-vpc']);
  });

  it("runs the in-VPC layers on the environment's CodeBuild runner, with the same role and gate", () => {
    for (const env of ENVIRONMENTS) {
      const job = wf.jobs[`apply-${env}-in-vpc`] as Job & { 'runs-on': string };
      assert.equal(job['runs-on'], `codebuild-\${{ fromJSON(needs.build.outputs.targets).environments.${env}.runnerProject }}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
      assert.equal(job.environment, envOf(env).ci.applyEnvironment);
      assert.equal(job.concurrency?.group, wf.jobs[`apply-${env}`].concurrency?.group, 'one apply at a time per environment');
      assert.equal(stepUsing(job, './.github/actions/apply-stacks')!.with?.placement, 'in-vpc');
      assert.equal(stepUsing(wf.jobs[`apply-${env}`], './.github/actions/apply-stacks')!.with?.placement, 'github-hosted');
    }
    const script = action('apply-stacks').runs.steps.map((s) => s.run ?? '').join('\n');
    assert.match(script, /select\(\.env == \$env and \.placement == \$placement\)/);
  });

  it('runs each environment in the GitHub environment its apply role trusts, one concurrency group each', () => {
    const groups = new Set<string>();
    for (const [env, job] of applyJobs) {
      assert.equal(job.environment, envOf(env).ci.applyEnvironment, `${env} job environment matches config ci.applyEnvironment`);
      assert.equal(job.concurrency?.['cancel-in-progress'], false, 'an apply is never cancelled half-way');
      assert.ok(job.concurrency?.group.includes(env));
      groups.add(job.concurrency!.group);
    }
    assert.equal(groups.size, ENVIRONMENTS.length);
    // Required reviewers live in the repository settings; the workflow's part is to run prod in that environment.
    assert.equal(wf.jobs['apply-prod'].environment, 'prod');
  });

  it("assumes its own environment's apply role, from the order command's output", () => {
    assert.match(scripts(wf.jobs.build), /npm run --silent order -- --format json --ci-only/);
    for (const [env, job] of applyJobs) {
      const setup = stepUsing(job, './.github/actions/terraform-setup')!;
      assert.equal(setup.with?.['role-arn'], `\${{ fromJSON(needs.build.outputs.targets).environments.${env}.applyRoleArn }}`);
      const apply = stepUsing(job, './.github/actions/apply-stacks')!;
      assert.deepEqual(apply.with, { environment: env, placement: 'github-hosted', targets: '${{ needs.build.outputs.targets }}' });
    }
  });

  it('applies the saved plan, after the guard passed on it, stack by stack in order', () => {
    const script = action('apply-stacks').runs.steps.map((s) => s.run ?? '').join('\n');
    assert.match(script, /set -euo pipefail/);
    assert.match(script, /select\(\.env == \$env and/, 'stacks come from the order output, already ordered');
    const plan = script.indexOf('plan -input=false -detailed-exitcode -out=tfplan');
    const show = script.indexOf('show -json tfplan');
    const guard = script.indexOf('npm run --silent guard --');
    const apply = script.indexOf('apply -input=false tfplan');
    assert.ok(plan > 0 && plan < show && show < guard && guard < apply, 'plan, show, guard, then apply');
    // Under `set -e` a failing guard ends the step before the apply; nothing may swallow its status.
    assert.match(script, /^\s*npm run --silent guard -- "plans\/\$\{stack\}\.json" --stack "\$stack" "\$\{allow\[@\]\}"\s*$/m);
    assert.doesNotMatch(script, /set \+e|set \+o errexit/);
    assert.equal((script.match(/\|\| status=\$\?/g) ?? []).length, 1, 'only the plan may report its exit code instead of failing');
  });

  it('contains no hand-written stack list', () => {
    for (const content of allText()) assert.doesNotMatch(content, new RegExp(`\\b(dev|staging|prod)-(${LAYERS.join('|')})\\b`));
  });
});

describe('drift workflow', () => {
  const wf = workflow('drift.yml');

  it('runs on a schedule and on demand', () => {
    assert.ok(Array.isArray(wf.on.schedule) && (wf.on.schedule as unknown[]).length > 0);
    assert.ok('workflow_dispatch' in wf.on);
  });

  it('plans every CI stack with the read-only plan role and -detailed-exitcode', () => {
    const drift = wf.jobs.drift;
    assert.deepEqual(drift.strategy?.matrix, { include: '${{ fromJSON(needs.build.outputs.targets).stacks }}' });
    assert.equal(stepUsing(drift, './.github/actions/terraform-setup')!.with?.['role-arn'], '${{ matrix.planRoleArn }}');
    assert.ok(drift.environment === undefined, 'the plan role trusts the main branch, not an environment');
    const script = scripts(drift);
    assert.match(script, /plan -input=false -lock=false -detailed-exitcode -out=tfplan/);
    assert.match(script, /2\) echo "drift=true"/);
  });

  it('makes drift visible: failed job, job summary and an issue', () => {
    const script = scripts(wf.jobs.drift);
    assert.match(script, /cat "reports\/\$\{STACK\}\.md" >> "\$GITHUB_STEP_SUMMARY"/);
    assert.match(script, /exit 1/);
    const report = scripts(wf.jobs.report);
    assert.match(report, /gh issue create --title "Drift detected outside Terraform" --label drift/);
    assert.match(report, /gh issue close/);
  });
});
