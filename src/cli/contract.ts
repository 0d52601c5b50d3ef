// `npm run contract:check` — compares the committed contract (contract/outputs.json), its docs
//   (docs/outputs.md) and the synthesized stacks (cdktf.out) with src/contract/catalog.ts; exits 1 on drift.
// `npm run contract:generate -- [--version X.Y.Z]` — writes contract/outputs.json and docs/outputs.md
//   from the catalog, refusing a version that does not match what changed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SchemaSet } from '../checks/schema/provider-schema';
import { readStacks } from '../checks/terraform-json';
import { ConfigError, loadConfig } from '../config/load';
import { checkContract } from '../contract/check';
import { CONTRACT_FILE } from '../contract/contract-file';
import { DOCS_FILE } from '../contract/docs';
import { generateContract, ReleaseError } from '../contract/generate';
import { parseVersion } from '../contract/semver';
import { parseCommandArgs } from './args';
import { schemaFiles, SCHEMAS_DIR } from './check';
import { runMain } from './entry';
import { PROJECT_ROOT } from '../project-root';
import { SYNTH_OUT_DIR } from '../layers';

const USAGE = `usage: node dist/src/cli/contract.js check [--dir ${SYNTH_OUT_DIR}] [--config config]
       node dist/src/cli/contract.js generate [--version X.Y.Z] [--config config]`;

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('contract', argv, { values: ['dir', 'config', 'version'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const [command, ...rest] = args.positional;
  if (!command || rest.length > 0 || !['check', 'generate'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const value = (name: string) => args.values.get(name)?.at(-1);
  let environments: ReturnType<typeof loadConfig>;
  try {
    environments = loadConfig(resolve(value('config') ?? join(PROJECT_ROOT, 'config')));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`contract ${command}: ${error.message}`);
    return 1;
  }
  const contractPath = join(PROJECT_ROOT, CONTRACT_FILE);
  const docsPath = join(PROJECT_ROOT, DOCS_FILE);

  if (command === 'generate') {
    const version = value('version');
    // A bad --version is the caller's mistake, said as such rather than as a crash.
    try {
      if (version !== undefined) parseVersion(version, '--version');
    } catch (error) {
      console.error(`contract generate: ${(error as Error).message}`);
      return 2;
    }
    try {
      const generated = generateContract({ environments, previous: read(contractPath), ...(version ? { version } : {}) });
      for (const [file, text] of [
        [contractPath, generated.contractText],
        [docsPath, generated.docsText],
      ] as const) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
      console.log(
        `contract v${generated.contract.version}: wrote ${CONTRACT_FILE} and ${DOCS_FILE} (${generated.contract.outputs.length} outputs)`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof ReleaseError)) throw error;
      console.error(`contract generate: nothing written\n${error.message}`);
      return 1;
    }
  }

  const dir = resolve(value('dir') ?? join(PROJECT_ROOT, SYNTH_OUT_DIR));
  const stacks = readStacks(relative(process.cwd(), dir) || '.');
  if (stacks.length === 0) {
    console.error(`contract check: no synthesized stacks in ${dir}; run npm run synth first`);
    return 1;
  }
  const problems = checkContract({
    environments,
    committed: read(contractPath),
    docs: read(docsPath),
    stacks,
    schemas: SchemaSet.fromFiles(schemaFiles({ schemas: [], schemasDir: SCHEMAS_DIR })),
  });
  for (const p of problems) console.error(`${p.stack}${p.output ? ` ${p.output}` : ''}: ${p.message}`);
  const missing = problems.filter((p) => p.message.startsWith('missing:'));
  if (problems.length > 0) {
    console.error(
      `contract check failed: ${problems.length} problem(s)` +
        `${missing.length > 0 ? `, ${missing.length} of them outputs not published` : ''}`,
    );
    return 1;
  }
  console.log(`contract check passed: ${environments.length} environments match ${CONTRACT_FILE}`);
  return 0;
}

if (require.main === module) runMain(main);
