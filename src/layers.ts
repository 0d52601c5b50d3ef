/**
 * The layers of every environment, in apply order. Each layer may depend only on layers before it,
 * so state can be applied, and destroyed, one layer at a time.
 */
export const LAYERS = ['bootstrap', 'network', 'platform', 'cluster', 'data', 'edge'] as const;
export type Layer = (typeof LAYERS)[number];

/** Terraform versions the synthesized output is written for: S3-native locking needs 1.11. */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.11.0';

/** Where `npm run synth` writes, relative to where it runs, and where the commands that read its output look by default. */
export const SYNTH_OUT_DIR = 'cdktf.out';
/** The manifest cdktn writes into an output folder: every stack, its file and its dependencies. */
export const MANIFEST_FILE = 'manifest.json';

/** Beside the manifest: each environment's fingerprint when it was synthesized (src/synthesis/environments.ts). */
export const SYNTH_INPUTS_FILE = 'synth-inputs.json';

/**
 * Folder, next to the synthesized output folder, that holds the bootstrap layer's local state until it
 * moves into its bucket. Synth replaces the output folder, so state must never live inside it.
 */
export const BOOTSTRAP_STATE_DIR = 'bootstrap-state';

export function stackName(environment: string, layer: Layer): string {
  return `${environment}-${layer}`;
}

/** The environment and layer of a name `stackName` built; undefined for a name that does not end in `-<layer>`. */
export function parseStackName(name: string): { readonly environment: string; readonly layer: Layer } | undefined {
  const layer = LAYERS.find((candidate) => name.endsWith(`-${candidate}`));
  return layer === undefined || name.length === layer.length + 1 ? undefined : { environment: name.slice(0, -layer.length - 1), layer };
}

/**
 * Layers whose Terraform talks to private endpoints (the EKS API: the cluster layer's objects, the data
 * layer's login and role-mapping Jobs) and so runs on the environment's in-VPC runner; the others run
 * on GitHub-hosted runners, which also build the runner itself.
 */
export const IN_VPC_LAYERS: readonly Layer[] = ['cluster', 'data'];

/** The layer that creates the environment's in-VPC runner: in-VPC layers can run only once it is applied. */
export const RUNNER_LAYER: Layer = 'platform';

/**
 * Layers an administrator applies, never CI: bootstrap holds the CI roles and their policies, the permissions
 * boundary and the state backend, which the guardrails keep CI from changing (docs/recovery.md "Who can do what").
 * Once its state is in the bucket, CI plans it like any layer, and the apply pipeline does not apply it: the stacks
 * after it wait while it has changes (docs/delivery.md "Stacks CI does not apply: bootstrap").
 */
export const ADMINISTRATOR_LAYERS: readonly Layer[] = ['bootstrap'];

/** Where CI runs a layer's plans and applies. */
export type RunnerPlacement = 'github-hosted' | 'in-vpc';

export function placementOf(layer: Layer): RunnerPlacement {
  return IN_VPC_LAYERS.includes(layer) ? 'in-vpc' : 'github-hosted';
}
