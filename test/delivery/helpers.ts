import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root';

export const ROOT = PROJECT_ROOT;
export const FIXTURES = join(ROOT, 'test', 'delivery', 'fixtures');

export function planFixture(name: string): string {
  return join(FIXTURES, 'plans', `${name}.json`);
}

export { runCli } from '../support/command';
