import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoized } from '../memo';
import type { Report } from './rules/report';
import type { EdgeConfig } from './schema/edge';
import { DAY_MS } from '../time';

/** The origin-pull certificates of an environment, read from the files `edge.originPull` names. */
export interface OriginPullCertificates {
  readonly certificateId: string;
  /** The client certificate Cloudflare presents (public part). */
  readonly certificatePem: string;
  /** Every trusted CA certificate, concatenated: the load balancer's trust store bundle. */
  readonly caBundlePem: string;
  /** When the chain stops being valid: the earlier expiry of the certificate and of its issuer. */
  readonly notAfter: Date;
}

/**
 * Configuration fails this long before the chain expires, so the certificate is rotated while the load
 * balancer still admits the old one (an expired client certificate is refused, and every request with it).
 */
export const ORIGIN_PULL_MIN_REMAINING_DAYS = 14;
const CLIENT_AUTH_USAGE = '1.3.6.1.5.5.7.3.2';
const RUNBOOK = 'docs/runbooks/origin-pull-certificate-rotation.md';

/**
 * Reads and checks the files of `edge.originPull` (paths relative to `configDir`): each holds one certificate,
 * the trusted ones are CAs, the client certificate is for client authentication, is issued by one of them and
 * stays valid for at least ORIGIN_PULL_MIN_REMAINING_DAYS after `now`.
 */
export function loadOriginPull(
  originPull: EdgeConfig['originPull'],
  configDir: string,
  report: Report,
  now: Date = new Date(),
): OriginPullCertificates | undefined {
  const path = ['edge', 'originPull'];
  const client = readCertificate(configDir, originPull.certificate, [...path, 'certificate'], report);
  const cas = originPull.trustedCas.map((file, i) => readCertificate(configDir, file, [...path, 'trustedCas', i], report));
  cas.forEach((ca, i) => {
    if (ca && !ca.x509.ca)
      report(
        [...path, 'trustedCas', i],
        'must be a CA certificate (basicConstraints CA:TRUE); list the CA that issued the client certificate',
      );
  });
  if (!client || cas.some((ca) => ca === undefined)) return undefined;
  const fail = (message: string) => {
    report([...path, 'certificate'], message);
    return undefined;
  };
  if (client.x509.ca) return fail('must be the client certificate, not a CA certificate');
  if (!(client.x509.keyUsage ?? []).includes(CLIENT_AUTH_USAGE)) {
    return fail('must allow client authentication (extendedKeyUsage clientAuth), as scripts/origin-pull-certificate.sh issues it');
  }
  const issuer = cas.find((ca) => ca!.x509.ca && client.x509.checkIssued(ca!.x509) && client.x509.verify(ca!.x509.publicKey));
  if (!issuer) return fail('must be issued by one of trustedCas, or the load balancer refuses every connection from Cloudflare');
  const notAfter = new Date(Math.min(Date.parse(client.x509.validTo), Date.parse(issuer.x509.validTo)));
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (daysLeft < ORIGIN_PULL_MIN_REMAINING_DAYS) {
    const when = notAfter.toISOString().slice(0, 10);
    const state = daysLeft < 0 ? `expired on ${when}` : `expires on ${when}, in ${daysLeft} days`;
    return fail(`${state}: issue, upload and configure a new one now (${RUNBOOK}); the load balancer refuses an expired one`);
  }
  return {
    certificateId: originPull.certificateId,
    certificatePem: client.pem,
    caBundlePem: cas.map((ca) => `${ca!.pem.trimEnd()}\n`).join(''),
    notAfter,
  };
}

function readCertificate(
  configDir: string,
  file: string,
  path: readonly (string | number)[],
  report: Report,
): { pem: string; x509: X509Certificate } | undefined {
  const fail = (message: string) => {
    report(path, message);
    return undefined;
  };
  let pem: string;
  try {
    pem = readFileSync(join(configDir, file), 'utf8');
  } catch {
    return fail(`must name a file in the config folder (${configDir})`);
  }
  const count = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
  if (count !== 1 || /PRIVATE KEY-----/.test(pem))
    return fail(`must hold exactly one PEM certificate and no key (found ${count} certificates)`);
  try {
    return { pem, x509: parsed(pem) };
  } catch (error) {
    return fail(`is not a valid X.509 certificate: ${(error as Error).message}`);
  }
}

/**
 * Parsing is most of what validating a certificate costs, and a process that validates config again and again (the
 * test suite does, hundreds of times) meets the same few files: each text is parsed once. An X509Certificate is
 * immutable, so sharing one is safe.
 */
const parsed = memoized((pem: string) => new X509Certificate(pem));
