import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** Repository root: tests run compiled from dist/test/delivery. */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'delivery', 'fixtures');

export function planFixture(name: string): string {
  return join(FIXTURES, 'plans', `${name}.json`);
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a compiled CLI the way `npm run <name>` does, from the repository root. */
export function runCli(cli: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const base = { ...process.env };
  // A test run inside GitHub Actions must not write into the real job summary.
  delete base.GITHUB_STEP_SUMMARY;
  delete base.GITHUB_ACTIONS;
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', `${cli}.js`), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...base, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
