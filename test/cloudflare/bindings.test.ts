import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Fn, type TerraformStack } from 'cdktn';
import { SchemaSet } from '../../src/checks/schema/provider-schema';
import { validateStack } from '../../src/checks/schema/validate';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { CloudflareDnsRecord, type CloudflareDnsRecordConfig } from '../../src/constructs/cloudflare/dns-record';
import { DataCloudflareIpRanges } from '../../src/constructs/cloudflare/ip-ranges';
import { CLOUDFLARE_PROVIDER_VERSION, CloudflareProvider } from '../../src/constructs/cloudflare/provider';
import { DataCloudflareZone } from '../../src/constructs/cloudflare/zone';
import { REPO_ROOT, synthOneStack } from '../support/synth';

const CLOUDFLARE_SCHEMA = join(REPO_ROOT, 'schemas', 'cloudflare-provider-v5.json');

function everything(stack: TerraformStack): void {
  new CloudflareProvider(stack, 'cloudflare');
  const zone = new DataCloudflareZone(stack, 'zone', { name: 'example.com' });
  const ranges = new DataCloudflareIpRanges(stack, 'ranges');
  new CloudflareDnsRecord(stack, 'app', { zoneId: zone.zoneId, name: 'app.example.com', type: 'CNAME', content: 'lb.example.net', ttl: 1, proxied: true });
  new CloudflareDnsRecord(stack, 'mx', { zoneId: zone.zoneId, name: 'mail.example.com', type: 'MX', content: 'feedback-smtp.eu-west-1.amazonses.com', ttl: 3600, priority: 10 });
  new CloudflareDnsRecord(stack, 'ranges-txt', { zoneId: zone.zoneId, name: 'ranges.example.com', type: 'TXT', content: Fn.element(ranges.ipv4Cidrs, 0), ttl: 300 });
}

const problems = (doc: TerraformJson) => validateStack(stackDocument('cf', doc), SchemaSet.fromFiles([CLOUDFLARE_SCHEMA]));

describe('Cloudflare v5 bindings', () => {
  const doc = synthOneStack('cf', everything);

  it('declare cloudflare/cloudflare at its pinned version and a provider block without credentials', () => {
    const cloudflare = doc.terraform?.required_providers?.cloudflare;
    assert.deepEqual(cloudflare, { source: 'cloudflare/cloudflare', version: CLOUDFLARE_PROVIDER_VERSION });
    assert.match(CLOUDFLARE_PROVIDER_VERSION, /^5\.\d+\.\d+$/, 'one exact v5 version, never a range');
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
    assert.deepEqual(app, { zone_id: '${data.cloudflare_zone.zone.id}', name: 'app.example.com', type: 'CNAME', content: 'lb.example.net', ttl: 1, proxied: true });
    assert.equal((records.mx as any).priority, 10);
    assert.equal((records.mx as any).proxied, false);
    assert.ok(Object.values(records).every((r: any) => typeof r.ttl === 'number'));
  });

  it('expose the ip ranges as plan-time lists', () => {
    assert.ok('ranges' in (doc.data?.cloudflare_ip_ranges ?? {}));
    assert.equal((doc.resource!.cloudflare_dns_record!['ranges-txt'] as any).content, '${element(data.cloudflare_ip_ranges.ranges.ipv4_cidrs, 0)}');
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
    const kinds = problems(broken).map((p) => `${p.kind} ${p.path}`);
    assert.deepEqual(kinds.sort(), [
      'computed-argument data.cloudflare_zone.zone.name',
      'missing-argument resource.cloudflare_dns_record.mx.ttl',
      'unknown-argument provider.cloudflare[0].api_tokn',
      'unknown-argument resource.cloudflare_dns_record.app.value',
    ]);
  });

  describe('dns record validation', () => {
    const base: CloudflareDnsRecordConfig = { zoneId: 'z', name: 'a.example.com', type: 'CNAME', content: 'b.example.net', ttl: 300 };
    const cases: [string, Partial<CloudflareDnsRecordConfig>, RegExp][] = [
      ['ttl out of range', { ttl: 30 }, /ttl must be 1 \(automatic\) or a whole number of seconds from 60 to 86400/],
      ['proxied with a fixed ttl', { proxied: true, ttl: 300 }, /proxied record must use ttl 1/],
      ['proxied TXT', { type: 'TXT', proxied: true, ttl: 1 }, /proxied is only allowed for A, AAAA, CNAME/],
      ['MX without priority', { type: 'MX' }, /priority is required for MX records/],
      ['priority on a CNAME', { priority: 5 }, /priority is only allowed for MX records/],
      ['trailing dot', { name: 'a.example.com.' }, /lowercase fully qualified name without a trailing dot/],
      ['unsupported type', { type: 'SRV' as never }, /type must be one of A, AAAA, CNAME, MX, TXT/],
    ];
    for (const [what, change, message] of cases) {
      it(`rejects ${what}`, () => {
        assert.throws(() => synthOneStack('cf', (stack) => new CloudflareDnsRecord(stack, 'r', { ...base, ...change })), message);
      });
    }
  });
});
