import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stackDocument } from '../../src/checks/terraform-json';
import { buildModel } from '../../src/preview/diagram/model';
import { renderSvg, toDot } from '../../src/preview/diagram/render';
import { runCli } from '../support/command';
import { exampleEnvironments, exampleOutput, exampleStacks, REPO_ROOT } from '../support/synth';

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

  it('docs/architecture has a diagram for each environment and none for another', () => {
    const names = exampleEnvironments().map((env) => `${env.name}.svg`);
    assert.deepEqual(readdirSync(join(REPO_ROOT, 'docs', 'architecture')).sort(), names.sort());
  });

  it("deletes a removed environment's diagram (--check reports it), unless --env limits the run", async () => {
    const out = mkdtempSync(join(tmpdir(), 'diagram-'));
    try {
      const orphan = join(out, 'retired.dot');
      writeFileSync(orphan, 'digraph {}\n');
      writeFileSync(join(out, 'notes.txt'), 'not a diagram\n');
      const dot = (...args: string[]) => runCli('diagram', ['--format', 'dot', '--out', out, '--dir', exampleOutput(), ...args]);
      const [first] = exampleEnvironments();
      assert.equal((await dot('--env', first!.name)).status, 0);
      assert.ok(existsSync(orphan), 'a run for some environments leaves the others alone');
      const check = await dot('--check');
      assert.equal(check.status, 1);
      assert.match(check.stdout, /retired\.dot \(no such environment: delete it\)/);
      const write = await dot();
      assert.equal(write.status, 0, write.stderr);
      assert.match(write.stdout, /retired\.dot: deleted, no such environment/);
      const expected = exampleEnvironments().map((env) => `${env.name}.dot`);
      assert.deepEqual(readdirSync(out).sort(), [...expected, 'notes.txt'].sort(), 'only diagrams of the format are touched');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

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
