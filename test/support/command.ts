import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { type Main, runCommand } from '../../src/cli/entry';
import { PROJECT_ROOT as ROOT } from '../../src/project-root';

export interface CommandRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  /** The working directory the command runs in. @default the repository root, as for `npm run` */
  readonly cwd?: string;
  /** Environment variables set (or, when undefined, removed) for the run. @default none */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where the output of the command running in the current async context goes; outside a run, nothing is captured. */
const capture = new AsyncLocalStorage<{ stdout: string; stderr: string }>();
let streamsPatched = false;

/**
 * Routes writes to process.stdout and process.stderr made inside `capture.run` (the command's own async context,
 * console.log included) into its buffers; every other write, such as the test reporter's, passes through.
 */
function patchStreams(): void {
  if (streamsPatched) return;
  streamsPatched = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const sink = capture.getStore();
      if (!sink) return write(chunk, ...rest);
      sink[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (done) process.nextTick(done);
      return true;
    }) as typeof stream.write;
  }
}

/**
 * Runs a command (`src/cli/<name>.ts`'s exported `main`) in this process, as `npm run <name>` runs it: its exit
 * code and captured output. Tests call commands this way rather than start a process for each, which would load
 * the app's modules again every time (scripts/run.mjs and the direct `node dist/...` start are tested on their
 * own in test/cli/entry.test.ts). GitHub Actions' variables are removed for the run, so that a test run inside a
 * workflow never writes into the real job summary. The working directory and the environment are restored after.
 */
export async function runCli(name: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandRun> {
  patchStreams();
  const { main } = require(join(ROOT, 'dist', 'src', 'cli', `${name}.js`)) as { main: Main };
  const env = { GITHUB_STEP_SUMMARY: undefined, GITHUB_ACTIONS: undefined, ...options.env };
  const previousEnv = Object.entries(env).map(([key]) => [key, process.env[key]] as const);
  const previousCwd = process.cwd();
  const sink = { stdout: '', stderr: '' };
  try {
    for (const [key, value] of Object.entries(env)) setVariable(key, value);
    process.chdir(options.cwd ?? ROOT);
    const status = await capture.run(sink, () => runCommand(main, args));
    return { status, ...sink };
  } finally {
    process.chdir(previousCwd);
    for (const [key, value] of previousEnv) setVariable(key, value);
  }
}

function setVariable(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
