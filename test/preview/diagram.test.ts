import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stackDocument } from '../../src/checks/terraform-json';
import { buildModel } from '../../src/preview/diagram/model';
import { renderSvg, toDot } from '../../src/preview/diagram/render';
import { exampleEnvironments, exampleStacks, REPO_ROOT } from '../support/synth';

const stacks = [...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as never));

describe('architecture diagram', () => {
  for (const env of exampleEnvironments()) {
    it(`docs/architecture/${env.name}.svg is what npm run diagram draws now`, async () => {
      const committed = readFileSync(join(REPO_ROOT, 'docs', 'architecture', `${env.name}.svg`), 'utf8');
      assert.equal(
        await renderSvg(buildModel(env.name, stacks)),
        committed,
        `stale: run npm run diagram and commit docs/architecture/${env.name}.svg`,
      );
    });
  }

  it('places the stores in the data tier and draws the ingress rules as edges', () => {
    const prod = exampleEnvironments().find((env) => env.tier === 'production')!;
    const model = buildModel(prod.name, stacks);
    const stores = model.nodes.filter((n) => n.kind === 'store');
    assert.ok(stores.length >= 3);
    assert.ok(
      stores.every((n) => n.tier === 'data'),
      JSON.stringify(stores),
    );
    const postgres = stores.find((n) => n.label.startsWith('PostgreSQL'))!;
    assert.ok(
      model.edges.some((e) => e.to === postgres.id && e.label === 'tcp 5432'),
      'the workload nodes reach PostgreSQL on 5432',
    );
    assert.ok(
      model.edges.some((e) => e.from === 'cloudflare' && /tcp 443/.test(e.label)),
      'Cloudflare reaches the load balancer',
    );
    assert.equal(model.vpc?.subnets.data.length, prod.network.azCount);
    assert.equal(toDot(model), toDot(buildModel(prod.name, stacks)), 'deterministic');
  });
});
