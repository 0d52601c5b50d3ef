import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EnvironmentConfig } from '../config/load';

/** The module synth runs, relative to the compiled `src`: it loads the app (src/app.ts) and writes its output. */
export const SYNTH_ENTRY = join('synthesis', 'environments.js');

/** A relative `require` as esbuild compiles an import (`require("../naming")`) or a lazy one, or an `import()`. */
const RELATIVE_REQUIRE = /\b(?:require|import)\("(\.{1,2}\/[^"]*)"\)/g;

/**
 * What a synthesized environment depends on besides its own config: the compiled modules synth runs
 * (`synthModules`) and the installed packages (`package-lock.json`). Two synths with the same fingerprint and
 * config write the same files, so synth reuses an environment's previous output when both match.
 */
export function codeFingerprint(appDir: string, lockFile: string): string {
  const hash = createHash('sha256');
  for (const [file, text] of synthModules(appDir)) hash.update(`${file}\0`).update(text).update('\0');
  hash.update(existsSync(lockFile) ? readFileSync(lockFile) : 'no lock file');
  return hash.digest('hex');
}

/**
 * The compiled modules a synth runs, by path relative to `appDir`, with their text: `entry` and every module it
 * requires, directly or through others, found by following the relative `require("…")` calls of the compiled code
 * (esbuild writes one per import; lazy ones inside functions are found alike; type-only imports leave none). A module
 * outside them (the checks, the other commands, the previews: about half of `src`) cannot change what synth writes,
 * so editing one reuses every environment's output. A require that resolves to no file is kept by its text.
 */
export function synthModules(appDir: string, entry = SYNTH_ENTRY): Map<string, string> {
  const modules = new Map<string, string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    const path = join(appDir, file);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : `unresolved ${file}`;
    modules.set(file, text);
    for (const [, request] of text.matchAll(RELATIVE_REQUIRE)) visit(resolveRequest(appDir, dirname(file), request!));
  };
  visit(entry);
  return new Map([...modules].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Node's resolution of a relative request among compiled files: the file, with `.js`, or the folder's `index.js`. */
function resolveRequest(appDir: string, fromDir: string, request: string): string {
  const target = join(fromDir, request);
  const candidates = [target, `${target}.js`, join(target, 'index.js')];
  return candidates.find((candidate) => candidate.endsWith('.js') && existsSync(join(appDir, candidate))) ?? `${target}.js`;
}

/** The validated config (which includes what it read from other files) with the code it is synthesized by. */
export function environmentFingerprint(code: string, config: EnvironmentConfig): string {
  return createHash('sha256').update(code).update(JSON.stringify(config)).digest('hex');
}
