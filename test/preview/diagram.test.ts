import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stackDocument } from '../../src/checks/terraform-json';
import { buildModel } from '../../src/preview/diagram/model';
import { diagramSection, GENERATED_MARKER, withDiagramSection } from '../../src/preview/diagram/page';
import { isCurrent, renderSvg, toDot } from '../../src/preview/diagram/render';
import { runCli } from '../support/command';
import { exampleEnvironments, exampleOutput, exampleStacks, REPO_ROOT } from '../support/synth';

const stacks = [...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as never));

describe('architecture diagram', () => {
  for (const env of exampleEnvironments()) {
    it(`docs/architecture/${env.name}.svg is what npm run diagram draws now`, () => {
      const committed = readFileSync(join(REPO_ROOT, 'docs', 'architecture', `${env.name}.svg`), 'utf8');
      assert.ok(
        isCurrent(committed, buildModel(env.name, stacks)),
        `stale: run npm run diagram and commit docs/architecture/${env.name}.svg`,
      );
    });
  }

  it('renders an SVG that carries the digest of its source, so a changed model makes it stale', async () => {
    const [env] = exampleEnvironments();
    const model = buildModel(env!.name, stacks);
    const svg = await renderSvg(model);
    assert.match(svg, /<!-- Graphviz source sha256:[0-9a-f]{64} -->\n<svg /);
    assert.ok(isCurrent(svg, model));
    assert.equal(
      svg,
      readFileSync(join(REPO_ROOT, 'docs', 'architecture', `${env!.name}.svg`), 'utf8'),
      'the committed diagram is this rendering, byte for byte',
    );
    const changed = { ...model, nodes: model.nodes.slice(1) };
    assert.ok(!isCurrent(svg, changed));
  });

  it('docs/architecture has a diagram for each environment and none for another', () => {
    const names = exampleEnvironments().map((env) => `${env.name}.svg`);
    assert.deepEqual(readdirSync(join(REPO_ROOT, 'docs', 'architecture')).sort(), names.sort());
  });

  it('docs/architecture.md embeds production and links the other environments, as npm run diagram writes it', () => {
    const page = readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
    assert.equal(page, withDiagramSection(page, diagramSection(exampleEnvironments(), 'architecture')), 'stale: run npm run diagram');
    for (const env of exampleEnvironments()) {
      const link =
        env.tier === 'production' ? `![${env.name} architecture](architecture/${env.name}.svg)` : `(architecture/${env.name}.svg)`;
      assert.ok(page.includes(link), `${env.name}: ${link}`);
    }
  });

  it('embeds every production environment, or else the last to be promoted to, and lists the rest in promotion order', () => {
    const section = diagramSection(
      [
        { name: 'live', tier: 'production' },
        { name: 'qa', tier: 'staging' },
        { name: 'dev', tier: 'development' },
        { name: 'eu', tier: 'production' },
      ],
      'd',
    );
    assert.equal(
      section,
      '## eu\n\n![eu architecture](d/eu.svg)\n\n## live\n\n![live architecture](d/live.svg)\n\n' +
        'The other environments: [dev](d/dev.svg), [qa](d/qa.svg).\n',
    );
    assert.equal(
      diagramSection(
        [
          { name: 'qa', tier: 'staging' },
          { name: 'dev', tier: 'development' },
        ],
        'd',
      ).split('\n')[0],
      '## qa',
    );
    assert.equal(withDiagramSection('# Title\n', 'x\n'), `# Title\n\n${GENERATED_MARKER}\n\nx\n`, 'the marker is added once');
    assert.equal(withDiagramSection(withDiagramSection('# Title\n', 'x\n'), 'y\n'), `# Title\n\n${GENERATED_MARKER}\n\ny\n`);
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

      // The page beside the folder follows the environments the output has: here only the first one.
      const single = join(out, 'single');
      mkdirSync(join(single, 'stacks'), { recursive: true });
      for (const name of readdirSync(join(exampleOutput(), 'stacks')).filter((n) => n.startsWith(`${first!.name}-`)))
        cpSync(join(exampleOutput(), 'stacks', name), join(single, 'stacks', name), { recursive: true });
      const svgs = join(out, 'svgs');
      mkdirSync(svgs);
      writeFileSync(`${svgs}.md`, '# Diagrams\n');
      const svg = await runCli('diagram', ['--out', svgs, '--dir', single]);
      assert.equal(svg.status, 0, svg.stderr);
      assert.match(readFileSync(`${svgs}.md`, 'utf8'), new RegExp(`${GENERATED_MARKER}\\n\\n## ${first!.name}\\n\\n!\\[`));
      assert.equal((await runCli('diagram', ['--out', svgs, '--dir', single, '--check'])).status, 0, 'written, so current');
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
