/**
 * Provider pins and the dependency lock file. Every provider the synthesized stacks require must be
 * pinned to one exact version, the same in every stack; the lock file (`.terraform.lock.hcl`, Terraform's
 * "Dependency Lock File") records, per provider, that version and the checksums of its packages, and
 * `terraform init -lockfile=readonly` refuses a package whose checksum differs.
 * https://developer.hashicorp.com/terraform/language/files/dependency-lock
 *
 * Checksums come from the registry, which this repository's tooling never contacts: CI creates the
 * lock file with `terraform providers lock` from the root module `versionsModule` writes, and this
 * module only reads, compares and distributes it.
 */

import { normalizeProviderAddress } from '../schema/provider-schema';
import type { StackDocument } from '../terraform-json';

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

export interface RequiredProvider {
  /** `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  /** `hashicorp/aws`, as required_providers writes it. */
  readonly source: string;
  readonly version: string;
  /** Stacks that require it. */
  readonly stacks: readonly string[];
}

export interface LockedProvider {
  readonly address: string;
  readonly version?: string;
  readonly constraints?: string;
  readonly hashes: readonly string[];
}

export class ProviderPinError extends Error {}

/** The providers of every stack; throws naming each provider that is not pinned exactly, or pinned differently. */
export function requiredProviders(stacks: readonly StackDocument[]): RequiredProvider[] {
  const byAddress = new Map<string, { source: string; versions: Map<string, string[]> }>();
  const problems: string[] = [];
  for (const stack of stacks) {
    for (const [name, requirement] of Object.entries(stack.doc.terraform?.required_providers ?? {})) {
      const source = sourceOf(name, requirement);
      const version = typeof requirement === 'string' ? requirement : typeof requirement.version === 'string' ? requirement.version : '';
      if (!EXACT_VERSION.test(version)) {
        problems.push(`${stack.name}: provider ${source} is required as ${JSON.stringify(version)}; pin one exact version (e.g. "5.22.0")`);
      }
      const entry = byAddress.get(normalizeProviderAddress(source)) ?? { source, versions: new Map<string, string[]>() };
      entry.versions.set(version, [...(entry.versions.get(version) ?? []), stack.name]);
      byAddress.set(normalizeProviderAddress(source), entry);
    }
  }
  for (const [address, { versions }] of byAddress) {
    if (versions.size > 1) {
      const detail = [...versions].map(([version, names]) => `${version} in ${names.join(', ')}`).join('; ');
      problems.push(`provider ${address} is pinned to different versions: ${detail}; every stack must use one`);
    }
  }
  if (problems.length > 0) throw new ProviderPinError(problems.join('\n'));
  return [...byAddress]
    .map(([address, { source, versions }]) => {
      const [[version, names]] = [...versions];
      return { address, source, version, stacks: names };
    })
    .sort((a, b) => a.address.localeCompare(b.address));
}

/** A root module that requires exactly these providers: what `terraform providers lock` runs in. */
export function versionsModule(providers: readonly RequiredProvider[]): string {
  const required = Object.fromEntries(
    providers.map((provider) => [provider.source.split('/').at(-1)!, { source: provider.source, version: provider.version }]),
  );
  return `${JSON.stringify({ terraform: { required_providers: required } }, null, 2)}\n`;
}

/**
 * The `provider "<address>" { … }` blocks of a lock file. Terraform writes the file itself in a fixed
 * shape (one block per provider: version, constraints, a hashes list), which is all this reads.
 */
export function parseLockFile(text: string, file: string): LockedProvider[] {
  const providers: LockedProvider[] = [];
  const block = /provider\s+"([^"]+)"\s*\{([\s\S]*?)\n\}/g;
  for (const match of text.matchAll(block)) {
    const body = match[2];
    const attribute = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, 'm').exec(body)?.[1];
    const hashes = /hashes\s*=\s*\[([\s\S]*?)\]/.exec(body)?.[1] ?? '';
    providers.push({
      address: match[1].toLowerCase(),
      ...(attribute('version') !== undefined ? { version: attribute('version') } : {}),
      ...(attribute('constraints') !== undefined ? { constraints: attribute('constraints') } : {}),
      hashes: [...hashes.matchAll(/"([^"]+)"/g)].map((hash) => hash[1]),
    });
  }
  if (providers.length === 0 && text.trim() !== '') {
    throw new ProviderPinError(`${file}: no provider blocks; is this a .terraform.lock.hcl written by terraform?`);
  }
  return providers;
}

/** Every way the lock file disagrees with the pins: each is a reason to fail before any init. */
export function lockMismatches(required: readonly RequiredProvider[], locked: readonly LockedProvider[], file: string): string[] {
  const problems: string[] = [];
  const lockedBy = new Map(locked.map((provider) => [provider.address, provider]));
  for (const provider of required) {
    const entry = lockedBy.get(provider.address);
    if (!entry) {
      problems.push(`${file}: no entry for ${provider.address} ${provider.version} (required by ${provider.stacks.join(', ')})`);
      continue;
    }
    if (entry.version !== provider.version) {
      problems.push(`${file}: ${provider.address} is locked at ${entry.version ?? '(no version)'}, pinned at ${provider.version}`);
    }
    if (!entry.hashes.some((hash) => hash.startsWith('h1:'))) problems.push(`${file}: ${provider.address} has no h1: package checksum`);
  }
  const requiredAddresses = new Set(required.map((provider) => provider.address));
  for (const entry of locked) {
    if (!requiredAddresses.has(entry.address)) problems.push(`${file}: ${entry.address} is locked but no stack requires it`);
  }
  return problems;
}

/**
 * The lock file text for one stack: only the blocks of the providers it requires, so that
 * `init -lockfile=readonly` finds nothing to add or remove.
 */
export function lockFileFor(text: string, addresses: ReadonlySet<string>): string {
  const header = /^(?:#.*\n)+/.exec(text)?.[0] ?? '';
  const blocks = [...text.matchAll(/provider\s+"([^"]+)"\s*\{[\s\S]*?\n\}\n?/g)].filter((match) => addresses.has(match[1].toLowerCase()));
  return `${header}${header ? '\n' : ''}${blocks.map((match) => match[0].trimEnd()).join('\n\n')}\n`;
}

/** Provider addresses one stack requires. */
export function stackProviders(stack: StackDocument): Set<string> {
  return new Set(
    Object.entries(stack.doc.terraform?.required_providers ?? {}).map(([name, requirement]) =>
      normalizeProviderAddress(sourceOf(name, requirement)),
    ),
  );
}

/** required_providers' `source`, or Terraform's default for the local name. */
function sourceOf(name: string, requirement: unknown): string {
  const source = typeof requirement === 'object' && requirement !== null ? (requirement as { source?: unknown }).source : undefined;
  return typeof source === 'string' ? source : `hashicorp/${name}`;
}
