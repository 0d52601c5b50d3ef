/**
 * What the synth server (src/synthesis/server.ts) and its client (server-client.ts) share: when a server may be used,
 * where it listens, the key that says whether it runs the code a fresh process would, and the messages they exchange.
 * Node built-ins only: the client loads this on every `npm run synth`, before anything else.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isatty } from 'node:tty';

/**
 * `0` turns the server off; `1` turns it on where no terminal is attached (`npm run bench` captures synth's output).
 * It is on by default for a person at a terminal, and off in CI and on Windows.
 */
export const SERVER_SWITCH = 'PLATFORM_INFRA_SYNTH_SERVER';
/** Moves the server's folder (socket, pid, log, status); tests give each server its own. */
export const SERVER_DIR_VARIABLE = 'PLATFORM_INFRA_SYNTH_SERVER_DIR';
/** A server with no request for this long exits. */
export const SERVER_IDLE_MS = 30 * 60 * 1000;
/**
 * A server that has grown past this after a request exits once it has answered. It grows by 8–13 MB a synth: cdktn keeps
 * every token encoded in the process in one map (tokens/private/token-map.js), and so every earlier request's
 * constructs. Emptying that map between requests is not possible: the packages hold tokens of their own that keep
 * the name the map gave them (measured: the next synth fails with "Unrecognized Token Key").
 */
export const SERVER_MAX_RSS_MB = 384;

/**
 * A server pays only where a person synthesizes again and again: at a terminal, and not in CI, which synthesizes once
 * per job (GitHub Actions and most CI systems set `CI`). Windows has no Unix sockets (named pipes would need their own
 * permissions model).
 */
export function serverAllowed(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  // File descriptors 0–2 (stdin, stdout, stderr); `isatty` asks without opening `process.stdin`.
  terminal: boolean = [0, 1, 2].some((fd) => isatty(fd)),
): boolean {
  if (env[SERVER_SWITCH] === '0' || platform === 'win32') return false;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return env[SERVER_SWITCH] === '1' || (terminal && !ci);
}

export interface ServerPaths {
  readonly dir: string;
  readonly socket: string;
  /** The server's process id, so a client that gets no answer can stop it. */
  readonly pid: string;
  /** What the server printed itself (not the synths' output, which goes to their clients). */
  readonly log: string;
  /** Requests served and peak RSS, rewritten after each request (`npm run bench` reports the RSS). */
  readonly status: string;
}

/**
 * One folder per user and checkout, under the system's temporary folder: a Unix socket's path is limited to about
 * 100 bytes, which a checkout's own path may already use up. The server creates it readable by its user only.
 */
export function serverPaths(root: string, env: NodeJS.ProcessEnv = process.env): ServerPaths {
  const checkout = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const dir = env[SERVER_DIR_VARIABLE] || join(tmpdir(), `platform-infra-synth-${process.getuid?.() ?? 'user'}-${checkout}`);
  return {
    dir,
    socket: join(dir, 'socket'),
    pid: join(dir, 'pid'),
    log: join(dir, 'server.log'),
    status: join(dir, 'status.json'),
  };
}

/**
 * The process a server's pid file names, or 0 when it names none: gone (its server exited meanwhile), empty, or not
 * a positive whole number (a pid of 0 or below would signal a whole process group).
 */
export function pidIn(file: string): number {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch {
    return 0;
  }
}

/**
 * Makes `dir` if it is missing and says whether it is a folder (not a link) of this user that nobody else may enter.
 * The server and its clients use its socket, pid and log only then: under a shared temporary folder, a folder made
 * by another user could hold their own server, or a link where the log would be written.
 */
export function privateFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const folder = lstatSync(dir);
    return folder.isDirectory() && (folder.mode & 0o077) === 0 && (!process.getuid || folder.uid === process.getuid());
  } catch {
    return false;
  }
}

/** The command scripts/run.mjs hands to a server, as the npm scripts name it (`node scripts/run.mjs src/cli/synth`). */
export const SERVED_COMMAND = 'src/cli/synth';
/** The server's own module (server.ts), compiled. */
const SERVER_MODULE = join('dist', 'src', 'synthesis', 'server.js');
/**
 * The compiled modules a server loads before its first request and keeps for its lifetime (it loads the rest of dist/
 * again for every request).
 */
export const HOST_MODULES = [join('dist', 'src', 'project-root.js'), join('dist', 'src', 'synthesis', 'server-protocol.js'), SERVER_MODULE];
/** The loader every command runs under (scripts/compile-cache.cjs), as a server does. */
const LOADER = join('scripts', 'compile-cache.cjs');
/** What a server keeps for its lifetime besides the packages: editing one needs a new server. */
export const HOST_FILES = [...HOST_MODULES, LOADER];

/** How a server of `root` is started: node, the loader, and the host module (server.ts). */
export function serverCommand(root: string): [string, string[]] {
  return [process.execPath, ['--require', join(root, LOADER), join(root, SERVER_MODULE)]];
}

/**
 * What must be equal for a server to synthesize exactly what a fresh process would: the node binary and its options,
 * the installed packages (which a server loads once: `package-lock.json`, and npm's record of `node_modules`), and the
 * host modules. The rest of the compiled code is loaded again for every request, so it needs no key.
 */
export function serverKey(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256').update(`${process.execPath}\0${process.version}\0${env.NODE_OPTIONS ?? ''}\0`);
  for (const file of [...HOST_FILES, 'package-lock.json'])
    hash
      .update(`${file}\0`)
      .update(contentOf(join(root, file)))
      .update('\0');
  const installed = statSync(join(root, 'node_modules', '.package-lock.json'), { throwIfNoEntry: false });
  return hash.update(installed ? `${installed.size}:${installed.mtimeMs}` : 'no node_modules').digest('hex');
}

function contentOf(file: string): Buffer | string {
  try {
    return readFileSync(file);
  } catch {
    return `missing ${file}`;
  }
}

/** What a client asks: to run synth with these arguments, as if started in `cwd` with `env`. */
export interface SynthRequest {
  readonly key: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
}

/** What a server answers, one JSON message a line: refused (and exiting), or accepted, output, and the exit code. */
export type ServerMessage =
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'accepted' }
  | { readonly type: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'exit'; readonly code: number };

export const encodeMessage = (message: SynthRequest | ServerMessage): string => `${JSON.stringify(message)}\n`;

/**
 * Calls `onMessage` with each `encodeMessage` line `socket` receives, however the lines are split into chunks, and
 * `onMalformed` on a line that is not one. The socket decodes as utf8, which keeps a character split across two
 * chunks whole (decoding each chunk alone would not).
 */
export function readMessages<T>(socket: Readable, onMessage: (message: T) => void, onMalformed: () => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      let message: T;
      try {
        message = JSON.parse(line) as T;
      } catch {
        onMalformed();
        return;
      }
      onMessage(message);
    }
  });
}
