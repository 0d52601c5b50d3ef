import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { DEFAULT_ASSUMPTIONS } from '../../src/preview/cost/assumptions';
import { estimateCost } from '../../src/preview/cost/estimate';
import { HOURS_PER_MONTH, isStale, readPriceTable, type Price, type PriceTable } from '../../src/preview/cost/prices';
import { costDelta, renderCostText, renderDeltaMarkdown } from '../../src/preview/cost/render';
import { exampleEnvironments, REPO_ROOT } from '../support/synth';
import { join } from 'node:path';

const price = (usd: number, unit: Price['unit'], checked = '2026-11-01'): Price => ({
  usd,
  unit,
  source: 'https://example.com/pricing',
  checked,
});
const table: PriceTable = {
  regions: {
    'eu-west-1': {
      'eks.cluster.standard': price(0.1, 'hour'),
      'ec2.m7g.large': price(0.1, 'hour'),
      'ec2.c7g.large': price(0.08, 'hour'),
      'ebs.gp3': price(0.1, 'GB-month'),
      'nat.hour': price(0.05, 'hour', '2025-01-01'),
      'rds.postgres.db.r7g.large': price(0.3, 'hour'),
    },
  },
};
const provider = { provider: { aws: [{ region: 'eu-west-1' }] } };
const stack = (name: string, resource: TerraformJson['resource']) => stackDocument(name, { ...provider, resource } as TerraformJson);
const today = new Date('2026-12-01T00:00:00Z');

describe('cost estimate', () => {
  it('prices node groups at desired size, Multi-AZ databases twice, and names missing prices', () => {
    const platform = stack('dev-platform', {
      aws_eks_cluster: { eks: { name: 'c', upgrade_policy: { support_type: 'STANDARD' } } },
      aws_eks_node_group: {
        ng: { instance_types: ['m7g.large'], scaling_config: { desired_size: 3, min_size: 2, max_size: 6 }, disk_size: 20 },
      },
    });
    const data = stack('dev-data', {
      aws_db_instance: {
        db: { engine: 'postgres', instance_class: 'db.r7g.large', multi_az: true, allocated_storage: 100, storage_type: 'gp3' },
      },
    });
    const { lines } = estimateCost([platform, data], table, DEFAULT_ASSUMPTIONS, today);
    const of = (key: string) => lines.filter((l) => l.priceKey === key);
    assert.equal(HOURS_PER_MONTH, 730);
    assert.equal(of('eks.cluster.standard')[0]!.monthly, 73);
    assert.equal(of('ec2.m7g.large')[0]!.monthly, 219, '3 nodes × 730 h × 0.10');
    assert.equal(of('ebs.gp3')[0]!.monthly, 6, '3 × 20 GiB × 0.10');
    assert.equal(of('rds.postgres.db.r7g.large')[0]!.monthly, 438, 'primary and standby × 730 h × 0.30');
    assert.equal(of('rds.gp3')[0]!.monthly, undefined, 'no price in the table: unpriced, not guessed');
    assert.match(renderCostText({ lines, stale: [] }), /no price for rds\.gp3/);
  });

  it('sizes a NodePool from the stated baseline of its cpu limit on the cheapest admitted type, with the Auto Mode fee', () => {
    const nodePool = {
      manifest: {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'general' },
        spec: {
          limits: { cpu: '64' },
          template: {
            spec: {
              requirements: [
                { key: 'eks.amazonaws.com/instance-category', operator: 'In', values: ['c', 'm'] },
                { key: 'eks.amazonaws.com/instance-generation', operator: 'Gt', values: ['6'] },
                { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
              ],
            },
          },
        },
      },
    };
    const { lines } = estimateCost(
      [stack('dev-cluster', { kubernetes_manifest: { pool: nodePool } })],
      table,
      { ...DEFAULT_ASSUMPTIONS, nodePoolBaseline: 0.25 },
      today,
    );
    const compute = lines.find((l) => l.priceKey.startsWith('ec2.'))!;
    assert.equal(compute.priceKey, 'ec2.c7g.large');
    assert.match(compute.item, /NodePool general: 8 × c7g\.large/, '25% of 64 vCPU on 2-vCPU nodes');
    assert.match(compute.assumption!, /assumed baseline 25% of spec\.limits\.cpu 64 \(NodePools have no minimum/);
    assert.ok(lines.some((l) => l.priceKey === 'eks.automode.c7g.large' && l.monthly === undefined));
  });

  it('warns about prices older than six months and reports the delta to a base', () => {
    const base = estimateCost([stack('dev-network', { aws_nat_gateway: { a: {} } })], table, DEFAULT_ASSUMPTIONS, today);
    const head = estimateCost([stack('dev-network', { aws_nat_gateway: { a: {}, b: {} } })], table, DEFAULT_ASSUMPTIONS, today);
    assert.deepEqual(head.stale, [{ region: 'eu-west-1', key: 'nat.hour', checked: '2025-01-01' }]);
    assert.equal(isStale('2026-06-02', today), false);
    assert.equal(isStale('2026-05-31', today), true);
    const markdown = renderDeltaMarkdown(costDelta(base, head), 'main -> head');
    assert.match(markdown, /\| dev \| 36\.50 \| 73\.00 \| \+36\.50 \|/);
    assert.match(markdown, /older than 6 months/);
  });

  it('the committed price table is valid, dated, cites a source per line and covers every configured region', () => {
    const committed = readPriceTable(join(REPO_ROOT, 'pricing', 'prices.json'));
    for (const env of exampleEnvironments()) assert.ok(committed.regions[env.region], `prices for ${env.region} (${env.name})`);
    for (const prices of Object.values(committed.regions))
      for (const entry of Object.values(prices)) assert.match(entry.source, /https:\/\//);
  });
});
