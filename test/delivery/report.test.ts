import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  COMMENT_BUDGET,
  OVERVIEW_MARKER,
  environmentMarker,
  renderDrift,
  renderEnvironment,
  renderOverview,
  verdict,
  waitingChecks,
} from '../../src/delivery/report';
import { readResults, writeResults, type StackResult } from '../../src/delivery/results';
import { change, plan, stateWithRunner, targetsOf } from './fake-terraform';
import { runCli } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'report-'));
after(() => rmSync(work, { recursive: true, force: true }));

const SHA = '0123456789abcdef0123456789abcdef01234567';
const context = { sha: SHA, runUrl: 'https://github.com/o/r/actions/runs/7' };
const stack = (name: string, over: Partial<StackResult> = {}): StackResult => ({
  stack: name,
  env: name.split('-')[0],
  layer: name.split('-')[1],
  placement: 'github-hosted',
  status: 'changes',
  headline: '1 to update in place',
  pendingChanges: true,
  upstreamPending: [],
  summary: `### ${name}: 1 to update in place\n\n  - \`instance_class\`: \`"db.t4g.medium"\` → \`"db.r7g.large"\``,
  summaryBrief: `### ${name}: 1 to update in place`,
  ...over,
});

describe('pull-request comment of an environment', () => {
  const stacks = [
    stack('dev-network', { status: 'no-changes', headline: 'no changes', pendingChanges: false }),
    stack('dev-platform'),
    stack('dev-edge', {
      status: 'waits',
      headline: 'waits for dev-platform',
      reason: 'plan failed while dev-platform has changes not applied yet',
      error: 'Error: Unsupported attribute',
    }),
    stack('dev-data', { status: 'failed', headline: 'plan failed', error: 'Error: Invalid value\n\nzone not found' }),
    stack('prod-network'),
  ];
  const text = renderEnvironment('dev', stacks, context);

  it('names the head commit and lists every stack of the environment, and only those', () => {
    assert.ok(text.startsWith(`${environmentMarker('dev')}\n## dev: 4 stacks`));
    assert.match(text, /Commit `0123456789ab`/);
    for (const name of ['dev-network', 'dev-platform', 'dev-edge', 'dev-data']) assert.match(text, new RegExp(`\\| \`${name}\` \\|`));
    assert.doesNotMatch(text, /prod-network/);
  });

  it('shows attribute changes, why a stack waits, and the error of a failed plan', () => {
    assert.match(text, /`instance_class`: `"db\.t4g\.medium"` → `"db\.r7g\.large"`/);
    assert.match(
      text,
      /\| `dev-edge` \| :hourglass: waits \| waits for dev-platform — plan failed while dev-platform has changes not applied yet \|/,
    );
    assert.match(
      text,
      /<details open><summary><b>dev-data<\/b>: plan failed<\/summary>\n\n```text\nError: Invalid value\n\nzone not found\n```/,
    );
  });

  it("stays within GitHub's size limit, shortening the largest sections first and saying so", () => {
    const big = (name: string, size: number) =>
      stack(name, { summary: `### ${name}\n${'x'.repeat(size)}`, summaryBrief: `### ${name} (brief)` });
    const many = [big('dev-network', 50_000), big('dev-platform', 30_000), big('dev-edge', 2_000), stack('dev-data')];
    const fitted = renderEnvironment('dev', many, context);
    assert.ok(fitted.length <= COMMENT_BUDGET + 1_000, `${fitted.length} characters`);
    for (const name of ['dev-network', 'dev-platform', 'dev-edge', 'dev-data'])
      assert.match(fitted, new RegExp(`\\| \`${name}\` \\|`), `${name} is in the table`);
    assert.match(fitted, /### dev-network \(brief\)/, 'the largest section became brief');
    assert.match(fitted, /x{2000}/, 'the small ones stay whole');
    assert.match(
      fitted,
      /_Shortened to fit GitHub's comment size: `dev-network` \(attribute changes left out\)\. The full report of every stack is in/,
    );
    const huge = renderEnvironment(
      'dev',
      Array.from({ length: 6 }, (_, i) => big(`dev-s${i}`, 40_000)),
      context,
    );
    assert.ok(huge.length <= COMMENT_BUDGET + 1_000);
    assert.ok(huge.length > 1_000);
  });
});

describe('pull-request overview comment', () => {
  it('puts the cost first, then every environment; the diff only when plans are missing or incomplete', () => {
    const stacks = [stack('dev-network'), stack('prod-network', { status: 'no-changes', pendingChanges: false })];
    const text = renderOverview(stacks, { ...context, cost: '## Cost delta\n+12 USD', diff: '## Diff\n+ aws_vpc.main' });
    assert.ok(text.startsWith(`${OVERVIEW_MARKER}\n## Cost delta`));
    assert.match(text, /## Terraform plans of `0123456789ab`/);
    assert.match(text, /\| dev \| 1 \| 1 changes \|\n\| prod \| 1 \| 1 no changes \|/);
    assert.doesNotMatch(text, /Synthesized diff/);
    const skipped = renderOverview([], {
      ...context,
      diff: '## Diff\n+ aws_vpc.main',
      plansSkipped: "a fork's pull request has no credentials",
    });
    assert.match(skipped, /\*\*Plans did not run:\*\* a fork's pull request has no credentials/);
    assert.match(skipped, /### Synthesized diff against the base[^\n]*\n\n## Diff\n\+ aws_vpc\.main/);
    const long = renderOverview([], { ...context, diff: `${'line\n'.repeat(20_000)}`, plansSkipped: 'merge queue' });
    assert.ok(long.length <= COMMENT_BUDGET + 1_000);
    assert.match(long, /The rest of the diff \(\d+ characters\) is left out to fit GitHub's size limit/);
  });

  it('puts what no plan shows above everything, whether or not plans ran', () => {
    const stacks = [stack('dev-network', { status: 'no-changes', pendingChanges: false })];
    const alerts = '**Stacks no longer applied:** nothing destroys them.\n\n- `qa-data`\n';
    const text = renderOverview(stacks, { ...context, cost: '## Cost delta\n-900 USD', alerts });
    assert.ok(text.startsWith(`${OVERVIEW_MARKER}\n**Stacks no longer applied:**`), text);
    assert.match(text, /- `qa-data`\n\n## Cost delta/);
    assert.ok(
      renderOverview(stacks, { ...context, alerts: '' }).startsWith(`${OVERVIEW_MARKER}\n## Terraform plans`),
      'an empty file adds nothing',
    );
    const diff = `## Synthesized diff\n\n${alerts}\nqa-data (stack removed)`;
    const withDiff = renderOverview([], { ...context, alerts, diff, plansSkipped: 'fork' });
    assert.equal(withDiff.split('**Stacks no longer applied:**').length - 1, 1, 'said once, though the diff holds it too');
    assert.match(withDiff, /## Synthesized diff\n\n\nqa-data \(stack removed\)/);
  });
});

describe('drift report, verdict and neutral checks', () => {
  it('lists drifted and unchecked stacks with their changes', () => {
    const text = renderDrift(
      [
        stack('dev-network', { status: 'drifted', headline: '1 changed outside Terraform' }),
        stack('dev-edge', { status: 'failed', reason: 'terraform plan exited 1' }),
        stack('dev-data', { status: 'no-changes' }),
      ],
      { ...context, date: '2026-12-01' },
    );
    assert.match(text, /Drifted: `dev-network`\.\nNot checked: `dev-edge` \(failed: terraform plan exited 1\)\./);
    assert.match(text, /<details open><summary><b>dev-network<\/b>: 1 changed outside Terraform/);
    assert.doesNotMatch(text, /<b>dev-data<\/b>/);
  });

  it('passes waiting stacks, fails failed, blocked and stale ones, and stacks without a result', () => {
    const targets = targetsOf('dev', '/w');
    const all = targets.map((t) => stack(t.stack));
    assert.equal(verdict(all, targets).passed, true);
    assert.equal(verdict([...all.slice(1), stack('dev-network', { status: 'waits' })], targets).passed, true);
    for (const status of ['failed', 'blocked', 'stale'] as const)
      assert.equal(verdict([...all.slice(1), stack('dev-network', { status })], targets).passed, false, status);
    const missing = verdict(all.slice(1), targets);
    assert.equal(missing.passed, false);
    assert.deepEqual(missing.lines, ['dev-network: no result (its job did not finish)']);
    assert.deepEqual(waitingChecks([stack('dev-edge', { status: 'waits', headline: 'waits for dev-platform', reason: 'r' })]), [
      { name: 'plan dev-edge', title: 'waits for dev-platform', summary: 'r' },
    ]);
  });
});

describe('npm run stacks and npm run report, end to end with a stand-in terraform', () => {
  it('plans an environment, writes its results, outputs and job summary, then the comments', async () => {
    const root = join(work, 'e2e');
    const targets = targetsOf('dev', join(root, 'stacks'));
    writeFileSync(join(work, 'targets.json'), JSON.stringify({ stacks: targets }));
    writeFileSync(join(work, 'plan.json'), JSON.stringify(plan([change('aws_vpc.main', ['create'])])));
    writeFileSync(join(work, 'state.json'), JSON.stringify(stateWithRunner('social-dev-runner')));
    const binary = join(work, 'terraform');
    writeFileSync(
      binary,
      [
        '#!/bin/sh',
        '# Stand-in for terraform: "$1" is -chdir=<dir>, "$2" the command.',
        'case "$2" in',
        '  init) exit 0 ;;',
        '  plan) echo "Plan: 1 to add"; exit 2 ;;',
        '  show) if [ "$4" = tfplan ]; then cat "$FAKE_PLAN"; else cat "$FAKE_STATE"; fi ;;',
        '  *) exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(binary, 0o755);
    const output = join(work, 'github-output');
    const summary = join(work, 'step-summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const env = {
      TERRAFORM_BINARY: binary,
      FAKE_PLAN: join(work, 'plan.json'),
      FAKE_STATE: join(work, 'state.json'),
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      HEAD_SHA: SHA,
    };
    const reports = join(work, 'reports');
    const planArgs = ['plan', '--env', 'dev', '--placement', 'github-hosted', '--targets', join(work, 'targets.json')];
    const into = ['--out', reports, '--plans', join(work, 'plans')];
    const run = await runCli('stacks', [...planArgs, ...into, '--allow-file', join(work, 'none.json')], { env });
    assert.equal(run.status, 2, 'a missing allow file is bad input');
    const ok = await runCli('stacks', [...planArgs, ...into], { env });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.deepEqual(readdirSync(reports), ['results-plan-dev-github-hosted.json']);
    const [results] = readResults(reports);
    assert.deepEqual(
      results.stacks.map((s) => s.status),
      ['changes', 'changes', 'changes'],
    );
    assert.equal(results.runnerReady, true);
    assert.equal(readFileSync(output, 'utf8'), 'runner-ready=true\npending=true\n');
    assert.match(
      readFileSync(summary, 'utf8'),
      /^<!-- platform-infra:plan:dev -->\n## dev: 3 stacks \(3 changes\)\n\nCommit `0123456789ab`/,
    );
    assert.ok(!JSON.stringify(results).includes('"resource_changes"'), 'no plan document leaves the runner in the results');

    writeResults(reports, {
      ...results,
      placement: 'in-vpc',
      stacks: [{ ...results.stacks[0], stack: 'dev-data', layer: 'data', placement: 'in-vpc' }],
    });
    const comments = join(work, 'comments');
    const report = await runCli('report', [
      'comment',
      '--results',
      reports,
      '--targets',
      join(work, 'targets.json'),
      '--out',
      comments,
      '--sha',
      SHA,
    ]);
    assert.equal(report.status, 0, report.stderr);
    assert.deepEqual(readdirSync(comments).sort(), ['dev.md', 'overview.md']);
    assert.match(
      readFileSync(join(comments, 'dev.md'), 'utf8'),
      /\| `dev-cluster` \| :fast_forward: not run \| no result — its job did not finish/,
      'a stack without results is still listed',
    );
    const verdictRun = await runCli('report', ['verdict', '--results', reports, '--targets', join(work, 'targets.json')]);
    assert.equal(verdictRun.status, 1, 'dev-cluster has no result');
    assert.match(verdictRun.stdout, /dev-cluster: no result/);
  });
});
