import { parentPort } from 'node:worker_threads';
import { buildApp } from '../app';
import type { EnvironmentConfig } from '../config/load';

/** A request to a synth worker: synthesize these environments into `outdir` (a fresh folder). */
export interface SynthRequest {
  readonly environments: readonly EnvironmentConfig[];
  readonly outdir: string;
}

export type SynthReply = { readonly ok: true } | { readonly ok: false; readonly message: string };

// Loading the app (above) is most of a worker's start-up; the parent starts workers before it has read the
// config, so that loading overlaps its own work, and sends the request once it knows what to synthesize.
parentPort?.once('message', (request: SynthRequest) => {
  let reply: SynthReply;
  try {
    buildApp(request.environments, { outdir: request.outdir }).synth();
    reply = { ok: true };
  } catch (error) {
    reply = { ok: false, message: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});
