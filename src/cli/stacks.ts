import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { AllowError, parseAllowFile, type AllowEntry } from '../checks/guard/allow';
import type { DeployTarget } from '../checks/order/targets';
import type { RunnerPlacement } from '../layers';
import { renderEnvironment } from '../delivery/report';
import { FAILING_STATUSES, readResults, writeResults, type JobResults, type Mode } from '../delivery/results';
import { runStacks } from '../delivery/run-stacks';
import { terraformCli } from '../delivery/terraform';
import { parseCommandArgs } from './args';
import { runMain } from './entry';
import { SYNTH_OUT_DIR } from '../layers';

const MODES: readonly Mode[] = ['plan', 'apply', 'drift'];
const PLACEMENTS: readonly RunnerPlacement[] = ['github-hosted', 'in-vpc'];

/** Where the build job writes `npm run order -- --format json --ci-only` for the jobs that plan and apply. */
const DEFAULT_TARGETS = `${SYNTH_OUT_DIR}/targets.json`;
const USAGE = `usage: npm run stacks -- <plan|apply|drift> --env <name> --placement <github-hosted|in-vpc> [options]
  plan      plan each stack (no lock), guard it; a stack whose upstream has pending changes waits for it
  apply     plan each stack, guard it, apply that saved plan; a plan that differs from --approved is refused
  drift     plan -refresh-only: what changed outside Terraform
  --targets     output of \`npm run order -- --format json --ci-only\` (default: ${DEFAULT_TARGETS})
  --upstream    folder of earlier jobs' results (repeatable): the stacks these depend on
  --approved    apply: folder holding the approved plan job's results for the same stacks
  --allow-file  reviewed approvals of destructive changes (default: guard-allow.json when present)
  --out         folder for this job's results (default: reports)
  --plans       folder for plan files and their JSON, which stay on the runner (default: plans)
exit status: 0 every stack planned, applied or waits for an upstream; 1 a plan, guard or apply failed, or
  a plan was stale; 2 bad input. Writes runner-ready and pending to $GITHUB_OUTPUT and a summary to
  $GITHUB_STEP_SUMMARY when set.`;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const values = ['env', 'placement', 'targets', 'upstream', 'approved', 'allow-file', 'out', 'plans'];
  const args = parseCommandArgs('stacks', argv, { values, flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const [mode, ...rest] = args.positional as [Mode, ...string[]];
  const environment = args.values.get('env')?.at(-1);
  const placement = args.values.get('placement')?.at(-1) as RunnerPlacement | undefined;
  if (!MODES.includes(mode) || rest.length > 0 || !environment || !placement || !PLACEMENTS.includes(placement)) {
    console.error(`stacks: expected a mode, --env and --placement\n${USAGE}`);
    return 2;
  }
  const targetsFile = args.values.get('targets')?.at(-1) ?? DEFAULT_TARGETS;
  const allowFile = args.values.get('allow-file')?.at(-1) ?? (existsSync('guard-allow.json') ? 'guard-allow.json' : undefined);
  const out = args.values.get('out')?.at(-1) ?? 'reports';
  const plansDir = args.values.get('plans')?.at(-1) ?? 'plans';
  let targets: DeployTarget[];
  let allow: AllowEntry[];
  try {
    targets = (JSON.parse(readFileSync(targetsFile, 'utf8')) as { stacks: DeployTarget[] }).stacks;
    allow = allowFile ? parseAllowFile(readFileSync(allowFile, 'utf8'), allowFile) : [];
  } catch (error) {
    console.error(`stacks: ${error instanceof AllowError ? error.message : `cannot read ${targetsFile}: ${(error as Error).message}`}`);
    return 2;
  }
  if (!targets.some((target) => target.env === environment)) {
    console.error(`stacks: no CI stacks of environment ${environment} in ${targetsFile}`);
    return 2;
  }
  const approvedDir = args.values.get('approved')?.at(-1);
  const approved = approvedDir
    ? readResults(approvedDir).find((job) => job.env === environment && job.placement === placement && job.mode === 'plan')
    : undefined;
  if (mode === 'apply' && approvedDir && !approved) {
    console.error(`stacks: no approved plan results of ${environment} (${placement}) in ${approvedDir}`);
    return 2;
  }
  mkdirSync(out, { recursive: true });
  mkdirSync(plansDir, { recursive: true });

  const results = await runStacks({
    mode,
    env: environment,
    placement,
    targets,
    terraform: terraformCli(),
    allow,
    upstream: (args.values.get('upstream') ?? []).flatMap(readResults),
    ...(approved ? { approved } : {}),
    plansDir,
    log: (line) => console.log(line),
  });
  writeResults(out, results);
  report(results, env);
  return exitStatus(results, targets);
}

function report(results: JobResults, env: NodeJS.ProcessEnv): void {
  const pending = results.stacks.some((stack) => stack.pendingChanges || stack.status === 'waits');
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `runner-ready=${results.runnerReady}\npending=${pending}\n`);
  if (env.GITHUB_STEP_SUMMARY) {
    const sha = env.HEAD_SHA ?? env.GITHUB_SHA;
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run } = env;
    const runUrl = server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined;
    const context = { ...(sha ? { sha } : {}), ...(runUrl ? { runUrl } : {}) };
    // A job summary may hold 1 MiB: no need to shorten it the way a comment must be.
    appendFileSync(env.GITHUB_STEP_SUMMARY, `${renderEnvironment(results.env, results.stacks, context, 900_000)}\n`);
  }
  for (const stack of results.stacks) {
    if (FAILING_STATUSES.has(stack.status)) console.log(`::error title=${stack.stack}: ${stack.status}::${stack.reason ?? stack.headline}`);
    if (stack.status === 'waits') console.log(`::notice title=${stack.stack} waits::${stack.reason ?? stack.headline}`);
  }
}

function exitStatus(results: JobResults, targets: readonly DeployTarget[]): number {
  if (results.stacks.some((stack) => FAILING_STATUSES.has(stack.status))) return 1;
  const hasInVpc = targets.some((target) => target.env === results.env && target.placement === 'in-vpc');
  if (results.mode === 'apply' && results.placement === 'github-hosted' && hasInVpc && !results.runnerReady) {
    const message = 'the GitHub-hosted layers are applied, but the runner the in-VPC layers need does not exist';
    console.log(`::error title=${results.env}: no in-VPC runner::${message}`);
    return 1;
  }
  return 0;
}

if (require.main === module) runMain(main);
