import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocate, contains, formatCidr, overlaps, parseCidr } from '../../src/config/cidr';
import { planNetwork } from '../../src/config/network-plan';
import { configOfTier } from '../support/synth';

const cidr = (text: string) => parseCidr(text)!;

describe('CIDR arithmetic', () => {
  it('parses canonical blocks and rejects host bits, bad octets and prefixes', () => {
    assert.equal(formatCidr(cidr('10.20.0.0/16')), '10.20.0.0/16');
    for (const bad of ['10.20.0.1/16', '256.0.0.0/8', '10.0.0.0/33', '10.0.0/16', 'fd00::/8']) assert.equal(parseCidr(bad), undefined, bad);
  });

  it('detects containment and overlap', () => {
    assert.ok(contains(cidr('10.0.0.0/16'), cidr('10.0.255.0/24')));
    assert.ok(!contains(cidr('10.0.0.0/16'), cidr('10.1.0.0/24')));
    assert.ok(overlaps(cidr('10.0.0.0/23'), cidr('10.0.1.0/24')));
    assert.ok(!overlaps(cidr('10.0.0.0/24'), cidr('10.0.1.0/24')));
  });

  it('packs blocks largest first, aligned, without overlap', () => {
    const blocks = allocate(cidr('10.0.0.0/16'), [24, 19, 24, 19])!.map(formatCidr);
    assert.deepEqual(blocks, ['10.0.64.0/24', '10.0.0.0/19', '10.0.65.0/24', '10.0.32.0/19']);
    assert.equal(allocate(cidr('10.0.0.0/20'), [19]), undefined);
    assert.equal(allocate(cidr('10.0.0.0/22'), [23, 23, 24]), undefined);
  });
});

describe('network plan', () => {
  it('gives every tier one non-overlapping subnet per zone inside the VPC', () => {
    const config = configOfTier('production', () => undefined);
    const plan = planNetwork(config.network, config.region)!;
    assert.deepEqual(
      plan.availabilityZones,
      ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, config.network.azCount).map((z) => `${config.region}${z}`),
    );
    const all = [...plan.subnetCidrs.public, ...plan.subnetCidrs.private, ...plan.subnetCidrs.data].map(cidr);
    assert.equal(all.length, 9);
    for (const [i, a] of all.entries()) {
      assert.ok(contains(cidr(config.network.vpcCidr), a));
      for (const b of all.slice(i + 1)) assert.ok(!overlaps(a, b), `${formatCidr(a)} overlaps ${formatCidr(b)}`);
    }
    assert.ok(plan.subnetCidrs.private.every((c) => c.endsWith('/19')));
  });

  it('uses explicit zone names when configured', () => {
    const zones = (r: { environment: any }) => ['c', 'a', 'b'].map((z) => `${r.environment.region}${z}`);
    const config = configOfTier('production', (r) => (r.environment.network.availabilityZones = zones(r)));
    assert.deepEqual(
      config.networkPlan.availabilityZones,
      ['c', 'a', 'b'].map((z) => `${config.region}${z}`),
    );
  });
});
