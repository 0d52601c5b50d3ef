import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config/load';

/**
 * What a synthesized environment depends on besides its own config: the compiled app (every `.js` under
 * `appDir`, the compiled `src`) and the installed packages (`package-lock.json`). Two synths with the same
 * fingerprint and config write the same files, so synth reuses an environment's previous output when both match.
 */
export function codeFingerprint(appDir: string, lockFile: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(appDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(appDir, file)))
      .update('\0');
  hash.update(existsSync(lockFile) ? readFileSync(lockFile) : 'no lock file');
  return hash.digest('hex');
}

/** The validated config (which includes what it read from other files) with the code it is synthesized by. */
export function environmentFingerprint(code: string, config: EnvironmentConfig): string {
  return createHash('sha256').update(code).update(JSON.stringify(config)).digest('hex');
}
