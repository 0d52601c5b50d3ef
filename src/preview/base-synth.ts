// Synthesizes another git ref of this repository (the base of a change) without touching the working tree: a
// detached `git worktree` in a temporary folder (without the tests and docs), this checkout's node_modules linked in
// (no `npm ci`), compiled with its own scripts/compile.mjs (older refs: this checkout's tsc) and synthesized with the
// ref's own code and config.
// The output is kept per commit in `cdktf.out.base/<commit>/` (git-ignored), so `npm run cost -- --base` and
// `npm run diff -- --base` of the same commit synthesize it once. Only `git` and `node` run; nothing needs credentials.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stackFolder } from '../checks/terraform-json';
import { MANIFEST_FILE, SYNTH_INPUTS_FILE, SYNTH_OUT_DIR } from '../layers';

/** Where synthesized base refs are kept, below the repository root (git-ignored by the `cdktf.out.*` pattern). */
const BASE_CACHE_DIR = `${SYNTH_OUT_DIR}.base`;
/** Written into a base's folder once its synth succeeded: a folder without it is left from a run that did not finish. */
const COMPLETE_MARKER = '.base-synth-complete';
/**
 * Top-level folders a base synth neither compiles nor reads, left out of its worktree: the tests and the docs, a third
 * of the files to check out and compile (README "Performance" has what that saves).
 */
const NOT_CHECKED_OUT = ['test', 'docs'];

export interface BaseSynthOptions {
  /** The repository root (the folder holding package.json and node_modules). */
  readonly root: string;
  /** Progress lines for the person waiting (stderr in the CLIs). */
  readonly progress?: (line: string) => void;
}

export interface SynthesizedRef {
  readonly ref: string;
  readonly commit: string;
  /** A folder laid out like cdktf.out: manifest.json and stacks/<name>/cdk.tf.json. */
  readonly outDir: string;
  /** True when an earlier run had synthesized this commit already. */
  readonly cached: boolean;
}

export class BaseSynthError extends Error {}

function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new BaseSynthError(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new BaseSynthError(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
  }
  return result.stdout;
}

/** The commit a ref names, or a BaseSynthError that says how to get it. */
function resolveCommit(root: string, ref: string): string {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new BaseSynthError(
      `unknown git ref ${JSON.stringify(ref)}: fetch it first (e.g. git fetch origin main, then --base origin/main)`,
    );
  }
  return result.stdout.trim();
}

/** Synthesizes every environment of `ref` (cached per commit) and returns where the output is. */
export function synthesizeRef(ref: string, options: BaseSynthOptions): SynthesizedRef {
  const progress = options.progress ?? (() => undefined);
  const commit = resolveCommit(options.root, ref);
  const outDir = join(options.root, BASE_CACHE_DIR, commit);
  if (existsSync(join(outDir, COMPLETE_MARKER))) {
    progress(`base ${ref} (${commit.slice(0, 12)}): reusing ${BASE_CACHE_DIR}/${commit.slice(0, 12)}…`);
    return { ref, commit, outDir, cached: true };
  }

  const started = Date.now();
  const temp = mkdtempSync(join(tmpdir(), 'platform-infra-base-'));
  const tree = join(temp, 'tree');
  let added = false;
  let complete = false;
  try {
    progress(`base ${ref} (${commit.slice(0, 12)}): checking out into a temporary worktree (without ${NOT_CHECKED_OUT.join('/, ')}/)`);
    run('git', ['worktree', 'add', '--no-checkout', '--detach', '--quiet', tree, commit], options.root);
    added = true;
    const checkedOut = run('git', ['ls-tree', '-z', '--name-only', commit], options.root)
      .split('\0')
      .filter((name) => name !== '' && !NOT_CHECKED_OUT.includes(name));
    run('git', ['checkout', '--quiet', commit, '--', ...checkedOut], tree);
    symlinkSync(join(options.root, 'node_modules'), join(tree, 'node_modules'), 'dir');
    if (lockfileDiffers(options.root, tree)) {
      progress(`base ${ref}: its package-lock.json differs from this checkout's; it is built with this checkout's node_modules`);
    }
    progress(`base ${ref}: compiling`);
    // Refs since scripts/compile.mjs exists transpile with it (no type check needed to synthesize); older ones with tsc.
    const compiler = join(tree, 'scripts', 'compile.mjs');
    if (existsSync(compiler)) run(process.execPath, [compiler, '--all'], tree);
    else run(process.execPath, [join(options.root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tree], tree);
    progress(`base ${ref}: synthesizing every environment`);
    // synth itself writes next to --out and swaps the folder in only when it succeeds.
    mkdirSync(dirname(outDir), { recursive: true });
    const seeded = seedWithWorkingOutput(join(options.root, SYNTH_OUT_DIR), outDir);
    if (seeded > 0) progress(`base ${ref}: offering it this checkout's last synth (${seeded} stacks) to copy what is unchanged`);
    run(
      process.execPath,
      [join(tree, 'dist', 'src', 'cli', 'synth.js'), '--quiet', '--out', outDir, '--config', join(tree, 'config')],
      tree,
    );
    writeFileSync(join(outDir, COMPLETE_MARKER), `${commit}\n`);
    complete = true;
    progress(`base ${ref}: synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { ref, commit, outDir, cached: false };
  } finally {
    if (!complete) rmSync(outDir, { recursive: true, force: true });
    if (added) spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: options.root });
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Synth copies an environment from the output folder it writes into when the environment's config and compiled code
 * have the fingerprints recorded there (src/synthesis/environments.ts). Seeded with this checkout's last output, the
 * base's synth copies every environment the change leaves alone, whatever the ref (its code and config are
 * fingerprinted as its own), and synthesizes the rest. Only synth's own files are copied, never Terraform's.
 */
function seedWithWorkingOutput(working: string, outDir: string): number {
  rmSync(outDir, { recursive: true, force: true });
  if (!existsSync(join(working, MANIFEST_FILE)) || !existsSync(join(working, SYNTH_INPUTS_FILE))) return 0;
  const stacks = readdirSync(join(working, 'stacks')).filter((name) => existsSync(join(stackFolder(working, name), 'cdk.tf.json')));
  for (const name of stacks) {
    mkdirSync(stackFolder(outDir, name), { recursive: true });
    copyFileSync(join(stackFolder(working, name), 'cdk.tf.json'), join(stackFolder(outDir, name), 'cdk.tf.json'));
  }
  for (const file of [MANIFEST_FILE, SYNTH_INPUTS_FILE]) copyFileSync(join(working, file), join(outDir, file));
  return stacks.length;
}

function lockfileDiffers(root: string, tree: string): boolean {
  const read = (dir: string) => (existsSync(join(dir, 'package-lock.json')) ? readFileSync(join(dir, 'package-lock.json'), 'utf8') : '');
  return read(root) !== read(tree);
}
