// Regenerates schemas/aws-provider-subset.json from the full AWS provider schema and the synthesized
// output, so the committed subset covers every type the stacks use. Run after adding a resource type:
//   npm run synth && npm run schema:subset [-- <full-schema.json>] [--dir cdktf.out] [--out <file>]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProviderSchemasFile } from '../src/checks/schema/provider-schema';
import { buildSubset } from '../src/checks/schema/subset';
import { readStacks } from '../src/checks/terraform-json';
import { runMain } from '../src/cli/entry';
import { SYNTH_OUT_DIR } from '../src/layers';

export const DEFAULT_FULL_SCHEMA = '../shared/provider-schemas/aws-6.47.0.json';
export const DEFAULT_SUBSET = 'schemas/aws-provider-subset.json';

export function main(argv: readonly string[]): number {
  let full = DEFAULT_FULL_SCHEMA;
  let dir = SYNTH_OUT_DIR;
  let out = DEFAULT_SUBSET;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dir') dir = argv[++i] ?? dir;
    else if (arg === '--out') out = argv[++i] ?? out;
    else if (arg === '--help' || arg === '-h') {
      console.log(`usage: schema-subset [full-schema.json] [--dir ${SYNTH_OUT_DIR}] [--out ${DEFAULT_SUBSET}]`);
      return 0;
    } else if (arg.startsWith('--')) {
      console.error(`schema-subset: unknown option ${arg}`);
      return 2;
    } else full = arg;
  }
  const stacks = readStacks(dir);
  if (stacks.length === 0) {
    console.error(`schema-subset: no stacks in ${dir}/stacks; run \`npm run synth\` first`);
    return 1;
  }
  const schema = JSON.parse(readFileSync(full, 'utf8')) as ProviderSchemasFile;
  const { subset, missing, counts } = buildSubset(schema, stacks);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(subset, null, 1)}\n`);
  console.log(
    `schema-subset: wrote ${out} from ${full} for ${stacks.length} stacks: ${counts.resource_schemas} resource, ` +
      `${counts.data_source_schemas} data source, ${counts.ephemeral_resource_schemas} ephemeral types`,
  );
  if (missing.length > 0) {
    console.error(`schema-subset: types used by the output but absent from ${full}: ${missing.join(', ')}`);
    return 1;
  }
  return 0;
}

if (require.main === module) runMain(main);
