// Maps a resource of the synthesized JSON back to tracked source, so code scanning can annotate a pull request
// (cdktf.out is git-ignored). cdktn records each resource's construct path (`prod-data/postgres/instance`): its first
// segment is the stack, named `<env>-<layer>` and built by src/stacks/<layer>-stack.ts; its second is the id the stack
// gives the construct that owns the resource, written there as a string literal. The location is that line.
// Limits: an id built at run time (`service-${name}`) is found by its literal prefix, so it points at the loop that
// builds every service's construct; a resource the stack creates through a helper in another file points at the
// helper's call; anything not found points at line 1 of the stack file. The environment's config file is attached as a
// related location: it is what the values come from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, type StackDocument } from '../terraform-json';
import type { Layer } from '../../layers';

export interface SourceLocation {
  /** Repository-relative path of a tracked file. */
  readonly uri: string;
  readonly line: number;
  /** The environment's config file (config/environments/<env>.json). */
  readonly configUri: string;
}

/** `<stack>|<address>` → where the construct owning the resource is created. */
export type SourceLocations = ReadonlyMap<string, SourceLocation>;

const locationKey = (stack: string, address: string) => `${stack}|${address}`;

export function stackSourceFile(layer: Layer): string {
  return `src/stacks/${layer}-stack.ts`;
}

/** The 1-based line of the first literal naming `id` (or, for ids with a computed suffix, its prefix). */
export function lineOfConstructId(source: string, id: string): number | undefined {
  const lines = source.split('\n');
  const parts = id.split('-');
  for (let length = parts.length; length >= 1; length--) {
    const candidate = parts.slice(0, length).join('-');
    const exact = length === parts.length;
    const patterns = exact ? [`'${candidate}'`, `"${candidate}"`, `\`${candidate}\``] : [`\`${candidate}-\${`, `'${candidate}-' +`];
    const index = lines.findIndex((line) => patterns.some((p) => line.includes(p)));
    if (index >= 0) return index + 1;
  }
  return undefined;
}

/** Source locations of every resource (and the provider and backend blocks) of the stacks. */
export function sourceLocations(stacks: readonly StackDocument[], root: string): SourceLocations {
  const map = new Map<string, SourceLocation>();
  const sources = new Map<string, string | undefined>();
  for (const stack of stacks) {
    const { environment, layer } = stack;
    if (layer === undefined) continue;
    const uri = stackSourceFile(layer);
    if (!sources.has(uri)) sources.set(uri, existsSync(join(root, uri)) ? readFileSync(join(root, uri), 'utf8') : undefined);
    const source = sources.get(uri);
    if (source === undefined) continue;
    const configUri = `config/environments/${environment}.json`;
    map.set(locationKey(stack.name, 'provider.aws'), { uri, line: 1, configUri });
    map.set(locationKey(stack.name, 'terraform.backend'), { uri, line: 1, configUri });
    for (const [section, prefix] of [
      ['resource', ''],
      ['data', 'data.'],
    ] as const) {
      for (const [type, byName] of Object.entries(stack.doc[section] ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          const block = Array.isArray(body) ? body[0] : body;
          const meta = isObject(block) && isObject(block['//']) && isObject(block['//'].metadata) ? block['//'].metadata : undefined;
          const id = typeof meta?.path === 'string' ? meta.path.split('/')[1] : undefined;
          map.set(locationKey(stack.name, `${prefix}${type}.${name}`), {
            uri,
            line: (id && lineOfConstructId(source, id)) || 1,
            configUri,
          });
        }
      }
    }
  }
  return map;
}
