import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/synth';

const RUN = join(REPO_ROOT, 'scripts', 'run.mjs');
const scripts: Record<string, string> = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
/** Every `node scripts/run.mjs <entry>` in package.json: what `npm run` starts. */
const runEntries = [...new Set(Object.values(scripts).flatMap((line) => [...line.matchAll(/scripts\/run\.mjs (\S+)/g)].map((m) => m[1]!)))];
/** `npm run <script>`, with its script's name (which may hold colons, as in contract:check) as the first group. */
const NPM_RUN = /npm run (?:--silent )?([a-z][\w-]*(?::[\w-]+)*)/g;
/** The last line of a command module (src/cli/entry.ts), which makes it run when started with node. */
const RUNS_ITSELF = 'if (require.main === module) runMain(main);';
const run = (...args: string[]) => spawnSync(process.execPath, [RUN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('commands', () => {
  it('finds the npm scripts it checks', () => {
    assert.ok(runEntries.includes('src/cli/synth') && runEntries.includes('src/cli/check'), runEntries.join(', '));
  });

  it('every entry of an npm script exports the main that scripts/run.mjs calls', () => {
    const without = runEntries.filter((entry) => typeof require(join(REPO_ROOT, 'dist', `${entry}.js`)).main !== 'function');
    assert.deepEqual(without, []);
  });

  it('every command module, and every script an npm script runs, also runs itself when started with node', () => {
    const source = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
    const cliModules = readdirSync(join(REPO_ROOT, 'src', 'cli'))
      .map((file) => `src/cli/${file}`)
      .filter((file) => /^export (async )?function main\(/m.test(source(file)));
    const commands = [...new Set([...cliModules, ...runEntries.map((entry) => `${entry}.ts`)])];
    assert.ok(commands.includes('src/cli/guard.ts') && commands.includes('scripts/bench.ts'), commands.join(', '));
    assert.deepEqual(
      commands.filter((file) => !source(file).includes(RUNS_ITSELF)),
      [],
    );
  });

  it('every npm script and command the workflows and CI run exists, and each command runs itself', () => {
    const dir = join(REPO_ROOT, '.github', 'workflows');
    const texts = [...readdirSync(dir).map((file) => join(dir, file)), join(REPO_ROOT, '.ci', 'run')].map((f) => readFileSync(f, 'utf8'));
    const named = (pattern: RegExp) => [...new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1]!)))];
    const npmScripts = named(NPM_RUN);
    const commands = named(/node dist\/src\/cli\/([\w-]+)\.js/g);
    assert.ok(npmScripts.includes('check') && commands.includes('stacks'), `${npmScripts} / ${commands}`);
    assert.deepEqual(
      npmScripts.filter((name) => !(name in scripts)),
      [],
      'npm scripts the workflows run that package.json lacks',
    );
    const notRunnable = commands.filter((name) => !readFileSync(join(REPO_ROOT, 'src', 'cli', `${name}.ts`), 'utf8').includes(RUNS_ITSELF));
    assert.deepEqual(notRunnable, []);
  });

  it('every npm script the README and the docs name exists', () => {
    const docs = join(REPO_ROOT, 'docs');
    const files = ['README.md', 'CONTRIBUTING.md'].map((file) => join(REPO_ROOT, file));
    files.push(
      ...readdirSync(docs)
        .filter((file) => file.endsWith('.md'))
        .map((file) => join(docs, file)),
    );
    const named = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(NPM_RUN)].map((m) => `${m[1]} (${file})`));
    assert.ok(named.length > 10, named.join(', '));
    assert.deepEqual(
      named.filter((entry) => !(entry.split(' ')[0]! in scripts)),
      [],
    );
  });

  it('scripts/run.mjs runs the command and exits with its code', () => {
    const result = run('src/cli/guard', '--no-such-option');
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /guard: unknown option --no-such-option/);
    assert.match(result.stderr, /usage: npm run guard/);
  });

  it('scripts/run.mjs refuses a module that exports no main rather than do nothing', () => {
    const result = run('src/cli/args');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /src\/cli\/args exports no main function/);
  });
});
