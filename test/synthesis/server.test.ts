import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { stopServer } from '../../src/synthesis/server-client';
import {
  encodeMessage,
  HOST_FILES,
  HOST_MODULES,
  pidIn,
  privateFolder,
  readMessages,
  SERVED_COMMAND,
  SERVER_DIR_VARIABLE,
  SERVER_SWITCH,
  serverAllowed,
  serverCommand,
  serverKey,
  serverPaths,
} from '../../src/synthesis/server-protocol';
import { modulesToReload, swapEnvironment } from '../../src/synthesis/server';
import { LAYERS } from '../../src/layers';
import { CONFIG_DIR, exampleOfTier, exampleOutput, REPO_ROOT } from '../support/synth';

const work = mkdtempSync(join(tmpdir(), 'platform-infra-server-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('when synth may use a server (src/synthesis/server-protocol.ts)', () => {
  it('at a terminal outside CI, or where switched on; never where switched off or on Windows', () => {
    const cases: [NodeJS.ProcessEnv, NodeJS.Platform, boolean, boolean][] = [
      [{}, 'linux', true, true],
      [{}, 'linux', false, false],
      [{ CI: 'true' }, 'linux', true, false],
      [{ CI: '1' }, 'darwin', true, false],
      [{ CI: 'false' }, 'linux', true, true],
      [{ CI: '0' }, 'linux', true, true],
      [{ [SERVER_SWITCH]: '1' }, 'linux', false, true],
      [{ [SERVER_SWITCH]: '1', CI: 'true' }, 'linux', false, true],
      [{ [SERVER_SWITCH]: '0' }, 'linux', true, false],
      [{ [SERVER_SWITCH]: '1' }, 'win32', true, false],
    ];
    for (const [env, platform, terminal, expected] of cases) {
      assert.equal(serverAllowed(env, platform, terminal), expected, JSON.stringify({ env, platform, terminal }));
    }
  });

  it('listens in a folder of its own per checkout under the temporary folder, unless told where', () => {
    const one = serverPaths('/checkouts/one', {});
    assert.equal(relative(tmpdir(), one.dir).startsWith('platform-infra-synth-'), true, one.dir);
    assert.notEqual(serverPaths('/checkouts/two', {}).dir, one.dir);
    assert.equal(serverPaths('/checkouts/one', { [SERVER_DIR_VARIABLE]: '/elsewhere' }).socket, join('/elsewhere', 'socket'));
  });

  it('uses its folder only when it is a folder of this user closed to others, making it so when missing', () => {
    const missing = join(work, 'private', 'server');
    assert.equal(privateFolder(missing), true);
    assert.equal(statSync(missing).mode & 0o777, 0o700);
    const open = join(work, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    assert.equal(privateFolder(open), false);
    const link = join(work, 'link');
    symlinkSync(missing, link);
    assert.equal(privateFolder(link), false, 'a link, even to a private folder');
  });

  it('keys a server by node options, the installed packages and the host modules, not the rest of the code', () => {
    const root = mkdtempSync(join(work, 'root-'));
    for (const file of [...HOST_FILES, 'package-lock.json', join('dist', 'src', 'app.js')]) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), 'one');
    }
    const key = serverKey(root, {});
    assert.equal(serverKey(root, {}), key);
    writeFileSync(join(root, 'dist', 'src', 'app.js'), 'two');
    assert.equal(serverKey(root, {}), key, 'the rest of dist/ is loaded again for every request');
    assert.notEqual(serverKey(root, { NODE_OPTIONS: '--no-warnings' }), key);
    for (const file of [...HOST_FILES, 'package-lock.json']) {
      writeFileSync(join(root, file), 'two');
      assert.notEqual(serverKey(root, {}), key, file);
      writeFileSync(join(root, file), 'one');
    }
  });

  it('reads messages a line each however they are split into chunks, a character split between two included', async () => {
    const socket = new PassThrough();
    const received: unknown[] = [];
    let malformed = 0;
    readMessages(
      socket,
      (message) => received.push(message),
      () => malformed++,
    );
    const bytes = Buffer.from(encodeMessage({ type: 'stderr', text: 'prod → 2\nstacks' }) + encodeMessage({ type: 'exit', code: 3 }));
    const inArrow = bytes.indexOf(0xe2) + 1;
    for (const [from, to] of [
      [0, inArrow],
      [inArrow, inArrow + 12],
      [inArrow + 12, bytes.length],
    ])
      socket.write(bytes.subarray(from, to));
    socket.write('not json\n');
    await new Promise((done) => setImmediate(done));
    assert.deepEqual(received, [
      { type: 'stderr', text: 'prod → 2\nstacks' },
      { type: 'exit', code: 3 },
    ]);
    assert.equal(malformed, 1);
  });
});

describe('what the server loads again for a request (src/synthesis/server.ts)', () => {
  it('is every compiled module but the host ones, which are exactly those it loads itself', () => {
    const dist = `${join(REPO_ROOT, 'dist')}/`;
    const keep = new Set(HOST_MODULES.map((file) => join(REPO_ROOT, file)));
    const loaded = [...keep, join(dist, 'src', 'app.js'), join(REPO_ROOT, 'node_modules', 'cdktn', 'lib', 'index.js')];
    assert.deepEqual(modulesToReload(loaded, keep, dist), [join(dist, 'src', 'app.js')]);
    const script = `require(${JSON.stringify(serverCommand(REPO_ROOT)[1].at(-1))});
      console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.startsWith(${JSON.stringify(dist)}))))`;
    const hostLoads = JSON.parse(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout) as string[];
    assert.deepEqual(hostLoads.sort(), [...keep].sort());
  });

  it("takes the request's environment for the request and restores its own after it", () => {
    const name = 'PLATFORM_INFRA_TEST_SWAP';
    const before = { ...process.env };
    const restore = swapEnvironment({ [name]: 'request', PATH: '/request' });
    assert.deepEqual({ ...process.env }, { [name]: 'request', PATH: '/request' });
    restore();
    assert.deepEqual({ ...process.env }, before);
  });

  it('stops only a server named by a valid pid (a pid of 0 would signal a whole process group)', () => {
    const dir = mkdtempSync(join(work, 'pid-'));
    const signalled: unknown[] = [];
    const kill = process.kill;
    process.kill = ((pid: number, signal?: string) => signalled.push([pid, signal]) > 0) as typeof process.kill;
    try {
      for (const text of ['', '0', '-1', '1.5', 'x']) {
        writeFileSync(join(dir, 'pid'), text);
        stopServer(serverPaths(REPO_ROOT, { [SERVER_DIR_VARIABLE]: dir }));
      }
      writeFileSync(join(dir, 'pid'), '4242');
      stopServer(serverPaths(REPO_ROOT, { [SERVER_DIR_VARIABLE]: dir }));
    } finally {
      process.kill = kill;
    }
    assert.deepEqual(signalled, [[4242, 'SIGTERM']]);
  });
});

describe('npm run synth through a synth server', () => {
  const DEV = exampleOfTier('development').name;
  const dir = join(work, 'server');
  const paths = serverPaths(REPO_ROOT, { [SERVER_DIR_VARIABLE]: dir });
  const env = { ...process.env, [SERVER_SWITCH]: '1', [SERVER_DIR_VARIABLE]: dir };
  const config = join(work, 'config');
  const servers: ChildProcess[] = [];
  let server: ChildProcess;

  const waitFor = async (what: string, ready: () => boolean) => {
    for (const deadline = Date.now() + 20_000; !ready(); await new Promise((wake) => setTimeout(wake, 50))) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; server log:\n${readLog()}`);
    }
  };
  const readLog = () => (existsSync(paths.log) ? readFileSync(paths.log, 'utf8') : '(none)');
  const served = () => (existsSync(paths.status) ? (JSON.parse(readFileSync(paths.status, 'utf8')).served as number) : 0);
  /** `npm run synth -- <args>` as npm starts it: node scripts/run.mjs src/cli/synth. */
  const npmRunSynth = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'run.mjs'), SERVED_COMMAND, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...env, ...extraEnv },
    });
  /** Every file synth wrote into `out` for DEV's stacks, by path. */
  const stackFilesOf = (out: string) =>
    new Map(
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
        .map((entry) => relative(out, join(entry.parentPath, entry.name)))
        .filter((file) => file.startsWith(join('stacks', `${DEV}-`)))
        .map((file) => [file, readFileSync(join(out, file), 'utf8')]),
    );

  before(async () => {
    cpSync(CONFIG_DIR, config, { recursive: true });
    mkdirSync(dir, { mode: 0o700 });
    const [node, args] = serverCommand(REPO_ROOT);
    server = spawn(node, args, { env, stdio: 'ignore' });
    servers.push(server);
    await waitFor('the server to listen', () => existsSync(paths.socket));
  });
  after(() => {
    for (const child of servers) child.kill('SIGKILL');
    if (existsSync(paths.pid)) stopServer(paths);
  });

  it('listens on a socket only its user can reach', () => {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(paths.socket).mode & 0o077, 0);
    assert.equal(pidIn(paths.pid), server.pid);
  });

  it("writes what a fresh process writes, and passes the synth's output and exit code on", () => {
    const out = join(work, 'served');
    const run = npmRunSynth(['--env', DEV, '--config', config, '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(served(), 1, 'the server synthesized it');
    // The example's output is a fresh process's synth of the same config.
    assert.deepEqual(stackFilesOf(out), stackFilesOf(exampleOutput()));
    assert.match(run.stdout, new RegExp(`^${LAYERS.length} stacks, \\d+ resources$`, 'm'));
    // Read again for every request: a server that kept the first request's config would synthesize this one.
    rmSync(join(config, 'environments', `${DEV}.json`));
    const broken = npmRunSynth(['--env', DEV, '--config', config, '--out', join(work, 'served-broken')]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, new RegExp(`synth failed: invalid configuration[^]*no environment file ${DEV}\\.json`));
    assert.equal(served(), 2);
  });

  it('refuses a client started with other node options and exits; the client synthesizes itself and starts a new one', async () => {
    const first = pidIn(paths.pid);
    const run = npmRunSynth(['--config', join(work, 'no-such-config'), '--out', join(work, 'refused')], {
      NODE_OPTIONS: '--no-deprecation',
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /synth failed: invalid configuration/, 'synthesized in its own process');
    assert.match(run.stderr, /started a synth server, which the next synths use/);
    await waitFor('the refusing server to exit', () => server.exitCode !== null);
    await waitFor('a new server', () => existsSync(paths.pid) && pidIn(paths.pid) !== first);
  });
});
