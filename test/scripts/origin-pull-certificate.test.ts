import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadOriginPull } from '../../src/config/origin-pull';
import { CONFIG_DIR, exampleOfTier, REPO_ROOT } from '../support/synth';

/** The environment the script issues for: the bundled development one, whatever it is called. */
const DEV = exampleOfTier('development').name;

const CERTIFICATE_ID = '44444444-4444-4444-8444-444444444444';
const TOKEN = 'test-token-for-the-stand-in';

/** A copy of the script and the config it reads, so the certificates it writes land in a scratch folder. */
function scratchRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'origin-pull-script-'));
  mkdirSync(join(root, 'scripts'));
  cpSync(join(REPO_ROOT, 'scripts', 'origin-pull-certificate.sh'), join(root, 'scripts', 'origin-pull-certificate.sh'));
  mkdirSync(join(root, 'config', 'environments'), { recursive: true });
  cpSync(join(CONFIG_DIR, 'project.json'), join(root, 'config', 'project.json'));
  cpSync(join(CONFIG_DIR, 'environments', `${DEV}.json`), join(root, 'config', 'environments', `${DEV}.json`));
  return root;
}

/** The key the script asks openssl for, and the stand-in's: openssl takes about a second to find an RSA-3072 key. */
const SCRIPT_KEY = '-newkey rsa:3072';
const STAND_IN_KEY = '-newkey ec -pkeyopt ec_paramgen_curve:P-256';

/**
 * An `openssl` that records its arguments and runs the real one with the script's RSA key request replaced by an
 * EC one, made in milliseconds: what the tests check of the certificates and the upload holds for either key
 * type, and the recorded calls show which keys the script asked for.
 */
function fastKeysOpenssl(): { bin: string; calls: () => string[] } {
  const real = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'openssl'))
    .find(existsSync);
  assert.ok(real, 'openssl on PATH');
  const bin = mkdtempSync(join(tmpdir(), 'origin-pull-openssl-'));
  const log = join(bin, 'calls');
  writeFileSync(
    join(bin, 'openssl'),
    [
      '#!/usr/bin/env bash',
      `printf '%s\\n' "$*" >> '${log}'`,
      'args=()',
      'while [ $# -gt 0 ]; do',
      `  if [ "$1 \${2:-}" = '${SCRIPT_KEY}' ]; then args+=(${STAND_IN_KEY}); shift 2; else args+=("$1"); shift; fi`,
      'done',
      `exec '${real}' "\${args[@]}"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'openssl'), 0o755);
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n') : []) };
}

interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The arguments of each openssl command the script ran. */
  readonly opensslCalls: string[];
}

function run(root: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const openssl = fastKeysOpenssl();
  return new Promise((resolve) => {
    const child = spawn('bash', [join(root, 'scripts', 'origin-pull-certificate.sh'), ...args], {
      env: { PATH: `${openssl.bin}${delimiter}${process.env.PATH!}`, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => {
      resolve({ status, stdout, stderr, opensslCalls: openssl.calls() });
      rmSync(openssl.bin, { recursive: true, force: true });
    });
  });
}

const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => resolve(text));
  });

/** Every file below `dir`, relative. */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name],
  );

describe('scripts/origin-pull-certificate.sh', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
  const zone = JSON.parse(readFileSync(join(CONFIG_DIR, 'environments', `${DEV}.json`), 'utf8')).cloudflareZone;

  it('issues a client certificate from a one-off CA, uploads it with its key and keeps only the public certificates', async () => {
    const uploads: { authorization?: string; body: any }[] = [];
    const server = createServer(async (request, response) => {
      const url = new URL(request.url!, 'http://localhost');
      response.setHeader('Content-Type', 'application/json');
      if (request.method === 'GET' && url.pathname === '/zones' && url.searchParams.get('name') === zone) {
        response.end(JSON.stringify({ success: true, result: [{ id: 'zone-1', name: zone }] }));
      } else if (request.method === 'POST' && url.pathname === '/zones/zone-1/origin_tls_client_auth/hostnames/certificates') {
        uploads.push({ authorization: request.headers.authorization, body: JSON.parse(await body(request)) });
        response.end(JSON.stringify({ success: true, result: { id: CERTIFICATE_ID, status: 'pending_deployment' } }));
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const root = scratchRepo();
    roots.push(root);
    try {
      const { port } = server.address() as AddressInfo;
      const result = await run(root, [DEV, '--days', '90'], {
        CLOUDFLARE_API_TOKEN: TOKEN,
        CLOUDFLARE_API_BASE_URL: `http://127.0.0.1:${port}`,
      });
      assert.equal(result.status, 0, result.stderr);
      // An RSA-3072 key for the CA and one for the client, as Cloudflare's example for per-hostname certificates.
      assert.deepEqual(
        result.opensslCalls.filter((call) => call.includes('-newkey')).map((call) => call.includes(SCRIPT_KEY)),
        [true, true],
      );
      assert.equal(uploads.length, 1);
      const [upload] = uploads;
      assert.equal(upload!.authorization, `Bearer ${TOKEN}`);
      assert.deepEqual(Object.keys(upload!.body).sort(), ['certificate', 'private_key']);

      const written = files(join(root, 'config', 'origin-pull')).sort();
      assert.equal(written.length, 2);
      const [caFile, clientFile] = written;
      assert.match(caFile!, new RegExp(`^${DEV}/ca-\\d{8}\\.pem$`));
      assert.match(clientFile!, new RegExp(`^${DEV}/client-\\d{8}\\.pem$`));
      const client = new X509Certificate(readFileSync(join(root, 'config', 'origin-pull', clientFile!)));
      assert.equal(upload!.body.certificate, readFileSync(join(root, 'config', 'origin-pull', clientFile!), 'utf8'));
      // The uploaded key is the certificate's, and no key is left anywhere in the checkout.
      assert.equal(
        createPublicKey(upload!.body.private_key).export({ format: 'pem', type: 'spki' }),
        client.publicKey.export({ format: 'pem', type: 'spki' }),
      );
      assert.ok(files(root).every((file) => !/PRIVATE KEY/.test(readFileSync(join(root, file), 'utf8'))));
      assert.equal(client.subject, `CN=${zone}`);
      const days = (Date.parse(client.validTo) - Date.now()) / 86_400_000;
      assert.ok(days > 89 && days <= 90, `valid for ${days} days`);

      // The files are what edge.originPull accepts, and the output says how to configure them.
      const originPull = { certificateId: CERTIFICATE_ID, certificate: `origin-pull/${clientFile}`, trustedCas: [`origin-pull/${caFile}`] };
      const problems: string[] = [];
      assert.ok(loadOriginPull(originPull, join(root, 'config'), (path, message) => problems.push(`${path.join('.')}: ${message}`)));
      assert.deepEqual(problems, []);
      assert.match(result.stdout, new RegExp(`"certificateId": "${CERTIFICATE_ID}"`));
      assert.match(result.stdout, new RegExp(`"certificate": "origin-pull/${clientFile}"`));
    } finally {
      server.close();
    }
  });

  it('refuses to upload without a token, before making anything', async () => {
    const root = scratchRepo();
    roots.push(root);
    const result = await run(root, [DEV], {});
    assert.equal(result.status, 2);
    assert.match(result.stderr, /CLOUDFLARE_API_TOKEN is not set/);
    assert.deepEqual(result.opensslCalls, []);
    assert.deepEqual(readdirSync(join(root, 'config')).sort(), ['environments', 'project.json']);
  });
});
