import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load';
import { loadOriginPull, ORIGIN_PULL_MIN_REMAINING_DAYS } from '../../src/config/origin-pull';
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, CLOUDFLARE_RANGES_AS_OF } from '../../src/checks/policy/rules/_edge-cloudflare-ranges';
import type { EnvironmentTier } from '../../src/environment-tiers';
import { CONFIG_DIR, configOfTier, rawConfigOfTier } from '../support/synth';
import { escapeRegExp } from '../../src/regexp';

/** dev's app zone and edge settings, which the host-depth case builds its message from. */
const { cloudflareZone: DEV_ZONE, edge: DEV_EDGE } = rawConfigOfTier('development').environment;

const fallback = (r: any) => r.project.cloudflareIpRangesFallback;
const originPull = (r: any) => r.environment.edge.originPull;
const devPull = rawConfigOfTier('development').environment.edge.originPull;
const prodPull = rawConfigOfTier('production').environment.edge.originPull;

const CASES: { name: string; tier?: EnvironmentTier; mutate: (r: any) => void; path: string; message: RegExp }[] = [
  {
    name: 'unknown range source',
    mutate: (r) => (r.environment.edge.cloudflareIpRanges.source = 'api'),
    path: 'edge.cloudflareIpRanges.source',
    message: /"data-source" or "fallback"/,
  },
  { name: 'fallback without a date', mutate: (r) => delete fallback(r).asOf, path: 'cloudflareIpRangesFallback.asOf', message: /./ },
  {
    name: 'fallback dated in the future',
    mutate: (r) => (fallback(r).asOf = '2999-01-01'),
    path: 'cloudflareIpRangesFallback.asOf',
    message: /not be in the future/,
  },
  {
    name: 'IPv4 range broader than /8',
    mutate: (r) => fallback(r).ipv4.push('64.0.0.0/7'),
    path: 'cloudflareIpRangesFallback.ipv4.15',
    message: /\/8 or narrower.*Block Public Access/,
  },
  {
    name: 'malformed IPv6 range',
    mutate: (r) => (fallback(r).ipv6[0] = '2400:CB00::/32'),
    path: 'cloudflareIpRangesFallback.ipv6.0',
    message: /lowercase IPv6 CIDR/,
  },
  {
    name: 'IPv6 range too broad to split',
    mutate: (r) => (fallback(r).ipv6[0] = '2400::/16'),
    path: 'cloudflareIpRangesFallback.ipv6.0',
    message: /\/24 or narrower/,
  },
  {
    name: 'repeated range',
    mutate: (r) => fallback(r).ipv4.push(fallback(r).ipv4[0]),
    path: 'cloudflareIpRangesFallback.ipv4',
    message: /not repeat/,
  },
  {
    name: 'two hosts with one label',
    mutate: (r) => (r.environment.edge.hosts.admin = r.environment.edge.hosts.app),
    path: 'edge.hosts.admin',
    message: /must differ from hosts\.app/,
  },
  {
    name: 'MAIL FROM label taken by a host',
    mutate: (r) => (r.environment.edge.email.mailFromLabel = r.environment.edge.hosts.api),
    path: 'edge.email.mailFromLabel',
    message: /cannot coexist with a CNAME/,
  },
  {
    name: 'hosts more than one label below the zone',
    tier: 'development',
    mutate: (r) => (r.environment.domain = `dev.${r.environment.cloudflareZone}`),
    path: 'domain',
    message: new RegExp(
      `${escapeRegExp(['app', 'api', 'admin'].map((host) => `${DEV_EDGE.hosts[host]}.dev.${DEV_ZONE}`).join(', '))} would be .*` +
        `for ${escapeRegExp(`*.dev.${DEV_ZONE}`)}`,
    ),
  },
  {
    name: 'user content below the app zone',
    mutate: (r) => (r.environment.edge.userContentDomain = `media.${r.environment.cloudflareZone}`),
    path: 'edge.userContentDomain',
    message: /registrable domain of its own/,
  },
  {
    name: 'unknown Cloudflare plan',
    mutate: (r) => (r.environment.edge.zonePlan = 'team'),
    path: 'edge.zonePlan',
    message: /free, pro, business, enterprise/,
  },
  {
    name: 'an api rate limit on the free plan',
    tier: 'development',
    mutate: (r) => (r.environment.edge.apiRateLimit = { requestsPerPeriod: 100, periodSeconds: 10, mitigationTimeoutSeconds: 10 }),
    path: 'edge.apiRateLimit',
    message: /left out on the free plan: its rate limiting rules cannot match the host/,
  },
  {
    name: "a rate limit period above the plan's",
    mutate: (r) => (r.environment.edge.apiRateLimit = { requestsPerPeriod: 100, periodSeconds: 600, mitigationTimeoutSeconds: 60 }),
    path: 'edge.apiRateLimit.periodSeconds',
    message: /one of 10, 60 on the pro plan/,
  },
  {
    name: "a rate limit timeout above the plan's",
    mutate: (r) => (r.environment.edge.apiRateLimit = { requestsPerPeriod: 100, periodSeconds: 60, mitigationTimeoutSeconds: 86400 }),
    path: 'edge.apiRateLimit.mitigationTimeoutSeconds',
    message: /one of 10, 60, 120, 300, 600, 3600 on the pro plan/,
  },
  {
    name: 'the retired dmarcPolicy field',
    mutate: (r) => (r.environment.edge.email.dmarcPolicy = 'none'),
    path: 'edge.email.dmarcPolicy',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: "an origin-pull certificate id that is not Cloudflare's",
    mutate: (r) => (originPull(r).certificateId = 'prod-cert'),
    path: 'edge.originPull.certificateId',
    message: /UUID/,
  },
  {
    name: 'an origin-pull file outside the config folder',
    mutate: (r) => (originPull(r).certificate = '../secrets/client.pem'),
    path: 'edge.originPull.certificate',
    message: /relative to the config folder/,
  },
  {
    name: 'a missing origin-pull certificate',
    mutate: (r) => (originPull(r).certificate = 'origin-pull/prod/none.pem'),
    path: 'edge.originPull.certificate',
    message: /must name a file in the config folder/,
  },
  {
    name: 'a client certificate from another CA',
    mutate: (r) => (originPull(r).certificate = devPull.certificate),
    path: 'edge.originPull.certificate',
    message: /must be issued by one of trustedCas/,
  },
  {
    name: 'a CA in place of the client certificate',
    mutate: (r) => (originPull(r).certificate = prodPull.trustedCas[0]),
    path: 'edge.originPull.certificate',
    message: /must be the client certificate, not a CA/,
  },
  {
    name: 'a client certificate among the trusted CAs',
    mutate: (r) => (originPull(r).trustedCas = [prodPull.certificate]),
    path: 'edge.originPull.trustedCas.0',
    message: /must be a CA certificate/,
  },
  {
    name: 'three trusted CAs',
    mutate: (r) =>
      // Counted before anything is read, so any three paths do; the bundled CAs are at hand.
      (originPull(r).trustedCas = [...prodPull.trustedCas, ...devPull.trustedCas, ...prodPull.trustedCas].slice(0, 3)),
    path: 'edge.originPull.trustedCas',
    message: /at most two CAs/,
  },
];

describe('edge config', () => {
  for (const c of CASES) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => configOfTier(c.tier ?? 'production', c.mutate),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          const problem = error.problems.find((p) => p.path === c.path);
          assert.ok(problem, `no problem at ${c.path}; got ${error.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
          assert.match(problem.message, c.message);
          return true;
        },
      );
    });
  }

  it('defaults the range source to the data source and the operational settings', () => {
    const cfg = configOfTier('development', (r) => {
      delete r.environment.edge.cloudflareIpRanges.source;
    });
    assert.equal(cfg.edge.cloudflareIpRanges.source, 'data-source');
    assert.equal(cfg.edge.accessLogRetentionDays, 90);
    assert.equal(cfg.edge.email.mailFromLabel, 'mail');
    assert.equal(cfg.edge.apiRateLimit, undefined);
  });

  it('accepts a second CA while a rotation is under way, and reads the bundle and expiry from the files', () => {
    const cfg = configOfTier('production', (r) => (originPull(r).trustedCas = [...prodPull.trustedCas, ...devPull.trustedCas]));
    const files = [...prodPull.trustedCas, ...devPull.trustedCas].map((file: string) => readFileSync(join(CONFIG_DIR, file), 'utf8'));
    assert.equal(cfg.originPull.caBundlePem, files.map((pem) => `${pem.trimEnd()}\n`).join(''));
    assert.equal(cfg.originPull.certificatePem, readFileSync(join(CONFIG_DIR, prodPull.certificate), 'utf8'));
    assert.ok(cfg.originPull.notAfter.getTime() > Date.now());
  });
});

describe('origin-pull certificates', () => {
  const problems = (now: Date, dir = CONFIG_DIR, pull: any = prodPull) => {
    const found: string[] = [];
    const loaded = loadOriginPull(pull, dir, (path, message) => found.push(`${path.join('.')}: ${message}`), now);
    return { loaded, found };
  };
  const notAfter = configOfTier('production').originPull.notAfter;
  const daysBefore = (days: number) => new Date(notAfter.getTime() - days * 86_400_000);

  it(`fail ${ORIGIN_PULL_MIN_REMAINING_DAYS} days before the chain expires, naming the date and the runbook`, () => {
    assert.deepEqual(problems(daysBefore(ORIGIN_PULL_MIN_REMAINING_DAYS + 1)).found, []);
    const { loaded, found } = problems(daysBefore(ORIGIN_PULL_MIN_REMAINING_DAYS - 1));
    assert.equal(loaded, undefined);
    assert.deepEqual(found, [
      `edge.originPull.certificate: expires on ${notAfter.toISOString().slice(0, 10)}, in ${ORIGIN_PULL_MIN_REMAINING_DAYS - 1} days: ` +
        'issue, upload and configure a new one now (docs/runbooks/origin-pull-certificate-rotation.md); ' +
        'the load balancer refuses an expired one',
    ]);
    assert.match(problems(daysBefore(-1)).found[0]!, /: expired on /);
  });

  it('refuse a file that holds a key next to the certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'origin-pull-'));
    try {
      const pem = readFileSync(join(CONFIG_DIR, prodPull.certificate), 'utf8');
      writeFileSync(join(dir, 'client.pem'), `${pem}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`);
      writeFileSync(join(dir, 'ca.pem'), readFileSync(join(CONFIG_DIR, prodPull.trustedCas[0]), 'utf8'));
      const { found } = problems(new Date(), dir, { ...prodPull, certificate: 'client.pem', trustedCas: ['ca.pem'] });
      assert.deepEqual(found, ['edge.originPull.certificate: must hold exactly one PEM certificate and no key (found 1 certificates)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Cloudflare range lists', () => {
  it("the config fallback and the policy checks' reference copy are the same list of the same day", () => {
    const { project } = rawConfigOfTier('production');
    assert.equal(project.cloudflareIpRangesFallback.asOf, CLOUDFLARE_RANGES_AS_OF);
    assert.deepEqual([...project.cloudflareIpRangesFallback.ipv4].sort(), [...CLOUDFLARE_IPV4].sort());
    assert.deepEqual([...project.cloudflareIpRangesFallback.ipv6].sort(), [...CLOUDFLARE_IPV6].sort());
  });
});
