/**
 * Plans, applies or drift-checks the stacks of one environment that run on one kind of runner, in the
 * order `npm run order` derived, and records what happened to each (results.ts).
 *
 * - plan: `plan -lock=false`, guard. A stack whose plan fails while a stack it depends on has pending
 *   changes (or waits, or failed) is not a failure: it *waits* for that stack's apply, because its
 *   `terraform_remote_state` reads a state that does not have what it needs yet (a fresh account; a new
 *   cross-stack output). Its plan is made again by the apply pipeline once the upstream is applied.
 * - apply: plan with the lock, guard, then apply that saved plan, stopping at the first failure. A stack
 *   whose approved plan was final (no upstream pending at approval) must plan to the same digest, else
 *   it is stale and refused; a stack that waited at approval is planned, guarded and applied after its
 *   upstream.
 *   A layer only an administrator applies (`ADMINISTRATOR_LAYERS`: bootstrap) is planned and guarded, never
 *   applied: while it has changes, the stacks that depend on it wait for the administrator's apply.
 * - drift: `plan -refresh-only -lock=false`: what changed outside Terraform, never merged-but-unapplied code.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entriesForStack, type AllowEntry } from '../checks/guard/allow';
import { evaluatePlan } from '../checks/guard/evaluate';
import { PlanFormatError, parsePlan } from '../checks/guard/plan';
import { headline, renderMarkdown } from '../checks/guard/report';
import type { DeployTarget } from '../checks/order/targets';
import { RUNNER_LAYER, type RunnerPlacement } from '../layers';
import { errorExcerpt, inRecordOrder, planDigest, type JobResults, type Mode, type StackResult } from './results';
import type { Terraform, TerraformRun } from './terraform';

export interface RunInput {
  readonly mode: Mode;
  readonly env: string;
  readonly placement: RunnerPlacement;
  /** Every CI target (`npm run order -- --format json --ci-only`), in apply order. */
  readonly targets: readonly DeployTarget[];
  readonly terraform: Terraform;
  /** Every allow entry (guard-allow.json); each stack gets its own. */
  readonly allow: readonly AllowEntry[];
  /** Results of the jobs before this one (the GitHub-hosted stacks, for the in-VPC job). */
  readonly upstream: readonly JobResults[];
  /** apply: the results of the plan that was approved for these stacks. */
  readonly approved?: JobResults;
  /** Where plan files and their JSON stay (on the runner only: they hold attribute values). */
  readonly plansDir: string;
  readonly log: (line: string) => void;
}

/** Statuses of an upstream stack that make a downstream plan provisional. */
function isPending(result: StackResult | undefined): boolean {
  if (!result) return false;
  if (result.status === 'applied' || result.status === 'no-changes' || result.status === 'drifted') return false;
  return result.pendingChanges || ['waits', 'failed', 'blocked', 'stale', 'not-run'].includes(result.status);
}

export async function runStacks(input: RunInput): Promise<JobResults> {
  const { mode, env, placement, targets, log } = input;
  const byName = new Map(targets.map((target) => [target.stack, target]));
  const known = new Map<string, StackResult>();
  for (const job of inRecordOrder(input.upstream)) for (const result of job.stacks) known.set(result.stack, result);
  const approved = new Map((input.approved?.stacks ?? []).map((result) => [result.stack, result]));
  const mine = targets.filter((target) => target.env === env && target.placement === placement);
  const results: StackResult[] = [];
  let stopped: string | undefined;

  for (const target of mine) {
    const base = { stack: target.stack, env, layer: target.layer, placement };
    if (stopped) {
      const reason = `${stopped} failed first`;
      results.push({ ...base, status: 'not-run', headline: 'not run', reason, pendingChanges: false, upstreamPending: [] });
      known.set(target.stack, results.at(-1)!);
      continue;
    }
    const upstreamPending = closure(target, byName).filter((name) => isPending(known.get(name)));
    const administrator = mode === 'apply' ? upstreamPending.filter((name) => byName.get(name)?.appliedByCi === false) : [];
    if (administrator.length > 0) {
      const reason = `${list(administrator)} ${hasOrHave(administrator)} changes an administrator applies (${ADMINISTRATOR_APPLY_DOC})`;
      results.push(waiting(base, administrator, reason));
      known.set(target.stack, results.at(-1)!);
      continue;
    }
    log(`::group::${target.stack}: ${mode}`);
    const result = await runOne(input, target, upstreamPending, approved.get(target.stack));
    log('::endgroup::');
    log(`${target.stack}: ${result.status}: ${result.headline}${result.reason ? ` (${result.reason})` : ''}`);
    results.push(result);
    known.set(target.stack, result);
    if (mode === 'apply' && ['failed', 'blocked', 'stale'].includes(result.status)) stopped = target.stack;
  }

  let runnerReady = placement === 'in-vpc';
  if (placement === 'github-hosted') {
    const runnerStack = targets.find((target) => target.env === env && target.layer === RUNNER_LAYER);
    runnerReady = runnerStack !== undefined && (await runnerExists(input, runnerStack, known.get(runnerStack.stack)));
    if (!runnerReady) results.push(...waitingForRunner(input, runnerStack));
  }
  return { env, placement, mode, runnerReady, stacks: results };
}

async function runOne(
  input: RunInput,
  target: DeployTarget,
  upstreamPending: string[],
  approval: StackResult | undefined,
): Promise<StackResult> {
  const { mode, terraform } = input;
  const base = { stack: target.stack, env: target.env, layer: target.layer, placement: target.placement, upstreamPending };
  const dir = target.workingDirectory;
  const failed = (what: string, run: TerraformRun): StackResult => {
    const error = errorExcerpt(run.output);
    if (upstreamPending.length > 0 && mode !== 'apply') {
      const reason =
        `${what} failed while ${list(upstreamPending)} ${hasOrHave(upstreamPending)} changes not applied yet; ` +
        'planned again once applied';
      return { ...waiting(base, upstreamPending, reason), error };
    }
    const reason = `terraform ${what} exited ${run.status}`;
    return { ...base, status: 'failed', headline: `${what} failed`, reason, pendingChanges: true, error };
  };

  const lockArgs = hasLockFile(dir) ? ['-lockfile=readonly'] : [];
  const init = await terraform.run(dir, ['init', '-input=false', '-no-color', ...lockArgs]);
  if (init.status !== 0) return failed('init', init);

  const planArgs = ['plan', '-input=false', '-no-color', '-detailed-exitcode', '-out=tfplan'];
  if (mode !== 'apply') planArgs.push('-lock=false');
  if (mode === 'drift') planArgs.push('-refresh-only');
  const plan = await terraform.run(dir, planArgs);
  if (plan.status !== 0 && plan.status !== 2) return failed('plan', plan);

  const jsonFile = join(input.plansDir, `${target.stack}.json`);
  const show = await terraform.run(dir, ['show', '-json', 'tfplan'], { stdoutFile: jsonFile });
  if (show.status !== 0) return failed('show', show);
  let document: unknown;
  let parsed: ReturnType<typeof parsePlan>;
  try {
    document = JSON.parse(readFileSync(jsonFile, 'utf8'));
    parsed = parsePlan(document, `${target.stack} plan`);
  } catch (error) {
    const message = error instanceof PlanFormatError ? error.message : `${target.stack} plan: ${(error as Error).message}`;
    return { ...base, status: 'failed', headline: 'plan unreadable', reason: message, pendingChanges: true };
  }
  const guard = evaluatePlan(parsed, entriesForStack(input.allow, target.stack), target.stack);
  const summary = renderMarkdown(guard, `${target.stack} plan`);
  const summaryBrief = renderMarkdown(guard, `${target.stack} plan`, { detail: 'brief' });
  const digest = planDigest(document);
  const pendingChanges = plan.status === 2 && mode !== 'drift';
  const planned = { ...base, headline: headline(guard), pendingChanges, digest, summary, summaryBrief };

  if (mode === 'drift') {
    // -detailed-exitcode is not trusted alone in refresh-only mode (hashicorp/terraform#36403): the changed objects are.
    const drifted = parsed.drift.length;
    if (drifted === 0) return { ...planned, status: 'no-changes', headline: 'no drift' };
    return { ...planned, status: 'drifted', headline: `${drifted} changed outside Terraform` };
  }
  if (!guard.passed) {
    const reason =
      guard.refused.length > 0
        ? 'the plan holds an update AWS refuses (a version downgrade or skipped step): change the version; no approval covers it'
        : 'the guard refused a protected destruction; approve it in guard-allow.json if intended';
    return { ...planned, status: 'blocked', reason };
  }
  if (mode === 'plan') return { ...planned, status: pendingChanges ? 'changes' : 'no-changes' };
  if (!target.appliedByCi) {
    if (!pendingChanges) return { ...planned, status: 'no-changes' };
    return { ...planned, status: 'changes', reason: `${ADMINISTRATOR_APPLIES}; the stacks after it wait for that apply` };
  }

  // apply: the approved plan, or a plan made after its upstream, and nothing else.
  const deferred = approval === undefined || approval.status === 'waits' || approval.upstreamPending.length > 0;
  if (!deferred && approval.digest !== digest) {
    return {
      ...planned,
      status: 'stale',
      reason:
        `the plan differs from the approved one (approved: ${approval.headline}; now: ${planned.headline}); ` +
        'the state or the code changed since approval: run the pipeline again',
    };
  }
  const waitedFor = approval?.waitsFor?.join(', ') || approval?.upstreamPending.join(', ') || 'its upstream';
  const note = deferred ? `planned after approval, once ${waitedFor} was applied` : undefined;
  if (plan.status === 0) return { ...planned, status: 'no-changes', ...(note ? { reason: note } : {}) };
  const apply = await terraform.run(dir, ['apply', '-input=false', '-no-color', 'tfplan']);
  if (apply.status !== 0) return { ...failed('apply', apply), summary, summaryBrief };
  return { ...planned, status: 'applied', pendingChanges: false, ...(note ? { reason: note } : {}) };
}

/** Why CI plans such a layer but never applies it, and where an administrator's apply is described. */
const HOLDS_CI_ROLES = 'it holds the CI roles, which CI may not change';
const ADMINISTRATOR_APPLY_DOC = 'docs/delivery.md "Stacks CI does not apply: bootstrap"';
const ADMINISTRATOR_APPLIES = `an administrator applies this layer, never CI (${HOLDS_CI_ROLES}): ${ADMINISTRATOR_APPLY_DOC}`;

/**
 * A stack that waits for `stacks` to be applied first, for `reason`: after a failed plan that read their state before
 * their changes, after an administrator's layer with changes (apply), or for the runner layer (in-VPC).
 */
function waiting(base: Pick<StackResult, 'stack' | 'env' | 'layer' | 'placement'>, stacks: readonly string[], reason: string): StackResult {
  const { stack, env, layer, placement } = base;
  return {
    stack,
    env,
    layer,
    placement,
    status: 'waits',
    headline: `waits for ${list(stacks)}`,
    reason,
    waitsFor: stacks,
    pendingChanges: true,
    upstreamPending: stacks,
  };
}

/** Every stack `target` depends on, directly or not, among the CI targets. */
function closure(target: DeployTarget, byName: ReadonlyMap<string, DeployTarget>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    for (const dependency of byName.get(name)?.dependencies ?? []) {
      if (seen.has(dependency) || !byName.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(target.stack);
  return [...byName.keys()].filter((name) => seen.has(name));
}

/** The runner exists when the runner layer's state holds its project's webhook (CodeBuild registers jobs through it). */
async function runnerExists(input: RunInput, runnerStack: DeployTarget, result: StackResult | undefined): Promise<boolean> {
  if (!result || ['failed', 'waits', 'not-run'].includes(result.status)) return false;
  const file = join(input.plansDir, `${runnerStack.stack}.state.json`);
  const show = await input.terraform.run(runnerStack.workingDirectory, ['show', '-json'], { stdoutFile: file });
  if (show.status !== 0) return false;
  try {
    type State = { values?: { root_module?: { resources?: { type: string; values?: Record<string, unknown> }[] } } };
    const state = JSON.parse(readFileSync(file, 'utf8')) as State;
    return (state.values?.root_module?.resources ?? []).some(
      (resource) => resource.type === 'aws_codebuild_webhook' && resource.values?.project_name === runnerStack.runnerProject,
    );
  } catch {
    return false;
  }
}

/** Without the runner, the in-VPC stacks cannot even start: they wait for the runner layer's apply. */
function waitingForRunner(input: RunInput, runnerStack: DeployTarget | undefined): StackResult[] {
  const runnerStackName = runnerStack?.stack ?? `${input.env}-${RUNNER_LAYER}`;
  return input.targets
    .filter((target) => target.env === input.env && target.placement === 'in-vpc')
    .map((target) =>
      waiting(
        target,
        [runnerStackName],
        `the in-VPC runner ${target.runnerProject} that plans and applies it does not exist yet; ${runnerStackName} creates it ` +
          '(after the one-time GitHub connection handshake, README "Bootstrapping" step 7)',
      ),
    );
}

function hasLockFile(dir: string): boolean {
  try {
    readFileSync(join(dir, '.terraform.lock.hcl'));
    return true;
  } catch {
    return false;
  }
}

const hasOrHave = (names: readonly string[]) => (names.length === 1 ? 'has' : 'have');

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
