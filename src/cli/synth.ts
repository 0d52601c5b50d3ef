import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/load';
import { BOOTSTRAP_STATE_DIR, MANIFEST_FILE, SYNTH_INPUTS_FILE, SYNTH_OUT_DIR, TERRAFORM_REQUIRED_VERSION } from '../layers';
import { synthesizeEnvironments } from '../synthesis/environments';
import { parseCommandArgs } from './args';
import { runMain } from './entry';

const USAGE = `usage: npm run synth -- [--env <name>]... [--hcl] [--config <dir>] [--out <dir>] [--quiet]
  --env     synthesize only these environments (repeatable; default: every file in <config>/environments)
  --hcl     also write formatted HCL for review to <out>/hcl/<stack>/cdk.tf
  --config  configuration folder (default: config)
  --out     output folder (default: ${SYNTH_OUT_DIR}); replaced only when synthesis succeeds
An environment whose config and the compiled code synth runs are unchanged since the last synth into --out is
copied from there, not synthesized again (fingerprints in <out>/${SYNTH_INPUTS_FILE}).`;

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandArgs('synth', argv, { values: ['env', 'config', 'out'], flags: ['hcl', 'quiet'] }, USAGE);
  if (typeof args === 'number') return args;
  const configDir = resolve(args.values.get('config')?.[0] ?? 'config');
  const outdir = resolve(args.values.get('out')?.[0] ?? SYNTH_OUT_DIR);
  const only = args.values.get('env')?.flatMap((e) => e.split(','));
  return synthesize({ configDir, outdir, only, hcl: args.flags.has('hcl'), quiet: args.flags.has('quiet') });
}

interface SynthOptions {
  readonly configDir: string;
  readonly outdir: string;
  readonly only: readonly string[] | undefined;
  /** Also render HCL: synthesizes every environment in this process, reusing nothing. */
  readonly hcl: boolean;
  readonly quiet: boolean;
}

async function synthesize({ configDir, outdir, only, hcl, quiet }: SynthOptions): Promise<number> {
  let environments: ReturnType<typeof loadConfig>;
  try {
    environments = loadConfig(configDir, only);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`synth failed: ${error.message}\n${relative(process.cwd(), outdir) || outdir} was left untouched.`);
      return 1;
    }
    throw error;
  }

  // Replacing the output folder deletes whatever it holds; a state file there is the only record of
  // what a local-state stack created, so synth refuses rather than lose it.
  const stateFiles = stateFilesIn(outdir);
  if (stateFiles.length > 0) {
    const shown = stateFiles.map((file) => `  ${relative(process.cwd(), file) || file}`).join('\n');
    console.error(
      `synth refused: the output folder holds Terraform state that replacing it would delete:\n${shown}\n` +
        `Move each file to ${BOOTSTRAP_STATE_DIR}/<env>/terraform.tfstate next to the output folder (where the bootstrap ` +
        `layer now keeps its local state), or into its bucket (README "Bootstrapping"), then synthesize again.`,
    );
    return 1;
  }

  // Synthesize next to the target and swap at the end, so a failure never leaves half an output.
  const staging = `${outdir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(outdir), { recursive: true });
  let reused: readonly string[] = [];
  try {
    if (hcl) await synthesizeWithHcl(environments, staging);
    else ({ reused } = synthesizeEnvironments(environments, staging, outdir));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    console.error(`synth failed: ${(error as Error).message}\n${relative(process.cwd(), outdir) || outdir} was left untouched.`);
    return 1;
  }
  swapInto(staging, outdir);
  if (!quiet) printSummary(outdir, reused);
  return 0;
}

/** In this process, so that the app's stacks can also be rendered as HCL. */
async function synthesizeWithHcl(environments: ReturnType<typeof loadConfig>, staging: string): Promise<void> {
  const { buildApp } = require('../app') as typeof import('../app');
  const app = buildApp(environments, { outdir: staging });
  app.synth();
  await writeHcl(app, staging);
}

/**
 * HCL for reviewers, rendered from the same app. (cdktn's `hclOutput` App option only renames the
 * file; the renderer itself is chosen by an environment variable, so stacks are rendered directly.)
 */
async function writeHcl(app: import('cdktn').App, staging: string): Promise<void> {
  const { TerraformStack } = require('cdktn') as typeof import('cdktn');
  const { format } = await import('@cdktn/hcl-tools');
  for (const stack of app.node.children.filter(TerraformStack.isStack)) {
    const target = join(staging, 'hcl', stack.node.id, 'cdk.tf');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await format(fixRequiredVersion(stack.toHclTerraform().hcl)));
  }
}

/**
 * cdktn 0.24's renderer passes the terraform block's extra attribute *names* as the attributes, so
 * `required_version = ">= 1.11.0"` comes out as `0 = "required_version"`.
 */
function fixRequiredVersion(hcl: string): string {
  return hcl.replace(/^(\s*)\d+ = "required_version"$/m, `$1required_version = "${TERRAFORM_REQUIRED_VERSION}"`);
}

/**
 * State files (`*.tfstate`, `*.tfstate.backup`) anywhere under `dir`, except Terraform's own
 * `.terraform/terraform.tfstate`, which caches the backend configuration and is rebuilt by `init`.
 */
function stateFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tfstate(\.backup)?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(dir, file).split(/[\\/]/).includes('.terraform'))
    .sort();
}

function swapInto(staging: string, outdir: string): void {
  const previous = `${outdir}.old-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, previous);
  renameSync(staging, outdir);
  rmSync(previous, { recursive: true, force: true });
}

function printSummary(outdir: string, reused: readonly string[]): void {
  const manifest = JSON.parse(readFileSync(join(outdir, MANIFEST_FILE), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const rows = Object.entries(manifest.stacks).map(([name, stack]) => {
    const file = join(outdir, stack.synthesizedStackPath);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.values(document.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    return { name, resources, path: relative(process.cwd(), file) };
  });
  const width = Math.max(...rows.map((r) => r.name.length), 5);
  console.log(`${'stack'.padEnd(width)}  resources  path`);
  for (const row of rows) console.log(`${row.name.padEnd(width)}  ${String(row.resources).padStart(9)}  ${row.path}`);
  const unchanged = reused.length > 0 ? ` (${reused.join(', ')} unchanged since the last synth, copied)` : '';
  console.log(`${rows.length} stacks, ${rows.reduce((sum, r) => sum + r.resources, 0)} resources${unchanged}`);
}

if (require.main === module) runMain(main);
