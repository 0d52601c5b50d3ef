import { join, resolve } from 'node:path';

/** Repository root: tests run compiled from dist/test/delivery. */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'delivery', 'fixtures');

export function planFixture(name: string): string {
  return join(FIXTURES, 'plans', `${name}.json`);
}

export { runCli } from '../support/command';
