/**
 * An environment's stacks as a teardown needs them (docs/runbooks/remove-environment.md): the synthesized JSON with
 * every `prevent_destroy` dropped, so that `terraform plan -destroy` is not refused, every deletion protection
 * turned off, so that AWS accepts the deletes once a targeted apply has switched it off, and no `import` block.
 * Nothing else changes: the backends and remote-state lookups still point at the environment's state.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { DELETION_PROTECTION_ARGUMENTS } from '../checks/guard/protected';
import {
  dig,
  isObject,
  referenced,
  resourcesOfType,
  type JsonObject,
  type StackDocument,
  type TerraformJson,
} from '../checks/terraform-json';
import { SYNTH_OUT_DIR } from '../layers';

export interface TeardownStack {
  readonly name: string;
  readonly doc: TerraformJson;
  /** Addresses whose `prevent_destroy` was dropped. */
  readonly preventDestroyDropped: readonly string[];
  /**
   * Addresses whose deletion protection was turned off: AWS refuses to delete them until an apply has switched it off
   * (`terraform apply -target=<address>`, before the destroy).
   */
  readonly deletionProtectionOff: readonly string[];
  /**
   * Addresses of objects inside the cluster (`kubernetes_*`). They go with the cluster, and destroying them one by one
   * needs the cluster's private API: the runbook takes them out of state instead.
   */
  readonly kubernetesObjects: readonly string[];
  /**
   * Addresses the stack adopted with `import` blocks (`bootstrap.importExisting`): objects another project may use, which
   * the runbook takes out of state rather than destroy. The blocks themselves are dropped: a teardown adopts nothing,
   * and OpenTofu before 1.9 processed them during a destroy (opentofu/opentofu#2214).
   */
  readonly adopted: readonly string[];
}

/**
 * The teardown form of one stack. Local paths (the bootstrap layer's local backend, a local remote-state lookup) are
 * relative to the stack's folder: `from` and `to` are the folder the stack was read from and the one it is written to.
 */
export function teardownStack(stack: StackDocument, folders: { readonly from: string; readonly to: string }): TeardownStack {
  const doc = structuredClone(stack.doc) as TerraformJson & { resource?: Record<string, Record<string, JsonObject | JsonObject[]>> };
  const preventDestroyDropped: string[] = [];
  const deletionProtectionOff: string[] = [];
  const kubernetesObjects: string[] = [];
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    for (const [name, value] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      if (type.startsWith(KUBERNETES_TYPE_PREFIX)) kubernetesObjects.push(address);
      for (const body of Array.isArray(value) ? value : [value]) {
        if (dropPreventDestroy(body)) preventDestroyDropped.push(address);
        const argument = DELETION_PROTECTION_ARGUMENTS[type];
        if (argument && argument in body && body[argument] !== false) {
          body[argument] = false;
          deletionProtectionOff.push(address);
        }
      }
    }
  }
  relocateLocalPaths(doc, folders);
  const adopted = (Array.isArray(doc.import) ? doc.import : [])
    .map((block) => (isObject(block) && typeof block.to === 'string' ? block.to : undefined))
    .filter((address): address is string => address !== undefined);
  delete (doc as { import?: unknown }).import;
  return { name: stack.name, doc, preventDestroyDropped, deletionProtectionOff, kubernetesObjects, adopted };
}

/**
 * What outlives a teardown by design: the environment's compliance-locked vaults (a Vault Lock with a lock date,
 * `changeable_for_days`), whose recovery points nobody can delete before their retention ends, and the longest
 * retention any backup rule of the environment's stacks gives its recovery points and copies. The runbook keeps these
 * vaults and their keys ("The vaults") and deletes them by hand when the last recovery point has expired.
 */
export function lockedVaults(stacks: readonly StackDocument[]): {
  readonly vaults: readonly string[];
  readonly longestRetentionDays: number;
} {
  const vaults: string[] = [];
  const retentions: number[] = [];
  for (const { doc } of stacks) {
    for (const { body: lock } of resourcesOfType(doc, 'aws_backup_vault_lock_configuration')) {
      if (typeof lock.changeable_for_days !== 'number') continue;
      const vault = referenced(doc, 'aws_backup_vault', lock.backup_vault_name, 'name')?.body;
      vaults.push(String(vault?.name ?? lock.backup_vault_name) + (typeof vault?.region === 'string' ? ` (${vault.region})` : ''));
    }
    for (const { body: plan } of resourcesOfType(doc, 'aws_backup_plan')) {
      const days = [...dig(plan, 'rule', 'lifecycle', 'delete_after'), ...dig(plan, 'rule', 'copy_action', 'lifecycle', 'delete_after')];
      retentions.push(...days.filter((day): day is number => typeof day === 'number'));
    }
  }
  return { vaults, longestRetentionDays: Math.max(0, ...retentions) };
}

/** The resource types of the `hashicorp/kubernetes` provider. */
const KUBERNETES_TYPE_PREFIX = 'kubernetes_';

function dropPreventDestroy(body: JsonObject): boolean {
  const lifecycle = body.lifecycle;
  if (!isObject(lifecycle) || lifecycle.prevent_destroy !== true) return false;
  const { prevent_destroy: _dropped, ...rest } = lifecycle;
  if (Object.keys(rest).length > 0) body.lifecycle = rest;
  else delete body.lifecycle;
  return true;
}

function relocateLocalPaths(doc: TerraformJson, { from, to }: { readonly from: string; readonly to: string }): void {
  const relocate = (config: unknown) => {
    if (!isObject(config) || typeof config.path !== 'string' || isAbsolute(config.path)) return;
    config.path = relative(to, resolve(from, config.path)) || '.';
  };
  relocate(doc.terraform?.backend?.local);
  for (const lookup of Object.values((doc.data?.terraform_remote_state ?? {}) as Record<string, unknown>))
    for (const body of Array.isArray(lookup) ? lookup : [lookup]) if (isObject(body) && body.backend === 'local') relocate(body.config);
}

/** The procedure every message about a removed environment points to. */
export const REMOVE_ENVIRONMENT_RUNBOOK = 'docs/runbooks/remove-environment.md';

/** Where `npm run teardown` writes an environment's stacks: beside the synthesized output (git-ignored like it). */
export const TEARDOWN_OUT_DIR = `${SYNTH_OUT_DIR}.teardown`;
