import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllowArgument } from '../../src/checks/guard/allow';
import { verdict } from '../../src/delivery/report';
import { planDigest, type JobResults, type StackResult } from '../../src/delivery/results';
import { runStacks, type RunInput } from '../../src/delivery/run-stacks';
import { change, diagnostic, fakeTerraform, plan, stateWithRunner, targetsOf, type StackScript } from './fake-terraform';

const work = mkdtempSync(join(tmpdir(), 'run-stacks-'));
after(() => rmSync(work, { recursive: true, force: true }));
const W = join(work, 'stacks');
const targets = targetsOf('dev', W);
const dir = (layer: string) => `${W}/dev-${layer}`;

const REMOTE_STATE_MISSING = {
  status: 1,
  output: diagnostic('Unable to find remote state', 'No stored state was found for the given workspace in the given backend.'),
};
const UNSUPPORTED_ATTRIBUTE = {
  status: 1,
  output: diagnostic('Unsupported attribute', 'This object does not have an attribute named "cross-stack-output-aws_iam_rolesvc-feedarn".'),
};
const changes = (json: object): StackScript => ({ plan: { status: 2, output: 'Plan: 1 to add' }, planJson: json });

function input(over: Partial<RunInput> & Pick<RunInput, 'terraform'>): RunInput {
  return { mode: 'plan', env: 'dev', placement: 'github-hosted', targets, allow: [], upstream: [], plansDir: work, log: () => {}, ...over };
}
const byStack = (results: JobResults) => new Map(results.stacks.map((stack) => [stack.stack, stack]));

describe('ordered plans', () => {
  it('in a fresh account: the first layer plans to create, every later one waits for it, none fails', async () => {
    const terraform = fakeTerraform({
      [dir('network')]: changes(plan([change('aws_vpc.main', ['create'])], { vpc_id: ['create'] })),
      [dir('platform')]: { plan: REMOTE_STATE_MISSING },
      [dir('edge')]: { plan: REMOTE_STATE_MISSING },
    });
    const results = await runStacks(input({ terraform }));
    const stacks = byStack(results);
    assert.deepEqual(
      [...stacks.keys()],
      ['dev-network', 'dev-platform', 'dev-edge', 'dev-cluster', 'dev-data'],
      'apply order, then the in-VPC stacks',
    );
    assert.equal(stacks.get('dev-network')!.status, 'changes');
    assert.deepEqual(
      ['dev-platform', 'dev-edge'].map((name) => [stacks.get(name)!.status, stacks.get(name)!.waitsFor]),
      [
        ['waits', ['dev-network']],
        ['waits', ['dev-network', 'dev-platform']],
      ],
    );
    assert.match(
      stacks.get('dev-platform')!.reason!,
      /plan failed while dev-network has changes not applied yet; planned again once applied/,
    );
    assert.match(stacks.get('dev-platform')!.error!, /Error: Unable to find remote state/);
    assert.equal(results.runnerReady, false, 'the runner is not in the platform state');
    for (const name of ['dev-cluster', 'dev-data']) {
      assert.equal(stacks.get(name)!.status, 'waits');
      assert.match(stacks.get(name)!.reason!, /the in-VPC runner social-dev-runner .* does not exist yet; dev-platform creates it/);
    }
    assert.equal(verdict(results.stacks, targets).passed, true, 'waiting is neutral');
  });

  it('after a pull request adds a cross-stack output: the in-VPC stack waits for the upstream that adds it', async () => {
    const hosted = await runStacks(
      input({
        terraform: fakeTerraform({
          [dir('platform')]: {
            ...changes(plan([change('aws_iam_role.svc-feed', ['create'])], { 'cross-stack-output-aws_iam_rolesvc-feedarn': ['create'] })),
            stateJson: stateWithRunner('social-dev-runner'),
          },
        }),
      }),
    );
    assert.equal(hosted.runnerReady, true);
    assert.deepEqual(
      hosted.stacks.map((stack) => stack.stack),
      ['dev-network', 'dev-platform', 'dev-edge'],
      'no placeholder for in-VPC stacks once the runner exists',
    );
    assert.deepEqual(
      byStack(hosted).get('dev-edge')!.upstreamPending,
      ['dev-platform'],
      'a successful downstream plan is marked provisional',
    );

    const inVpc = await runStacks(
      input({ placement: 'in-vpc', upstream: [hosted], terraform: fakeTerraform({ [dir('data')]: { plan: UNSUPPORTED_ATTRIBUTE } }) }),
    );
    const data = byStack(inVpc).get('dev-data')!;
    assert.equal(data.status, 'waits');
    assert.deepEqual(data.waitsFor, ['dev-platform']);
    assert.match(data.error!, /Unsupported attribute/);
  });

  it('takes an upstream stack as settled once the apply records it applied, whatever order the records come in', async () => {
    const record = (mode: 'plan' | 'apply', status: StackResult['status']): JobResults => ({
      env: 'dev',
      placement: 'github-hosted',
      mode,
      runnerReady: true,
      stacks: ['network', 'platform'].map((layer) => ({
        stack: `dev-${layer}`,
        env: 'dev',
        layer,
        placement: 'github-hosted' as const,
        status,
        headline: status,
        pendingChanges: status === 'changes',
        upstreamPending: [],
      })),
    });
    const upstream = [record('apply', 'applied'), record('plan', 'changes')];
    const terraform = fakeTerraform({ [dir('cluster')]: { plan: UNSUPPORTED_ATTRIBUTE } });
    const results = await runStacks(input({ mode: 'plan', placement: 'in-vpc', upstream, terraform }));
    assert.equal(byStack(results).get('dev-cluster')!.status, 'failed', 'nothing upstream is pending after the apply');
  });

  it("fails a plan that fails with every upstream settled, showing Terraform's error", async () => {
    const results = await runStacks(
      input({
        terraform: fakeTerraform({
          [dir('edge')]: { plan: { status: 1, output: diagnostic('Invalid value', 'zone example.org not found') } },
        }),
      }),
    );
    const edge = byStack(results).get('dev-edge')!;
    assert.equal(edge.status, 'failed');
    assert.equal(edge.error, 'Error: Invalid value\n\nzone example.org not found');
    assert.equal(verdict(results.stacks, targets).passed, false);
  });

  it('blocks a protected destruction unless guard-allow.json approves it for this stack', async () => {
    const scripts = {
      [dir('network')]: changes(plan([change('aws_cloudwatch_log_group.vpc-flow-logs', ['delete'], { name: 'x' }, null)])),
      [dir('platform')]: { stateJson: stateWithRunner('social-dev-runner') },
    };
    const blocked = await runStacks(input({ terraform: fakeTerraform(scripts) }));
    assert.equal(byStack(blocked).get('dev-network')!.status, 'blocked');
    const allowed = await runStacks(
      input({
        terraform: fakeTerraform(scripts),
        allow: [
          { ...parseAllowArgument('aws_cloudwatch_log_group.vpc-flow-logs=retired with the old flow-log format'), stack: 'dev-network' },
        ],
      }),
    );
    assert.equal(byStack(allowed).get('dev-network')!.status, 'changes');
  });

  it('blocks an update AWS refuses, which no entry approves, and says what to change', async () => {
    const skip = change(
      'aws_eks_cluster.eks',
      ['update'],
      { name: 'social-dev-eks', version: '1.34' },
      { name: 'social-dev-eks', version: '1.36' },
    );
    const scripts = {
      [dir('network')]: changes(plan([skip])),
      [dir('platform')]: { stateJson: stateWithRunner('social-dev-runner') },
    };
    const allow = [{ ...parseAllowArgument('aws_eks_cluster.eks=skipping a version on purpose this once'), stack: 'dev-network' }];
    const result = byStack(await runStacks(input({ terraform: fakeTerraform(scripts), allow }))).get('dev-network')!;
    assert.equal(result.status, 'blocked');
    assert.match(result.reason!, /an update AWS refuses .*change the version; no approval covers it/);
  });

  it('plans without the state lock, and drift-checks refresh-only', async () => {
    const terraform = fakeTerraform({});
    await runStacks(input({ terraform }));
    const planCall = terraform.calls.find((call) => call.args[0] === 'plan')!;
    assert.ok(planCall.args.includes('-lock=false') && !planCall.args.includes('-refresh-only'), planCall.args.join(' '));
    const drift = fakeTerraform({});
    await runStacks(input({ mode: 'drift', terraform: drift }));
    assert.ok(
      drift.calls
        .filter((call) => call.args[0] === 'plan')
        .every((call) => call.args.includes('-refresh-only') && call.args.includes('-lock=false')),
    );
  });

  it('inits with -lockfile=readonly where a lock file is installed', async () => {
    mkdirSync(dir('network'), { recursive: true });
    writeFileSync(join(dir('network'), '.terraform.lock.hcl'), 'provider "registry.terraform.io/hashicorp/aws" {\n}\n');
    const terraform = fakeTerraform({});
    await runStacks(input({ terraform }));
    const inits = terraform.calls.filter((call) => call.args[0] === 'init');
    assert.deepEqual(inits.map((call) => [call.dir.split('/').at(-1), call.args.includes('-lockfile=readonly')]).slice(0, 2), [
      ['dev-network', true],
      ['dev-platform', false],
    ]);
    rmSync(join(dir('network'), '.terraform.lock.hcl'));
  });
});

describe('drift', () => {
  it('reports what changed outside Terraform, attribute by attribute, and not a bare exit code 2', async () => {
    const drifted = change('aws_security_group.cache', ['update'], { description: 'cache access' }, { description: 'changed by hand' });
    const results = await runStacks(
      input({
        mode: 'drift',
        terraform: fakeTerraform({
          [dir('network')]: { plan: { status: 2, output: '' }, planJson: plan([], {}, [drifted]) },
          // refresh-only can exit 2 with nothing changed (hashicorp/terraform#36403): no drift.
          [dir('platform')]: { plan: { status: 2, output: '' }, planJson: plan([]), stateJson: stateWithRunner('social-dev-runner') },
        }),
      }),
    );
    const stacks = byStack(results);
    assert.equal(stacks.get('dev-network')!.status, 'drifted');
    assert.equal(stacks.get('dev-network')!.headline, '1 changed outside Terraform');
    assert.match(stacks.get('dev-network')!.summary!, /`description`: `"cache access"` → `"changed by hand"`/);
    assert.equal(stacks.get('dev-platform')!.status, 'no-changes');
  });
});

describe('apply what was approved', () => {
  const networkPlan = plan([change('aws_vpc.main', ['create'])], { vpc_id: ['create'] });
  const platformPlan = plan([change('aws_eks_cluster.eks', ['create'])]);
  const approved = (stacks: StackResult[]): JobResults => ({
    env: 'dev',
    placement: 'github-hosted',
    mode: 'plan',
    runnerReady: false,
    stacks,
  });
  const result = (stack: string, over: Partial<StackResult>): StackResult => ({
    stack,
    env: 'dev',
    layer: stack.slice(4),
    placement: 'github-hosted',
    status: 'changes',
    headline: '1 to create',
    pendingChanges: true,
    upstreamPending: [],
    ...over,
  });

  it('applies the approved plan, then plans, guards and applies the stacks that waited for it', async () => {
    const terraform = fakeTerraform({
      [dir('network')]: changes(networkPlan),
      [dir('platform')]: { ...changes(platformPlan), stateJson: stateWithRunner('social-dev-runner') },
    });
    const results = await runStacks(
      input({
        mode: 'apply',
        terraform,
        approved: approved([
          result('dev-network', { digest: planDigest(networkPlan) }),
          result('dev-platform', {
            status: 'waits',
            waitsFor: ['dev-network'],
            upstreamPending: ['dev-network'],
            headline: 'waits for dev-network',
          }),
          result('dev-edge', {
            status: 'waits',
            waitsFor: ['dev-network', 'dev-platform'],
            upstreamPending: ['dev-network', 'dev-platform'],
          }),
        ]),
      }),
    );
    const stacks = byStack(results);
    assert.deepEqual(
      [...stacks.values()].map((s) => [s.stack, s.status]),
      [
        ['dev-network', 'applied'],
        ['dev-platform', 'applied'],
        ['dev-edge', 'no-changes'],
      ],
    );
    assert.match(stacks.get('dev-platform')!.reason!, /planned after approval, once dev-network was applied/);
    const applies = terraform.calls.filter((call) => call.args[0] === 'apply');
    assert.deepEqual(
      applies.map((call) => [call.dir.split('/').at(-1), call.args.at(-1)]),
      [
        ['dev-network', 'tfplan'],
        ['dev-platform', 'tfplan'],
      ],
      'each applies its saved plan',
    );
    const applyPlan = terraform.calls.find((call) => call.args[0] === 'plan')!;
    assert.ok(!applyPlan.args.includes('-lock=false'), 'the apply job plans with the state lock');
    assert.equal(results.runnerReady, true);
  });

  it('refuses a plan that differs from the approved one, and applies nothing after it', async () => {
    const terraform = fakeTerraform({
      [dir('network')]: changes(plan([change('aws_vpc.main', ['create']), change('aws_subnet.extra', ['create'])])),
    });
    const results = await runStacks(
      input({ mode: 'apply', terraform, approved: approved([result('dev-network', { digest: planDigest(networkPlan) })]) }),
    );
    const stacks = byStack(results);
    assert.equal(stacks.get('dev-network')!.status, 'stale');
    assert.match(stacks.get('dev-network')!.reason!, /differs from the approved one \(approved: 1 to create; now: 2 to create\)/);
    assert.deepEqual(
      ['dev-platform', 'dev-edge'].map((name) => stacks.get(name)!.status),
      ['not-run', 'not-run'],
    );
    assert.deepEqual(
      terraform.calls.filter((call) => call.args[0] === 'apply'),
      [],
    );
  });

  describe('a bootstrap layer whose state is in the bucket', () => {
    const bootstrapTarget = {
      ...targets[0]!,
      stack: 'dev-bootstrap',
      layer: 'bootstrap',
      workingDirectory: dir('bootstrap'),
      dependencies: [],
      appliedByCi: false,
    };
    const withBootstrap = [bootstrapTarget, ...targets];
    const bootstrapPlan = plan([change('aws_iam_policy.ci-apply-data', ['update'])]);
    /** The apply pipeline over bootstrap and the other stacks, with these approved plan results. */
    const apply = (terraform: ReturnType<typeof fakeTerraform>, approvedResults: Parameters<typeof approved>[0]) =>
      runStacks(input({ mode: 'apply', targets: withBootstrap, terraform, approved: approved(approvedResults) }));

    it('is planned but never applied by CI, and the stacks after it wait while it has changes', async () => {
      const terraform = fakeTerraform({ [dir('bootstrap')]: changes(bootstrapPlan), [dir('network')]: changes(networkPlan) });
      const results = await apply(terraform, [
        result('dev-bootstrap', { digest: planDigest(bootstrapPlan) }),
        result('dev-network', { digest: planDigest(networkPlan) }),
      ]);
      const stacks = byStack(results);
      assert.equal(stacks.get('dev-bootstrap')!.status, 'changes');
      assert.match(stacks.get('dev-bootstrap')!.reason!, /an administrator applies this layer, never CI/);
      for (const name of ['dev-network', 'dev-platform', 'dev-edge']) {
        assert.equal(stacks.get(name)!.status, 'waits', name);
        assert.deepEqual(stacks.get(name)!.waitsFor, ['dev-bootstrap']);
      }
      assert.deepEqual(
        terraform.calls.map((call) => [call.dir.split('/').at(-1), call.args[0]]).filter(([, command]) => command !== 'init'),
        [
          ['dev-bootstrap', 'plan'],
          ['dev-bootstrap', 'show'],
        ],
        'bootstrap is planned; nothing is applied, nothing after it planned',
      );
      assert.equal(verdict(results.stacks, withBootstrap).passed, true, 'waiting for the administrator is not a failure');
    });

    it('lets the stacks after it apply once it has no changes', async () => {
      const terraform = fakeTerraform({ [dir('network')]: changes(networkPlan) });
      const results = await apply(terraform, [
        result('dev-bootstrap', { status: 'no-changes', pendingChanges: false }),
        result('dev-network', { digest: planDigest(networkPlan) }),
      ]);
      const stacks = byStack(results);
      assert.equal(stacks.get('dev-bootstrap')!.status, 'no-changes');
      assert.equal(stacks.get('dev-network')!.status, 'applied');
    });
  });

  it('recognises the approved plan whatever the order of its keys and lists', () => {
    const two = plan([
      change('aws_vpc.main', ['create'], null, { cidr_block: '10.0.0.0/16', tags: { a: '1' } }),
      change('aws_subnet.a', ['create']),
    ]);
    const reordered = JSON.parse(JSON.stringify(two), (_key, value) =>
      Array.isArray(value) ? value : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse()) : value,
    );
    reordered.resource_changes.reverse();
    assert.equal(planDigest(reordered), planDigest(two));
    const withNoOp = { ...networkPlan, resource_changes: [...(networkPlan as any).resource_changes, change('aws_vpc.other', ['no-op'])] };
    assert.equal(planDigest(withNoOp), planDigest(networkPlan), 'no-ops do not count');
    assert.notEqual(
      planDigest(plan([change('aws_vpc.main', ['create'], null, { cidr_block: '10.0.0.0/16' })])),
      planDigest(plan([change('aws_vpc.main', ['create'], null, { cidr_block: '10.1.0.0/16' })])),
    );
  });
});
