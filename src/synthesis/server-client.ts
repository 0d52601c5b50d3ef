/**
 * The synth server's client, for scripts/run.mjs: `synthThroughServer` has a running server (server.ts) synthesize,
 * `startServer` starts one for the next synth. Neither ever fails a synth: whatever goes wrong with a server, the
 * synth runs in the client's own process, as it would without one.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import {
  encodeMessage,
  pidIn,
  privateFolder,
  readMessages,
  type ServerMessage,
  type ServerPaths,
  serverAllowed,
  serverCommand,
  serverKey,
  serverPaths,
} from './server-protocol';

export { SERVED_COMMAND } from './server-protocol';

/**
 * How long a client waits for a server to take its request. A server answers once it is done with the request before
 * (seconds at most), so one that says nothing for this long is stuck: the client stops it and synthesizes itself.
 */
const ANSWER_TIMEOUT_MS = 30_000;

/** Whether this process may use a server: allowed here, and started without node options of its own (`--inspect`, …). */
const usable = (): boolean => serverAllowed() && process.execArgv.length === 0;

/**
 * Has the server of `root` run synth with `argv` as this process would, its output written here: resolves to the exit
 * code, or to undefined when no server took the request (none running, or one started for other code, which exits).
 */
export function synthThroughServer(
  root: string,
  argv: readonly string[],
  paths: ServerPaths = serverPaths(root),
): Promise<number | undefined> {
  if (!usable() || !existsSync(paths.socket) || !privateFolder(paths.dir)) return Promise.resolve(undefined);
  const request = { key: serverKey(root), argv, cwd: process.cwd(), env: { ...process.env } };
  return new Promise((resolve) => {
    let settled = false;
    let accepted = false;
    const finish = (code: number | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => {
      stopServer(paths);
      finish(undefined);
    }, ANSWER_TIMEOUT_MS);
    const socket = connect(paths.socket, () => socket.write(encodeMessage(request)));
    readMessages<ServerMessage>(
      socket,
      (message) => {
        if (message.type === 'accepted') {
          accepted = true;
          clearTimeout(timer);
        } else if (message.type === 'stdout') process.stdout.write(message.text);
        else if (message.type === 'stderr') process.stderr.write(message.text);
        else finish(message.type === 'exit' ? message.code : undefined);
      },
      () => finish(undefined),
    );
    socket.on('error', () => finish(undefined));
    socket.on('close', () => {
      if (accepted && !settled) process.stderr.write('synth: the synth server stopped before it finished; synthesizing in this process\n');
      finish(undefined);
    });
  });
}

/**
 * Starts a server for `root` in the background, detached from this process and its terminal, with this process's
 * environment, and says whether it did (where a server may be used). The server exits if another one keeps running.
 * Its own messages go to `paths.log`.
 */
export function startServer(root: string, paths: ServerPaths = serverPaths(root)): boolean {
  if (!usable() || !privateFolder(paths.dir)) return false;
  try {
    const log = openSync(paths.log, 'a', 0o600);
    const [node, args] = serverCommand(root);
    const child = spawn(node, args, {
      cwd: root,
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    closeSync(log);
    return true;
  } catch {
    // Only the next synth's speed depends on it.
    return false;
  }
}

/** Asks the server of `paths` to exit (SIGTERM), if one is running. */
export function stopServer(paths: ServerPaths): void {
  const pid = pidIn(paths.pid);
  try {
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    // It has exited meanwhile.
  }
}
