/**
 * A fast path in front of cdktn's token resolution, which synth runs over every element twice (a preparing pass and
 * the final one). cdktn's `resolve` allocates two resolution contexts, their closures and a copy of the key path for
 * every key and every value it visits, although most values of a stack hold no token: in a CPU profile, that was
 * about 60 % of cdktn's synth time. The fast path walks plain objects, arrays, strings, numbers and booleans itself
 * and hands every value that holds or may hold a token (a string with a token marker or an encoded number, a token
 * object, a list or map token, anything else) to cdktn's own `resolve`, with the options cdktn would have passed it
 * at that point. So tokens resolve exactly as before, and a token-free value comes out as cdktn would return it: the
 * same keys in the same order, `undefined` dropped. What it saves is measured in README "Performance";
 * test/synthesis/resolve-fast-path.test.ts shows the output is byte-identical.
 *
 * cdktn's `resolve` is private (lib/tokens/private/resolve.js), so this mirrors one version of it and is installed
 * only on that version; on any other, cdktn is left alone and a test says what to re-check.
 */
import { Token } from 'cdktn';
import {
  BEGIN_STRING_TOKEN_MARKER,
  containsNumberListTokenElement,
  containsStringListTokenElement,
  extractTokenDouble,
  TokenString,
  unresolved,
} from 'cdktn/lib/tokens/private/encoding';
import type { IResolveOptions } from 'cdktn/lib/tokens/private/resolve';

/** The cdktn release whose lib/tokens/private/resolve.js the fast path was checked against. */
export const VERIFIED_CDKTN_VERSION = '0.24.0';
/** cdktn refuses to resolve deeper than this (its guard against cyclic references); the fast path lets cdktn throw. */
const MAX_DEPTH = 200;

type Resolve = (obj: unknown, options: IResolveOptions) => unknown;
/** The keys from the value `resolve` was called with down to the current one, innermost first. */
interface KeyPath {
  readonly key: string;
  readonly up: KeyPath | undefined;
}

/** `resolve` with the fast path in front of `cdktnResolve`. */
function withFastPath(cdktnResolve: Resolve): Resolve {
  const handOver = (obj: unknown, options: IResolveOptions, path: KeyPath | undefined) =>
    cdktnResolve(obj, path ? { ...options, prefix: [...(options.prefix ?? []), ...keysOf(path)] } : options);

  const walk = (obj: unknown, options: IResolveOptions, path: KeyPath | undefined, depth: number): unknown => {
    if (depth > MAX_DEPTH) return handOver(obj, options, path);
    if (obj === undefined || obj === null || typeof obj === 'boolean') return obj;
    if (typeof obj === 'string') return isPlainString(obj) ? obj : handOver(obj, options, path);
    if (typeof obj === 'number') return isPlainNumber(obj) ? obj : handOver(obj, options, path);
    if (typeof obj !== 'object' || obj instanceof Date) return handOver(obj, options, path);
    if (Array.isArray(obj)) {
      if (containsStringListTokenElement(obj) || containsNumberListTokenElement(obj)) return handOver(obj, options, path);
      const resolved: unknown[] = [];
      for (let index = 0; index < obj.length; index++) {
        const value = walk(obj[index], options, { key: `${index}`, up: path }, depth + 1);
        if (value !== undefined) resolved.push(value);
      }
      return resolved;
    }
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record);
    // Decided before any value is resolved, so that no token is resolved twice (resolving can record usage).
    // A key holding a map token holds `{` too, so it is not a plain string.
    if (unresolved(record) || isConstruct(record) || !keys.every(isPlainString)) return handOver(obj, options, path);
    const resolved: Record<string, unknown> = {};
    for (const key of keys) {
      const value = walk(record[key], options, { key, up: path }, depth + 1);
      if (value !== undefined) resolved[key] = value;
    }
    return resolved;
  };

  return (obj, options) => walk(obj, options, undefined, options.prefix?.length ?? 0);
}

/** Set to `0` to resolve with cdktn's own `resolve` alone, for example to debug a token error. */
export const RESOLVE_FAST_PATH_VARIABLE = 'PLATFORM_INFRA_RESOLVE_FAST_PATH';

/**
 * Puts withFastPath's `resolve` in front of cdktn's, or takes it away when RESOLVE_FAST_PATH_VARIABLE is `0`; only
 * on the verified cdktn version. Returns whether the fast path is in place.
 */
export function useResolveFastPath(env: NodeJS.ProcessEnv = process.env): boolean {
  // Required, not imported: the property is replaced on the module object that cdktn's own modules call through.
  const resolveModule = require('cdktn/lib/tokens/private/resolve') as { resolve: Resolve & { [CDKTN_RESOLVE]?: Resolve } };
  const cdktnResolve = resolveModule.resolve[CDKTN_RESOLVE] ?? resolveModule.resolve;
  const wanted = env[RESOLVE_FAST_PATH_VARIABLE] !== '0' && installedCdktnVersion() === VERIFIED_CDKTN_VERSION;
  if (!wanted) resolveModule.resolve = cdktnResolve;
  else if (resolveModule.resolve === cdktnResolve)
    resolveModule.resolve = Object.assign(withFastPath(cdktnResolve), { [CDKTN_RESOLVE]: cdktnResolve });
  return wanted;
}

export function installedCdktnVersion(): string {
  return (require('cdktn/package.json') as { version: string }).version;
}

/**
 * Where the fast path keeps the `resolve` it stands in front of. In the global symbol registry, so that this module
 * loaded again (the synth server does, for every request) finds cdktn's own and does not wrap its own fast path.
 */
const CDKTN_RESOLVE = Symbol.for('platform-infra.cdktn-resolve');

/**
 * What cdktn's string, list and map token markers (`${TfToken[`, `#{TfToken[`, `&{TfToken[`, on the verified version)
 * share: a string without it holds no token of those kinds. One `includes` per string, as every string is tested.
 */
const TOKEN_MARKER = BEGIN_STRING_TOKEN_MARKER.slice(1);

/**
 * A string cdktn would return unchanged: no token marker (cdktn splits a string, escapes included, only where its
 * string-token pattern matches, so a Terraform expression `${…}` or a JSON document comes back as it went in), not
 * a map token's placeholder, and nothing cdktn's number-token pattern matches (it needs an `e`, as in `1e+289`).
 */
function isPlainString(text: string): boolean {
  if (text.includes(TOKEN_MARKER)) return false;
  if (text === Token.STRING_MAP_TOKEN_VALUE || text === Token.ANY_MAP_TOKEN_VALUE) return false;
  return !text.includes('e') || !TokenString.forNumbers(text).test();
}

function isPlainNumber(value: number): boolean {
  return value !== Token.NUMBER_MAP_TOKEN_VALUE && extractTokenDouble(value, false) === undefined;
}

/** cdktn's own test (a construct has children and metadata); resolving one is an error cdktn reports. */
function isConstruct(value: Record<string, unknown>): boolean {
  return value._children !== undefined && value._metadata !== undefined;
}

function keysOf(path: KeyPath): string[] {
  const keys: string[] = [];
  for (let at: KeyPath | undefined = path; at; at = at.up) keys.push(at.key);
  return keys.reverse();
}
