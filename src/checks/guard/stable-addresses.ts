/**
 * The committed list of protected resources' addresses, per stack (`stable-addresses.json`). Every
 * resource of a type in PROTECTED_RESOURCE_TYPES has a readable address that does not depend on its
 * construct path (src/constructs/stable-address.ts); this list makes any change of such an address a
 * reviewed change: `npm run addresses` (and a test) fail on a difference and print the `moved` block
 * that keeps the object, so a rename can never plan the destruction of a database.
 */

import { allResources, type StackDocument } from '../terraform-json';
import { protectionReason } from './protected';

export const STABLE_ADDRESSES_FILE = 'stable-addresses.json';

/** Stack name → its protected resources' addresses, sorted. */
export type AddressList = Readonly<Record<string, readonly string[]>>;

interface StableAddressFile {
  readonly '//': string;
  readonly stacks: AddressList;
}

const FILE_NOTE =
  'Addresses of the protected (stateful) resources, per stack. Written by `npm run addresses -- --write`; ' +
  "a change here is a change of a stateful resource's Terraform address: review it with its moved block (docs/delivery.md).";

export function protectedAddresses(stacks: readonly StackDocument[]): Record<string, string[]> {
  return Object.fromEntries(
    stacks.map((stack) => [
      stack.name,
      allResources(stack.doc, 'managed')
        .filter((entry) => protectionReason(entry.type) !== undefined)
        .map((entry) => entry.address)
        .sort(),
    ]),
  );
}

export function renderAddressFile(list: AddressList): string {
  const stacks = Object.fromEntries(
    Object.keys(list)
      .sort()
      .map((name) => [name, list[name]]),
  );
  return `${JSON.stringify({ '//': FILE_NOTE, stacks } satisfies StableAddressFile, null, 2)}\n`;
}

export function parseAddressFile(text: string, file: string): AddressList {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: is not valid JSON: ${(error as Error).message}`);
  }
  const stacks = (document as { stacks?: unknown } | null)?.stacks;
  if (typeof stacks !== 'object' || stacks === null || Array.isArray(stacks)) {
    throw new Error(`${file}: expected {"stacks": {"<stack>": ["<address>", …]}}`);
  }
  for (const [name, addresses] of Object.entries(stacks)) {
    if (!Array.isArray(addresses) || !addresses.every((a) => typeof a === 'string')) {
      throw new Error(`${file}: stacks.${name}: expected an array of addresses`);
    }
  }
  return stacks as AddressList;
}

export interface AddressChange {
  readonly stack: string;
  /** In the committed list, no longer synthesized. */
  readonly removed: readonly string[];
  /** Synthesized, not in the committed list. */
  readonly added: readonly string[];
  /** Removed and added addresses that are one resource of one type: the `moved` blocks to consider. */
  readonly moves: readonly { readonly from: string; readonly to: string }[];
}

/** Stacks whose protected addresses differ from the committed list (stacks only in one of them included). */
export function compareAddresses(committed: AddressList, current: AddressList): AddressChange[] {
  const names = [...new Set([...Object.keys(committed), ...Object.keys(current)])].sort();
  const changes: AddressChange[] = [];
  for (const stack of names) {
    const before = new Set(committed[stack] ?? []);
    const after = new Set(current[stack] ?? []);
    const removed = [...before].filter((address) => !after.has(address));
    const added = [...after].filter((address) => !before.has(address));
    if (removed.length === 0 && added.length === 0) continue;
    const typeOf = (address: string) => address.slice(0, address.indexOf('.'));
    const moves = [...new Set(removed.map(typeOf))].flatMap((type) => {
      const from = removed.filter((address) => typeOf(address) === type);
      const to = added.filter((address) => typeOf(address) === type);
      return from.length === 1 && to.length === 1 ? [{ from: from[0], to: to[0] }] : [];
    });
    changes.push({ stack, removed, added, moves });
  }
  return changes;
}

/** What to tell a developer about one stack's changed addresses. */
export function describeAddressChange(change: AddressChange): string {
  const lines = [`${change.stack}:`];
  for (const address of change.removed) lines.push(`  - ${address}`);
  for (const address of change.added) lines.push(`  + ${address}`);
  for (const move of change.moves) {
    const previous = move.from.slice(move.from.indexOf('.') + 1);
    lines.push(
      `  if ${move.to} is the object that was ${move.from}, Terraform must move it, not destroy and create it:`,
      `    moved {`,
      `      from = ${move.from}`,
      `      to   = ${move.to}`,
      `    }`,
      `    (emit it by passing { previousNames: ['${previous}'] } to stableAddress() in the construct that owns it)`,
    );
  }
  if (change.removed.length > change.moves.length) {
    lines.push('  a removed address without a moved block is a destroy: the guard blocks it unless guard-allow.json approves it');
  }
  return lines.join('\n');
}
