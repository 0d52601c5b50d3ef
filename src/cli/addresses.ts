import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  STABLE_ADDRESSES_FILE,
  compareAddresses,
  describeAddressChange,
  parseAddressFile,
  protectedAddresses,
  renderAddressFile,
} from '../checks/guard/stable-addresses';
import { readStacks } from '../checks/terraform-json';
import { parseCommandArgs } from './args';
import { runMain } from './entry';
import { SYNTH_OUT_DIR } from '../layers';

const USAGE = `usage: npm run addresses -- [--write] [--out <dir>] [--file <file>]
  compares the protected resources' addresses of the synthesized stacks with the committed list
  --write  rewrite the list from the synthesized stacks (after reviewing the differences and their moved blocks)
  --out    synthesized output folder (default: ${SYNTH_OUT_DIR})
  --file   the committed list (default: ${STABLE_ADDRESSES_FILE})
exit status: 0 the list matches (or was written), 1 it differs, 2 bad input`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('addresses', argv, { values: ['out', 'file'], flags: ['write'] }, USAGE);
  if (typeof args === 'number') return args;
  const outDir = args.values.get('out')?.at(-1) ?? SYNTH_OUT_DIR;
  const file = args.values.get('file')?.at(-1) ?? STABLE_ADDRESSES_FILE;
  const stacks = readStacks(outDir);
  if (stacks.length === 0) {
    console.error(`addresses: no synthesized stacks in ${outDir}; run \`npm run synth\` first`);
    return 2;
  }
  const current = protectedAddresses(stacks);
  if (args.flags.has('write')) {
    writeFileSync(file, renderAddressFile(current));
    console.log(`addresses: wrote ${file} (${stacks.length} stacks)`);
    return 0;
  }
  let committed: ReturnType<typeof parseAddressFile>;
  try {
    committed = existsSync(file) ? parseAddressFile(readFileSync(file, 'utf8'), file) : {};
  } catch (error) {
    console.error(`addresses: ${(error as Error).message}`);
    return 2;
  }
  const changes = compareAddresses(committed, current);
  if (changes.length === 0) {
    console.log(`addresses: the protected resources of ${stacks.length} stacks keep their committed addresses`);
    return 0;
  }
  console.log(`addresses: protected resources changed address compared with ${file}:\n`);
  console.log(changes.map(describeAddressChange).join('\n\n'));
  console.log(`\nOnce every change is intended (and moved where it is the same object): npm run addresses -- --write`);
  return 1;
}

if (require.main === module) runMain(main);
