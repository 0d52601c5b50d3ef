import { TerraformStack, type TerraformResource } from 'cdktn';
import { escapeRegExp } from '../regexp';

/**
 * Readable Terraform addresses for the stateful resources, independent of the construct path.
 *
 * cdktn names a resource after its construct path plus a hash (`aws_db_instance.postgres_instance_919E2690`),
 * so renaming or moving a construct gives the database a new address, and Terraform plans to destroy it
 * and create an empty one. The construct that owns a stateful resource calls `stableAddress` with the
 * resource's physical name instead; the address becomes that name without the environment's parts
 * (`social-prod-postgres` → `aws_db_instance.postgres`), the same in every environment, and it changes only
 * when the physical name does (which for these types means a new object anyway).
 *
 * The first synthesis with stable addresses also emits, per resource, a `moved` block from the address
 * cdktn derived from its construct path, so existing state follows without a destroy
 * (https://developer.hashicorp.com/terraform/language/modules/develop/refactoring). Those blocks stay
 * harmless once applied: a `moved` block whose `from` is not in state does nothing.
 *
 * Stacks opt in with `useStableAddresses` (LayerStack does); in other stacks, such as the bare stacks of
 * construct tests, `stableAddress` changes nothing.
 */

/** What a physical name carries that differs between environments, and is left out of the address. */
export interface AddressContext {
  readonly project: string;
  readonly environment: string;
  readonly accountId: string;
  /** The stack's region; a resource elsewhere (a recovery copy) keeps its region in the address. */
  readonly region: string;
}

export interface StableAddressOptions {
  /**
   * Region of the resource, when it is not the stack's (copies in the recovery region often share
   * their original's name).
   * @default - the stack's region
   */
  readonly region?: string;
  /**
   * Earlier stable names of this resource (what `stableAddress` gave it before a deliberate rename),
   * each moved to the new address with a `moved` block.
   * @default - none
   */
  readonly previousNames?: readonly string[];
}

interface StackAddresses {
  readonly context: AddressContext;
  /** `type.name` → the physical name that claimed it, to name both in a collision. */
  readonly taken: Map<string, string>;
  readonly moved: { from: string; to: string }[];
}

const stacks = new WeakMap<TerraformStack, StackAddresses>();
const marked = new WeakSet<TerraformResource>();

/** Turns stable addresses on for the resources of `stack`. */
export function useStableAddresses(stack: TerraformStack, context: AddressContext): void {
  stacks.set(stack, { context, taken: new Map(), moved: [] });
}

/**
 * Gives `resource` the address `<type>.<readable physical name>` in a stack that uses stable addresses,
 * with a `moved` block from its construct-path address. Returns the new address (or the unchanged one).
 */
export function stableAddress(resource: TerraformResource, physicalName: string, options: StableAddressOptions = {}): string {
  const stack = TerraformStack.of(resource);
  const state = stacks.get(stack);
  const type = resource.terraformResourceType;
  if (!state) return `${type}.${resource.friendlyUniqueId}`;
  if (marked.has(resource)) throw new Error(`stableAddress: ${resource.node.path} already has a stable address`);

  const name = readableName(physicalName, state.context, options.region);
  const address = `${type}.${name}`;
  const holder = state.taken.get(address);
  if (holder !== undefined) {
    throw new Error(
      `stableAddress: ${resource.node.path} (${physicalName}) and ${holder} both map to ${address}; ` +
        'a resource type may hold each readable name once per stack: give one of them another physical name or region',
    );
  }
  // The construct-path address, computed afresh: reading friendlyUniqueId would fix it for good.
  const pathAddress = `${type}.${stack.getLogicalId(resource)}`;
  resource.overrideLogicalId(name);
  if (resource.friendlyUniqueId !== name) {
    throw new Error(
      `stableAddress: ${resource.node.path}: call it right after creating the resource, before reading any of its ` +
        `attributes (references to it already use ${type}.${resource.friendlyUniqueId})`,
    );
  }
  state.taken.set(address, `${resource.node.path} (${physicalName})`);
  marked.add(resource);

  const previous = (options.previousNames ?? []).map((name) => `${type}.${readableName(name, state.context, options.region)}`);
  const froms = [pathAddress, ...previous];
  for (const from of new Set(froms)) if (from !== address) state.moved.push({ from, to: address });
  // One override for all of the stack's blocks: cdktn's moveFromId allows one move per resource, and a
  // renamed stable address needs two (from the construct path and from its previous name).
  stack.addOverride(
    'moved',
    state.moved.map((block) => ({ ...block })),
  );
  return address;
}

/** Whether `stableAddress` named `resource` (for the check that every stateful resource has a stable address). */
export function hasStableAddress(resource: TerraformResource): boolean {
  return marked.has(resource);
}

/**
 * `social-prod-tfstate-333333333333-eu-west-1` → `tfstate`; `/aws/rds/instance/social-prod-postgres/postgresql`
 * → `aws_rds_instance_postgres_postgresql`; a resource in another region keeps it: `backup-eu-central-1`.
 */
export function readableName(physicalName: string, context: AddressContext, region?: string): string {
  const { project, environment, accountId } = context;
  const otherRegion = region !== undefined && region !== context.region ? region : undefined;
  let name = physicalName
    .replaceAll(`${project}-${environment}-`, '')
    .replaceAll(`${project}/${environment}/`, '')
    .replace(new RegExp(`-${accountId}-${escapeRegExp(context.region)}$`), '')
    .replace(new RegExp(`-${accountId}(?=-|$)`), '');
  if (otherRegion && !name.endsWith(`-${otherRegion}`)) name = `${name}-${otherRegion}`;
  name = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name;
}
