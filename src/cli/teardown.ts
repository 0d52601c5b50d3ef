import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { destroyOrder, readApplyOrder } from '../checks/order/order';
import { readStacks, stackFolder } from '../checks/terraform-json';
import { lockedVaults, REMOVE_ENVIRONMENT_RUNBOOK as RUNBOOK, teardownStack, TEARDOWN_OUT_DIR } from '../delivery/teardown';
import { MANIFEST_FILE, SYNTH_OUT_DIR } from '../layers';
import { parseCommandArgs } from './args';
import { runMain } from './entry';
import { DAY_MS } from '../time';

const USAGE = `usage: npm run teardown -- --env <name> [--dir <dir>] [--out <dir>]
  writes one environment's synthesized stacks as its teardown needs them, in <out>/stacks/<stack>/: every
  prevent_destroy dropped and every deletion protection off, nothing else changed. For an administrator's
  teardown from the last commit that has the environment, never for CI (${RUNBOOK}).
  --env  the environment (one)
  --dir  the synthesized output to read (default: ${SYNTH_OUT_DIR}; run \`npm run synth -- --env <name>\` first)
  --out  where to write (default: ${TEARDOWN_OUT_DIR}, beside it)
exit status: 0 written, 1 no such environment in --dir, 2 bad input`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('teardown', argv, { values: ['env', 'dir', 'out'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const envs = args.values.get('env') ?? [];
  if (envs.length !== 1 || args.positional.length > 0) {
    console.error(`teardown: name exactly one environment with --env\n${USAGE}`);
    return 2;
  }
  const env = envs[0]!;
  const dir = args.values.get('dir')?.at(-1) ?? SYNTH_OUT_DIR;
  const out = args.values.get('out')?.at(-1) ?? TEARDOWN_OUT_DIR;
  if (resolve(out) === resolve(dir)) {
    // The synthesized output stays what CI applies; its protections must never be dropped in place.
    console.error(`teardown: --out must not be the synthesized output (${dir}); the default is ${TEARDOWN_OUT_DIR}`);
    return 2;
  }
  const manifestFile = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestFile)) {
    console.error(`teardown: no ${manifestFile}; run \`npm run synth -- --env ${env}\` first`);
    return 1;
  }
  const ordered = readApplyOrder(manifestFile);
  const inDestroyOrder = destroyOrder(ordered.filter((stack) => stack.env === env));
  const stacks = new Map(readStacks(dir).map((stack) => [stack.name, stack]));
  if (inDestroyOrder.length === 0 || inDestroyOrder.some((stack) => !stacks.has(stack.name))) {
    const present = [...new Set(ordered.map((stack) => stack.env).filter((name) => name !== undefined))];
    console.error(`teardown: no synthesized stacks of ${JSON.stringify(env)} in ${dir} (present: ${present.join(', ') || 'none'})`);
    return 1;
  }

  const torndown = inDestroyOrder.map(({ name }) => {
    const from = stackFolder(dir, name);
    const to = stackFolder(out, name);
    const stack = teardownStack(stacks.get(name)!, { from, to });
    mkdirSync(to, { recursive: true });
    // The lock file and anything else synth put there; never the working directory terraform init made.
    cpSync(from, to, { recursive: true, filter: (source) => !relative(from, source).split(/[\\/]/).includes('.terraform') });
    writeFileSync(join(to, 'cdk.tf.json'), `${JSON.stringify(stack.doc, null, 2)}\n`);
    return stack;
  });

  const width = Math.max(...torndown.map((stack) => stack.name.length));
  console.log(`teardown of ${env}, written to ${join(out, 'stacks')}; destroy the stacks in this order:`);
  for (const stack of torndown) {
    const protection = stack.deletionProtectionOff.length > 0 ? `; deletion protection off: ${stack.deletionProtectionOff.join(', ')}` : '';
    const inCluster =
      stack.kubernetesObjects.length > 0 ? `; ${stack.kubernetesObjects.length} objects in the cluster: state rm them first` : '';
    const adopted = stack.adopted.length > 0 ? `; adopted, maybe shared with other projects: ${stack.adopted.join(', ')}` : '';
    console.log(
      `  ${stack.name.padEnd(width)}  prevent_destroy dropped on ${stack.preventDestroyDropped.length}${protection}${inCluster}${adopted}`,
    );
  }
  const applies = torndown.flatMap((stack) =>
    stack.deletionProtectionOff.map((address) => `  terraform -chdir=${stackFolder(out, stack.name)} apply -target=${address}`),
  );
  if (applies.length > 0)
    console.log(
      `First switch deletion protection off in AWS, one targeted apply each (AWS refuses the deletes before):\n${applies.join('\n')}`,
    );
  console.log(`Then plan, guard and apply each destroy in the order above: ${RUNBOOK}, step 5.`);
  const { vaults, longestRetentionDays } = lockedVaults(inDestroyOrder.map(({ name }) => stacks.get(name)!));
  if (vaults.length > 0) {
    const until = new Date(Date.now() + longestRetentionDays * DAY_MS).toISOString().slice(0, 10);
    console.log(
      `Kept: the compliance-locked vaults ${vaults.join(', ')} hold recovery points up to ${longestRetentionDays} days after ` +
        `the last backup (about ${until}, if the last one runs today): keep them and their keys, and delete them by hand ` +
        `then (${RUNBOOK}, "The vaults"); put that date in the team calendar now.`,
    );
  }
  return 0;
}

if (require.main === module) runMain(main);
