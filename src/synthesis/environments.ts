import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EnvironmentConfig } from '../config/load';
import { LAYERS, MANIFEST_FILE, stackName, SYNTH_INPUTS_FILE } from '../layers';
import { PROJECT_ROOT } from '../project-root';
import { codeFingerprint, environmentFingerprint } from './fingerprint';

interface Manifest {
  readonly stacks: Record<string, unknown>;
  readonly version: string;
}

export interface SynthesisResult {
  /** Environments whose config and code had not changed: their previous output was copied. */
  readonly reused: readonly string[];
}

/**
 * Synthesizes `environments` into `staging` (a folder that does not exist yet), reusing the stacks of
 * `previous` (the output folder of the last synth) for each environment whose fingerprint is unchanged.
 * The app is loaded only when something needs synthesizing: that and cdktn's token resolution are most of
 * a synth's time, so an edit of one environment file costs one environment. (Synthesizing environments in
 * parallel worker threads does not pay on a 2-core machine: every worker loads the app again.)
 */
export function synthesizeEnvironments(environments: readonly EnvironmentConfig[], staging: string, previous: string): SynthesisResult {
  const code = codeFingerprint(join(PROJECT_ROOT, 'dist', 'src'), join(PROJECT_ROOT, 'package-lock.json'));
  const fingerprints = Object.fromEntries(environments.map((env) => [env.name, environmentFingerprint(code, env)]));
  const before = readSynthInputs(previous);
  const unchanged = (env: EnvironmentConfig) =>
    before[env.name] === fingerprints[env.name] &&
    LAYERS.every((layer) => existsSync(join(previous, 'stacks', stackName(env.name, layer), 'cdk.tf.json')));
  const reused: EnvironmentConfig[] = [];
  const dirty: EnvironmentConfig[] = [];
  for (const env of environments) (unchanged(env) ? reused : dirty).push(env);

  const manifests: Manifest[] = [];
  mkdirSync(join(staging, 'stacks'), { recursive: true });
  if (dirty.length > 0) {
    const { buildApp } = require('../app') as typeof import('../app');
    const fresh = join(staging, 'fresh');
    buildApp(dirty, { outdir: fresh }).synth();
    for (const name of readdirSync(join(fresh, 'stacks'))) renameSync(join(fresh, 'stacks', name), join(staging, 'stacks', name));
    manifests.push(JSON.parse(readFileSync(join(fresh, MANIFEST_FILE), 'utf8')) as Manifest);
    rmSync(fresh, { recursive: true });
  }
  if (reused.length > 0) {
    const old = JSON.parse(readFileSync(join(previous, MANIFEST_FILE), 'utf8')) as Manifest;
    const names = new Set(reused.flatMap((env) => LAYERS.map((layer) => stackName(env.name, layer))));
    // Only what synth wrote: Terraform's working files (`.terraform/` with its provider plugins, the lock file)
    // are hidden, and a fresh synth would not have them either.
    const synthesized = (path: string) => !basename(path).startsWith('.');
    for (const name of names)
      cpSync(join(previous, 'stacks', name), join(staging, 'stacks', name), { recursive: true, filter: synthesized });
    manifests.push({ stacks: Object.fromEntries(Object.entries(old.stacks).filter(([name]) => names.has(name))), version: old.version });
  }
  writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify(mergeManifests(manifests), null, 2));
  writeFileSync(join(staging, SYNTH_INPUTS_FILE), `${JSON.stringify(fingerprints, null, 2)}\n`);
  return { reused: reused.map((env) => env.name) };
}

function readSynthInputs(outdir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(outdir, SYNTH_INPUTS_FILE), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** One manifest as cdktn writes it for all stacks at once: stacks by name, in name order. */
function mergeManifests(manifests: readonly Manifest[]): Manifest {
  const stacks = Object.assign({}, ...manifests.map((m) => m.stacks)) as Record<string, unknown>;
  return {
    stacks: Object.fromEntries(
      Object.keys(stacks)
        .sort()
        .map((name) => [name, stacks[name]]),
    ),
    version: manifests[0]?.version ?? '',
  };
}
