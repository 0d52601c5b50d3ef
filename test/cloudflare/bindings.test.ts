import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Fn, type TerraformStack } from 'cdktn';
import { SchemaSet } from '../../src/checks/schema/provider-schema';
import { validateStack } from '../../src/checks/schema/validate';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { CloudflareAuthenticatedOriginPulls } from '../../src/constructs/cloudflare/authenticated-origin-pulls';
import { CloudflareCloudConnectorRules } from '../../src/constructs/cloudflare/cloud-connector-rules';
import { CloudflareDnsRecord, type CloudflareDnsRecordConfig } from '../../src/constructs/cloudflare/dns-record';
import { DataCloudflareIpRanges } from '../../src/constructs/cloudflare/ip-ranges';
import { CLOUDFLARE_PROVIDER_VERSION, CloudflareProvider } from '../../src/constructs/cloudflare/provider';
import { CloudflareRuleset, type CloudflareRulesetConfig } from '../../src/constructs/cloudflare/ruleset';
import { DataCloudflareZone } from '../../src/constructs/cloudflare/zone';
import { CloudflareZoneSetting } from '../../src/constructs/cloudflare/zone-setting';
import { REPO_ROOT, synthOneStack } from '../support/synth';

const CLOUDFLARE_SCHEMA = join(REPO_ROOT, 'schemas', 'cloudflare-provider-v5.json');

function everything(stack: TerraformStack): void {
  new CloudflareProvider(stack, 'cloudflare');
  const zone = new DataCloudflareZone(stack, 'zone', { name: 'example.com' });
  const ranges = new DataCloudflareIpRanges(stack, 'ranges');
  new CloudflareDnsRecord(stack, 'app', {
    zoneId: zone.zoneId,
    name: 'app.example.com',
    type: 'CNAME',
    content: 'lb.example.net',
    ttl: 1,
    proxied: true,
  });
  new CloudflareDnsRecord(stack, 'mx', {
    zoneId: zone.zoneId,
    name: 'mail.example.com',
    type: 'MX',
    content: 'feedback-smtp.eu-west-1.amazonses.com',
    ttl: 3600,
    priority: 10,
  });
  new CloudflareDnsRecord(stack, 'ranges-txt', {
    zoneId: zone.zoneId,
    name: 'ranges.example.com',
    type: 'TXT',
    content: Fn.element(ranges.ipv4Cidrs, 0),
    ttl: 300,
  });
  new CloudflareDnsRecord(stack, 'caa', {
    zoneId: zone.zoneId,
    name: 'example.com',
    type: 'CAA',
    caa: { flags: 0, tag: 'issue', value: 'amazon.com' },
    ttl: 3600,
  });
  new CloudflareZoneSetting(stack, 'ssl', { zoneId: zone.zoneId, settingId: 'ssl', value: 'strict' });
  new CloudflareZoneSetting(stack, 'hsts', {
    zoneId: zone.zoneId,
    settingId: 'security_header',
    value: { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: true } },
  });
  new CloudflareRuleset(stack, 'waf', {
    zoneId: zone.zoneId,
    name: 'waf',
    description: 'managed',
    phase: 'http_request_firewall_managed',
    rules: [execute],
  });
  new CloudflareRuleset(stack, 'limits', {
    zoneId: zone.zoneId,
    name: 'limits',
    description: 'api',
    phase: 'http_ratelimit',
    rules: [rateLimit],
  });
  new CloudflareRuleset(stack, 'origin', {
    zoneId: zone.zoneId,
    name: 'origin',
    description: 'media',
    phase: 'http_request_origin',
    rules: [
      {
        ref: 'media',
        description: 'media',
        expression: 'http.host eq "media.example.com"',
        action: 'route',
        hostHeader: 'b.s3.eu-west-1.amazonaws.com',
      },
    ],
  });
  new CloudflareAuthenticatedOriginPulls(stack, 'aop', {
    zoneId: zone.zoneId,
    hostname: 'app.example.com',
    certificateId: CERT_ID,
    expectedCertificatePem: PEM,
  });
  new CloudflareCloudConnectorRules(stack, 'connector', {
    zoneId: zone.zoneId,
    rules: [{ description: 'media', expression: 'http.host eq "media.example.com"', bucketHost: 'b.s3.eu-west-1.amazonaws.com' }],
  });
}

const CERT_ID = '2458ce5a-0c35-4c7f-82c7-8e9487d3ff60';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\nZm9v\n-----END CERTIFICATE-----\n';
const execute = {
  ref: 'managed',
  description: 'managed',
  expression: 'true',
  action: 'execute',
  rulesetId: 'efb7b8c949ac4650a09736fc376e9aee',
} as const;
const rateLimit = {
  ref: 'api',
  description: 'api',
  expression: 'http.host eq "api.example.com"',
  action: 'block',
  characteristics: ['ip.src', 'cf.colo.id'],
  periodSeconds: 60,
  requestsPerPeriod: 600,
  mitigationTimeoutSeconds: 60,
} as const;

const problems = (doc: TerraformJson) => validateStack(stackDocument('cf', doc), SchemaSet.fromFiles([CLOUDFLARE_SCHEMA]));

describe('Cloudflare v5 bindings', () => {
  const doc = synthOneStack('cf', everything);

  it('declare cloudflare/cloudflare pinned to one v5 release and a provider block without credentials', () => {
    assert.match(CLOUDFLARE_PROVIDER_VERSION, /^5\.\d+\.\d+$/);
    assert.deepEqual(doc.terraform?.required_providers?.cloudflare, {
      source: 'cloudflare/cloudflare',
      version: CLOUDFLARE_PROVIDER_VERSION,
    });
    assert.deepEqual(doc.provider?.cloudflare, [{}]);
    assert.ok(!JSON.stringify(doc).includes('api_token'));
  });

  it('look up the zone with the v5 filter syntax, active zones only', () => {
    assert.deepEqual(doc.data?.cloudflare_zone?.zone?.filter, { name: 'example.com', status: 'active' });
    assert.equal((doc.resource?.cloudflare_dns_record?.app as any)?.zone_id, '${data.cloudflare_zone.zone.id}');
  });

  it('render dns records with snake_case arguments, ttl always set, proxied false by default', () => {
    const records = doc.resource!.cloudflare_dns_record!;
    const { '//': _app, ...app } = records.app as Record<string, unknown>;
    assert.deepEqual(app, {
      zone_id: '${data.cloudflare_zone.zone.id}',
      name: 'app.example.com',
      type: 'CNAME',
      content: 'lb.example.net',
      ttl: 1,
      proxied: true,
    });
    assert.equal((records.mx as any).priority, 10);
    assert.equal((records.mx as any).proxied, false);
    assert.ok(Object.values(records).every((r: any) => typeof r.ttl === 'number'));
  });

  it('expose the ip ranges as plan-time lists', () => {
    assert.ok('ranges' in (doc.data?.cloudflare_ip_ranges ?? {}));
    assert.equal(
      (doc.resource!.cloudflare_dns_record!['ranges-txt'] as any).content,
      '${element(data.cloudflare_ip_ranges.ranges.ipv4_cidrs, 0)}',
    );
  });

  it('render CAA records with data and no content', () => {
    const { '//': _caa, ...caa } = doc.resource!.cloudflare_dns_record!.caa as Record<string, unknown>;
    assert.deepEqual(caa, {
      zone_id: '${data.cloudflare_zone.zone.id}',
      name: 'example.com',
      type: 'CAA',
      ttl: 3600,
      data: { flags: 0, tag: 'issue', value: 'amazon.com' },
      proxied: false,
    });
  });

  it('render zone settings with their value as given, nested objects in snake_case', () => {
    const settings = doc.resource!.cloudflare_zone_setting as Record<string, any>;
    assert.deepEqual([settings.ssl.setting_id, settings.ssl.value], ['ssl', 'strict']);
    assert.equal(settings.hsts.value.strict_transport_security.max_age, 31536000);
  });

  it('render entry-point rulesets of kind zone with one action per phase', () => {
    const rulesets = doc.resource!.cloudflare_ruleset as Record<string, any>;
    assert.deepEqual(
      Object.values(rulesets)
        .map((r) => `${r.kind} ${r.phase}`)
        .sort(),
      ['zone http_ratelimit', 'zone http_request_firewall_managed', 'zone http_request_origin'],
    );
    assert.deepEqual(rulesets.waf.rules[0].action_parameters, { id: execute.rulesetId });
    assert.deepEqual(rulesets.limits.rules[0].ratelimit, {
      characteristics: ['ip.src', 'cf.colo.id'],
      period: 60,
      requests_per_period: 600,
      mitigation_timeout: 60,
    });
    assert.deepEqual(rulesets.origin.rules[0].action_parameters, { host_header: 'b.s3.eu-west-1.amazonaws.com' });
  });

  it('render one hostname per origin-pull association, checking the certificate Cloudflare reports', () => {
    const aop = (doc.resource!.cloudflare_authenticated_origin_pulls as Record<string, any>).aop;
    assert.deepEqual(aop.config, [{ hostname: 'app.example.com', cert_id: CERT_ID, enabled: true }]);
    assert.ok(!('private_key' in aop));
    const [check] = aop.lifecycle.postcondition;
    assert.equal(check.condition, '${replace(self.certificate, "/-----[A-Z ]+-----|[[:space:]]/", "") == "MIIBszCCAVmgAwIBAgIUZm9v"}');
  });

  it('render cloud connector rules for S3 with the bucket host', () => {
    const { rules } = (doc.resource!.cloudflare_cloud_connector_rules as Record<string, any>).connector;
    assert.deepEqual(rules, [
      {
        description: 'media',
        enabled: true,
        expression: 'http.host eq "media.example.com"',
        provider: 'aws_s3',
        parameters: { host: 'b.s3.eu-west-1.amazonaws.com' },
      },
    ]);
  });

  it('synthesize JSON the v5 schema accepts', () => {
    assert.deepEqual(problems(doc), []);
  });

  it('the committed v5 schema rejects what the provider does not document', () => {
    const broken = structuredClone(doc) as any;
    broken.resource.cloudflare_dns_record.app.value = 'lb.example.net'; // v4 argument name
    delete broken.resource.cloudflare_dns_record.mx.ttl;
    broken.data.cloudflare_zone.zone = { name: 'example.com' }; // v4 lookup syntax
    broken.provider.cloudflare = [{ api_tokn: 'x' }];
    delete broken.resource.cloudflare_zone_setting.ssl.value;
    broken.resource.cloudflare_ruleset.waf.rules[0].action_parameters.ruleset_id = 'x';
    broken.resource.cloudflare_authenticated_origin_pulls.aop.private_key = 'x';
    broken.resource.cloudflare_cloud_connector_rules.connector.rules[0].parameters.bucket = 'x';
    const kinds = problems(broken).map((p) => `${p.kind} ${p.path}`);
    assert.deepEqual(kinds.sort(), [
      'computed-argument data.cloudflare_zone.zone.name',
      'computed-argument resource.cloudflare_authenticated_origin_pulls.aop.private_key',
      'missing-argument resource.cloudflare_dns_record.mx.ttl',
      'missing-argument resource.cloudflare_zone_setting.ssl.value',
      'unknown-argument provider.cloudflare[0].api_tokn',
      'unknown-argument resource.cloudflare_cloud_connector_rules.connector.rules[0].parameters.bucket',
      'unknown-argument resource.cloudflare_dns_record.app.value',
      'unknown-argument resource.cloudflare_ruleset.waf.rules[0].action_parameters.ruleset_id',
    ]);
  });

  describe('dns record validation', () => {
    const base: CloudflareDnsRecordConfig = { zoneId: 'z', name: 'a.example.com', type: 'CNAME', content: 'b.example.net', ttl: 300 };
    const cases: [string, Partial<CloudflareDnsRecordConfig>, RegExp][] = [
      ['ttl out of range', { ttl: 30 }, /ttl must be 1 \(automatic\) or a whole number of seconds from 60 to 86400/],
      ['proxied with a fixed ttl', { proxied: true, ttl: 300 }, /ttl must be 1 \(automatic\) on a proxied record.* \(got 300\)/],
      ['proxied TXT', { type: 'TXT', proxied: true, ttl: 1 }, /proxied must be false unless type is A, AAAA, CNAME \(got true\)/],
      [
        'MX without priority',
        { type: 'MX' },
        /priority must be a whole number from 0 to 65535 \(required for MX records\) \(got undefined\)/,
      ],
      ['priority on a CNAME', { priority: 5 }, /priority must be absent unless type is MX \(got 5\)/],
      [
        'trailing dot',
        { name: 'a.example.com.' },
        /name must be a lowercase fully qualified name without a trailing dot \(got "a\.example\.com\."\)/,
      ],
      ['unsupported type', { type: 'SRV' as never }, /type must be one of A, AAAA, CNAME, MX, TXT, CAA \(got "SRV"\)/],
      [
        'CAA without its parts',
        { type: 'CAA', content: '0 issue "amazon.com"' },
        /caa must be the parts \(flags, tag, value\) of a CAA record \(got undefined\)/,
      ],
      ['CAA parts on a CNAME', { caa: { flags: 0, tag: 'issue', value: 'amazon.com' } }, /caa must be absent unless type is CAA/],
    ];
    for (const [what, change, message] of cases) {
      it(`rejects ${what}`, () => {
        assert.throws(() => synthOneStack('cf', (stack) => new CloudflareDnsRecord(stack, 'r', { ...base, ...change })), message);
      });
    }
  });

  describe('ruleset validation', () => {
    const base: CloudflareRulesetConfig = {
      zoneId: 'z',
      name: 'r',
      description: 'd',
      phase: 'http_request_firewall_managed',
      rules: [execute],
    };
    const cases: [string, Partial<CloudflareRulesetConfig>, RegExp][] = [
      ['no rules', { rules: [] }, /rules must be at least one rule/],
      ['an action the phase does not run', { phase: 'http_ratelimit' }, /action must be "block" in phase http_ratelimit/],
      [
        'a managed ruleset id that is not one',
        { rules: [{ ...execute, rulesetId: 'cloudflare-managed' }] },
        /rulesetId must be 32 hexadecimal characters/,
      ],
      ['repeated refs', { rules: [execute, execute] }, /ref must be unique and not empty/],
      [
        'a rate limit without cf.colo.id',
        { phase: 'http_ratelimit', rules: [{ ...rateLimit, characteristics: ['ip.src'] }] },
        /must be a list that includes "cf.colo.id"/,
      ],
    ];
    for (const [what, change, message] of cases) {
      it(`rejects ${what}`, () => {
        assert.throws(() => synthOneStack('cf', (stack) => new CloudflareRuleset(stack, 'r', { ...base, ...change })), message);
      });
    }
  });

  it("rejects an origin-pull certificate id that is not Cloudflare's and a bucket host that is not a regional S3 endpoint", () => {
    assert.throws(
      () =>
        synthOneStack(
          'cf',
          (stack) =>
            new CloudflareAuthenticatedOriginPulls(stack, 'a', { zoneId: 'z', hostname: 'a.example.com', certificateId: 'my-cert' }),
        ),
      /certificateId must be the id Cloudflare returned/,
    );
    assert.throws(
      () =>
        synthOneStack(
          'cf',
          (stack) =>
            new CloudflareCloudConnectorRules(stack, 'c', {
              zoneId: 'z',
              rules: [{ description: 'd', expression: 'true', bucketHost: 'media.example.com.s3.amazonaws.com' }],
            }),
        ),
      /bucketHost must be a regional S3 endpoint/,
    );
  });
});
