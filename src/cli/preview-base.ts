import { spawnSync } from 'node:child_process';

/** The ref `--base` defaults to: the remote's main branch when this clone has one, else the local main. */
export function defaultBase(root: string): string {
  const remote = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'origin/main^{commit}'], { cwd: root });
  return remote.status === 0 ? 'origin/main' : 'main';
}
