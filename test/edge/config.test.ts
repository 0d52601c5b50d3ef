import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load';
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, CLOUDFLARE_RANGES_AS_OF } from '../../src/checks/policy/rules/_edge-cloudflare-ranges';
import { configWith, rawConfig } from '../support/synth';

const fallback = (r: any) => r.project.cloudflareIpRangesFallback;

const CASES: { name: string; env?: string; mutate: (r: any) => void; path: string; message: RegExp }[] = [
  { name: 'unknown range source', mutate: (r) => (r.environment.edge.cloudflareIpRanges.source = 'api'), path: 'edge.cloudflareIpRanges.source', message: /"data-source" or "fallback"/ },
  { name: 'fallback without a date', mutate: (r) => delete fallback(r).asOf, path: 'cloudflareIpRangesFallback.asOf', message: /./ },
  { name: 'fallback dated in the future', mutate: (r) => (fallback(r).asOf = '2999-01-01'), path: 'cloudflareIpRangesFallback.asOf', message: /not be in the future/ },
  { name: 'IPv4 range broader than /8', mutate: (r) => fallback(r).ipv4.push('64.0.0.0/7'), path: 'cloudflareIpRangesFallback.ipv4.15', message: /\/8 or narrower.*Block Public Access/ },
  { name: 'malformed IPv6 range', mutate: (r) => (fallback(r).ipv6[0] = '2400:CB00::/32'), path: 'cloudflareIpRangesFallback.ipv6.0', message: /lowercase IPv6 CIDR/ },
  { name: 'IPv6 range too broad to split', mutate: (r) => (fallback(r).ipv6[0] = '2400::/16'), path: 'cloudflareIpRangesFallback.ipv6.0', message: /\/24 or narrower/ },
  { name: 'repeated range', mutate: (r) => fallback(r).ipv4.push(fallback(r).ipv4[0]), path: 'cloudflareIpRangesFallback.ipv4', message: /not repeat/ },
  { name: 'two hosts with one label', mutate: (r) => (r.environment.edge.hosts.admin = 'app'), path: 'edge.hosts.admin', message: /must differ from hosts\.app/ },
  { name: 'MAIL FROM label taken by a host', mutate: (r) => (r.environment.edge.email.mailFromLabel = 'media'), path: 'edge.email.mailFromLabel', message: /cannot coexist with a CNAME/ },
  { name: 'production without DMARC enforcement', mutate: (r) => (r.environment.edge.email.dmarcPolicy = 'none'), path: 'edge.email.dmarcPolicy', message: /"quarantine" or "reject"/ },
];

describe('edge config', () => {
  for (const c of CASES) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => configWith(c.env ?? 'prod', c.mutate),
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
    const cfg = configWith('dev', (r) => {
      delete r.environment.edge.cloudflareIpRanges.source;
    });
    assert.equal(cfg.edge.cloudflareIpRanges.source, 'data-source');
    assert.equal(cfg.edge.accessLogRetentionDays, 90);
    assert.equal(cfg.edge.email.mailFromLabel, 'mail');
  });

  it('allows DMARC "none" outside production', () => {
    assert.equal(configWith('dev', (r) => (r.environment.edge.email.dmarcPolicy = 'none')).edge.email.dmarcPolicy, 'none');
  });
});

describe('Cloudflare range lists', () => {
  it('the config fallback and the policy checks\' reference copy are the same list of the same day', () => {
    const { project } = rawConfig('prod');
    assert.equal(project.cloudflareIpRangesFallback.asOf, CLOUDFLARE_RANGES_AS_OF);
    assert.deepEqual([...project.cloudflareIpRangesFallback.ipv4].sort(), [...CLOUDFLARE_IPV4].sort());
    assert.deepEqual([...project.cloudflareIpRangesFallback.ipv6].sort(), [...CLOUDFLARE_IPV6].sort());
  });
});
