import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ProviderPinError,
  lockFileFor,
  lockMismatches,
  parseLockFile,
  requiredProviders,
  stackProviders,
  versionsModule,
} from '../checks/providers/lock';
import { readStacks, stackFolder } from '../checks/terraform-json';
import { parseCommandArgs } from './args';
import { runMain } from './entry';
import { SYNTH_OUT_DIR } from '../layers';

/** Where a reviewed lock file is committed; CI uses it instead of creating one (docs/delivery.md, "Providers"). */
const COMMITTED_LOCK_FILE = '.terraform.lock.hcl';

const USAGE = `usage: npm run providers -- <check|versions|install> [--out <dir>] [--lock <file>]
  check     every provider is pinned to one exact version, the same in every stack; and the lock file
            (--lock, or ${COMMITTED_LOCK_FILE} when committed) has exactly those versions, with checksums
  versions  write <out>/providers/versions.tf.json: a root module requiring exactly the pinned providers,
            for \`terraform -chdir=<out>/providers providers lock -platform=linux_amd64 -platform=linux_arm64\`
  install   write each stack's part of the lock file (--lock, required) to <out>/stacks/<stack>/.terraform.lock.hcl,
            so that \`terraform init -lockfile=readonly\` fails on any package whose checksum differs
  --out     synthesized output folder (default: ${SYNTH_OUT_DIR})
exit status: 0 ok, 1 a pin or the lock file is wrong, 2 bad input`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('providers', argv, { values: ['out', 'lock'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const [command, ...rest] = args.positional;
  if (!['check', 'versions', 'install'].includes(command ?? '') || rest.length > 0) {
    console.error(`providers: expected one command, check, versions or install\n${USAGE}`);
    return 2;
  }
  const outDir = args.values.get('out')?.at(-1) ?? SYNTH_OUT_DIR;
  const stacks = readStacks(outDir);
  if (stacks.length === 0) {
    console.error(`providers: no synthesized stacks in ${outDir}; run \`npm run synth\` first`);
    return 2;
  }
  let required: ReturnType<typeof requiredProviders>;
  try {
    required = requiredProviders(stacks);
  } catch (error) {
    if (!(error instanceof ProviderPinError)) throw error;
    console.error(`providers: ${error.message}`);
    return 1;
  }
  const lockFile = args.values.get('lock')?.at(-1) ?? (existsSync(COMMITTED_LOCK_FILE) ? COMMITTED_LOCK_FILE : undefined);

  if (command === 'versions') {
    const dir = join(outDir, 'providers');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'versions.tf.json'), versionsModule(required));
    console.log(`providers: wrote ${join(dir, 'versions.tf.json')} (${describe(required)})`);
    return 0;
  }
  if (lockFile === undefined) {
    if (command === 'install') {
      console.error('providers: install needs --lock <file>');
      return 2;
    }
    console.log(`providers: ${describe(required)}, pinned exactly; no ${COMMITTED_LOCK_FILE} committed (CI creates one)`);
    return 0;
  }
  let text: string;
  let problems: ReturnType<typeof lockMismatches>;
  try {
    text = readFileSync(lockFile, 'utf8');
    problems = lockMismatches(required, parseLockFile(text, lockFile), lockFile);
  } catch (error) {
    console.error(`providers: ${error instanceof ProviderPinError ? error.message : `${lockFile}: ${(error as Error).message}`}`);
    return 2;
  }
  if (problems.length > 0) {
    console.error(`providers: the lock file does not match the pinned providers:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  if (command === 'check') {
    console.log(`providers: ${describe(required)}, pinned exactly and locked in ${lockFile}`);
    return 0;
  }
  for (const stack of stacks) {
    writeFileSync(join(stackFolder(outDir, stack.name), '.terraform.lock.hcl'), lockFileFor(text, stackProviders(stack)));
  }
  console.log(`providers: installed ${lockFile} into ${stacks.length} stacks`);
  return 0;
}

function describe(providers: readonly { source: string; version: string }[]): string {
  return providers.map((provider) => `${provider.source} ${provider.version}`).join(', ');
}

if (require.main === module) runMain(main);
