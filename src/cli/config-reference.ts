// `npm run config:reference [-- --output <file>]` — writes docs/configuration.md from the zod schema in
// src/config/schema/ (every field of project.json and of an environment file); refuses, naming them, while a field has
// no description.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { REFERENCE_FILE } from '../config/load';
import { UndescribedFieldsError } from '../config/reference/fields';
import { documentedFields, renderReference } from '../config/reference/markdown';
import { parseCommandArgs } from './args';
import { PROJECT_ROOT } from '../project-root';
import { runMain } from './entry';

const USAGE = `usage: npm run config:reference [-- --output <file>]
  writes ${REFERENCE_FILE} from the descriptions, defaults and constraints in src/config/schema/
  --output  write it to this file instead`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('config:reference', argv, { values: ['output'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  if (args.positional.length > 0) {
    console.error(`config:reference: unexpected argument(s) ${args.positional.join(' ')}\n${USAGE}`);
    return 2;
  }
  let documented: ReturnType<typeof documentedFields>;
  try {
    documented = documentedFields();
  } catch (error) {
    if (!(error instanceof UndescribedFieldsError)) throw error;
    console.error(`config:reference: nothing written\n${error.message}`);
    return 1;
  }
  const output = args.values.get('output')?.at(-1) ?? join(PROJECT_ROOT, REFERENCE_FILE);
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, renderReference(documented));
  const counts = documented.map(({ document, fields }) => `${fields.length} of ${document.file}`).join(', ');
  const perTier = documented.flatMap((d) => d.fields).filter((field) => field.tierDefaults).length;
  console.log(`config:reference: wrote ${relative(process.cwd(), output) || output}: fields ${counts}; ${perTier} with per-tier defaults`);
  return 0;
}

if (require.main === module) runMain(main);
