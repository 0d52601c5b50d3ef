import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EnvironmentConfig } from '../config/load';
import { LAYERS, stackName } from '../layers';
import { codeFingerprint, environmentFingerprint } from './fingerprint';
import type { SynthReply, SynthRequest } from './worker';

/** Beside manifest.json in the output folder: each environment's fingerprint when it was synthesized. */
export const SYNTH_INPUTS_FILE = 'synth-inputs.json';

interface Manifest {
  readonly stacks: Record<string, unknown>;
  readonly version: string;
}

export interface SynthesisResult {
  /** Environments synthesized this time. */
  readonly synthesized: readonly string[];
  /** Environments whose config and code had not changed: their previous output was copied. */
  readonly reused: readonly string[];
}

/**
 * Synthesis workers, started before the config is read so that loading the app overlaps reading it. Each
 * worker synthesizes a share of the environments; a single environment needs one.
 */
export class SynthWorkers {
  private readonly workers: Worker[];

  constructor(count: number) {
    const entry = join(__dirname, 'worker.js');
    this.workers = Array.from({ length: Math.max(1, Math.min(count, availableParallelism())) }, () => new Worker(entry));
  }

  /**
   * Synthesizes every environment into `staging` (which must not exist), reusing the stacks of `previous` (the
   * output folder of the last synth) for environments whose fingerprint is unchanged. Throws on the first failure.
   */
  async synthesize(environments: readonly EnvironmentConfig[], staging: string, previous: string): Promise<SynthesisResult> {
    const code = codeFingerprint(join(__dirname, '..'), join(__dirname, '..', '..', '..', 'package-lock.json'));
    const fingerprints = Object.fromEntries(environments.map((env) => [env.name, environmentFingerprint(code, env)]));
    const before = readSynthInputs(previous);
    const unchanged = (env: EnvironmentConfig) =>
      before[env.name] === fingerprints[env.name] &&
      LAYERS.every((layer) => existsSync(join(previous, 'stacks', stackName(env.name, layer), 'cdk.tf.json')));
    const reused = environments.filter(unchanged);
    const dirty = environments.filter((env) => !unchanged(env));

    mkdirSync(join(staging, 'stacks'), { recursive: true });
    const manifests: Manifest[] = [];
    if (reused.length > 0) {
      const old = JSON.parse(readFileSync(join(previous, 'manifest.json'), 'utf8')) as Manifest;
      const names = new Set(reused.flatMap((env) => LAYERS.map((layer) => stackName(env.name, layer))));
      for (const name of names) cpSync(join(previous, 'stacks', name), join(staging, 'stacks', name), { recursive: true });
      manifests.push({ stacks: Object.fromEntries(Object.entries(old.stacks).filter(([name]) => names.has(name))), version: old.version });
    }
    manifests.push(...(await this.run(dirty, staging)));
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(mergeManifests(manifests), null, 2)}`);
    writeFileSync(join(staging, SYNTH_INPUTS_FILE), `${JSON.stringify(fingerprints, null, 2)}\n`);
    return { synthesized: dirty.map((env) => env.name), reused: reused.map((env) => env.name) };
  }

  /** Stops workers that were not needed (or all of them, after a failure elsewhere). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private async run(environments: readonly EnvironmentConfig[], staging: string): Promise<Manifest[]> {
    // Largest first onto the least loaded worker, by resource-heavy tiers: production builds the most.
    const shares = this.workers.map(() => [] as EnvironmentConfig[]);
    const weight = (envs: readonly EnvironmentConfig[]) => envs.reduce((sum, env) => sum + (env.tier === 'production' ? 2 : 1), 0);
    for (const env of [...environments].sort((a, b) => weight([b]) - weight([a])))
      shares.reduce((lightest, share) => (weight(share) < weight(lightest) ? share : lightest)).push(env);
    const jobs = shares.flatMap((share, i) =>
      share.length > 0 ? [{ share, worker: this.workers[i]!, outdir: join(staging, `part-${i}`) }] : [],
    );
    await Promise.all(jobs.map(({ share, worker, outdir }) => request(worker, { environments: share, outdir })));
    return jobs.map(({ outdir }) => {
      for (const name of readdirSync(join(outdir, 'stacks'))) renameSync(join(outdir, 'stacks', name), join(staging, 'stacks', name));
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
      rmSync(outdir, { recursive: true });
      return manifest;
    });
  }
}

function request(worker: Worker, message: SynthRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: SynthReply) => (reply.ok ? resolve() : reject(new Error(reply.message))));
    worker.once('error', reject);
    worker.postMessage(message);
  });
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
