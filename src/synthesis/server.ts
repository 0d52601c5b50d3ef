/**
 * The synth server: a process that keeps the installed packages (cdktn, the provider classes, zod: most of what a synth
 * loads) in memory between `npm run synth`s and runs each synth as a fresh process would, for a client
 * (server-client.ts) started by scripts/run.mjs. README "The synth server" says what it saves and when it is used.
 *
 * For every request it loads the compiled code of this checkout again (all of dist/ but this host), takes the client's
 * working folder and environment, and sends the synth's output and exit code back. What it keeps across requests is
 * only what the key covers (server-protocol.ts: node, the packages, this host), so a request whose key differs is
 * refused and the server exits: its client synthesizes in its own process and starts a new server.
 *
 * Started detached by the client (`serverCommand`: node, the loader, this module). It serves
 * one request at a time, and exits when idle for SERVER_IDLE_MS, past SERVER_MAX_RSS_MB, or on SIGTERM/SIGINT.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join, sep } from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import {
  encodeMessage,
  HOST_MODULES,
  pidIn,
  privateFolder,
  readMessages,
  SERVER_IDLE_MS,
  SERVED_COMMAND,
  SERVER_MAX_RSS_MB,
  type ServerMessage,
  type ServerPaths,
  serverKey,
  serverPaths,
  type SynthRequest,
} from './server-protocol';

const DIST = join(PROJECT_ROOT, 'dist') + sep;
const SYNTH_MODULE = join(DIST, `${SERVED_COMMAND}.js`);
const ENTRY_MODULE = join(DIST, 'src', 'cli', 'entry.js');
const APP_MODULE = join(DIST, 'src', 'app.js');
/** How long a starting server waits for the one it replaces to let go of the folder. */
const REPLACE_WAIT_MS = 3000;

/** The compiled modules to load again for a request: all of dist/ except the host's own, which `keep` holds. */
export function modulesToReload(loaded: readonly string[], keep: ReadonlySet<string>, dist = DIST): string[] {
  return loaded.filter((file) => file.startsWith(dist) && !keep.has(file));
}

/**
 * Replaces the contents of `process.env` with `env` and returns what restores it. Assigning `process.env` a new
 * object would drop its coercion of values to strings, which child processes rely on.
 */
export function swapEnvironment(env: Record<string, string | undefined>): () => void {
  const saved = { ...process.env };
  const assign = (values: Record<string, string | undefined>) => {
    for (const name of Object.keys(process.env)) if (!(name in values)) delete process.env[name];
    for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
  };
  assign(env);
  return () => assign(saved);
}

/** Runs one request as a fresh process would, sending its output to `send`; resolves to its exit code. */
async function runRequest(request: SynthRequest, host: ReadonlySet<string>, send: (message: ServerMessage) => void): Promise<number> {
  const { stdout, stderr } = process;
  const writes = { stdout: stdout.write, stderr: stderr.write };
  const capture =
    (type: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      send({ type, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  const cwd = process.cwd();
  const restoreEnvironment = swapEnvironment(request.env);
  stdout.write = capture('stdout') as typeof stdout.write;
  stderr.write = capture('stderr') as typeof stderr.write;
  try {
    process.chdir(request.cwd);
    for (const file of modulesToReload(Object.keys(require.cache), host)) delete require.cache[file];
    const { main } = require(SYNTH_MODULE) as typeof import('../cli/synth');
    const { runCommand } = require(ENTRY_MODULE) as typeof import('../cli/entry');
    return await runCommand(main, request.argv);
  } catch (error) {
    console.error(error);
    return 1;
  } finally {
    stdout.write = writes.stdout;
    stderr.write = writes.stderr;
    restoreEnvironment();
    process.chdir(cwd);
  }
}

/** Takes the folder for this process (`privateFolder`), unless another live server holds it: then returns false. */
async function claim(paths: ServerPaths): Promise<boolean> {
  if (!privateFolder(paths.dir)) throw new Error(`${paths.dir} must be a folder of this user, closed to others (mode 700)`);
  const deadline = Date.now() + REPLACE_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(paths.pid, String(process.pid), { flag: 'wx', mode: 0o600 });
      rmSync(paths.socket, { force: true });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!isAlive(pidIn(paths.pid))) rmSync(paths.pid, { force: true });
    else if (Date.now() > deadline) return false;
    else await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** Sends the last message and calls `then` once the socket is finished or gone, whichever comes first. */
function endThen(socket: Socket, message: ServerMessage, then: () => void): void {
  let called = false;
  const once = () => {
    if (!called) then();
    called = true;
  };
  socket.once('close', once);
  socket.end(encodeMessage(message), once);
}

function isAlive(pid: number): boolean {
  if (pid === 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function serve(paths: ServerPaths = serverPaths(PROJECT_ROOT)): Promise<void> {
  if (!(await claim(paths))) return;
  const key = serverKey(PROJECT_ROOT);
  const host = new Set(HOST_MODULES.map((file) => join(PROJECT_ROOT, file)));
  // Loading the app now is what the first request would otherwise wait for; it loads dist/ again anyway.
  require(APP_MODULE);
  require(SYNTH_MODULE);
  const started = new Date().toISOString();
  let served = 0;
  let idle: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();

  const server = createServer();
  const shutDown = () => {
    clearTimeout(idle);
    server.close();
    try {
      rmSync(paths.socket, { force: true });
      // A server that replaced this one (after a refusal) may hold the pid file already.
      if (pidIn(paths.pid) === process.pid) rmSync(paths.pid, { force: true });
    } catch {
      // The folder is gone: nothing left to remove.
    }
    process.exit(0);
  };
  const resetIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(shutDown, SERVER_IDLE_MS);
  };

  const handle = (socket: Socket, request: SynthRequest) => {
    if (request.key !== key) {
      endThen(socket, { type: 'refused', reason: 'started for other packages, node options or host code' }, shutDown);
      return;
    }
    queue = queue.then(async () => {
      clearTimeout(idle);
      const send = (message: ServerMessage) => socket.write(encodeMessage(message));
      send({ type: 'accepted' });
      const code = await runRequest(request, host, send);
      served++;
      const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      try {
        writeFileSync(paths.status, `${JSON.stringify({ pid: process.pid, started, served, maxRssMb })}\n`, { mode: 0o600 });
      } catch {}
      const grown = process.memoryUsage().rss / 2 ** 20 > SERVER_MAX_RSS_MB;
      endThen(socket, { type: 'exit', code }, grown ? shutDown : resetIdle);
    });
  };
  server.on('connection', (socket) => {
    socket.on('error', () => socket.destroy());
    let asked = false;
    readMessages<SynthRequest>(
      socket,
      (request) => {
        if (!asked) handle(socket, request);
        asked = true;
      },
      () => socket.destroy(),
    );
  });
  server.listen(paths.socket, () => {
    chmodSync(paths.socket, 0o600);
    resetIdle();
  });
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

if (require.main === module) void serve();
