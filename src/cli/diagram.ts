// `npm run diagram [-- --env <name>]... [--out <dir>] [--format svg|dot] [--check]`
// One architecture diagram per environment from the synthesized JSON, laid out by Graphviz (WebAssembly), written to
// docs/architecture/<env>.svg. --check compares instead of writing and exits 1 when a committed diagram is stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { providerTierOf } from '../checks/environment-tier';
import { readStacks } from '../checks/terraform-json';
import { buildModel } from '../preview/diagram/model';
import { diagramSection, withDiagramSection } from '../preview/diagram/page';
import { isCurrent, renderSvg, toDot } from '../preview/diagram/render';
import { envList, environmentsOf, selectEnvironments } from '../preview/resources';
import { parseCommandArgs } from './args';
import { PROJECT_ROOT } from '../project-root';
import { runMain } from './entry';
import { SYNTH_OUT_DIR } from '../layers';

const DIAGRAM_DIR = join('docs', 'architecture');

const USAGE = `usage: npm run diagram -- [--env <name>]... [--out <dir>] [--format svg|dot] [--check] [--dir <dir>]
  --env     only these environments (repeatable or comma-separated; default: all)
  --out     where <env>.svg (or .dot) goes (default: ${DIAGRAM_DIR})
  --format  svg (default) or dot (the Graphviz source)
  --check   write nothing; exit 1 when a file in --out differs from what would be written
Without --env, a diagram in --out of an environment that is no longer synthesized is deleted, and the page beside
--out (docs/architecture.md beside docs/architecture/) gets the list of diagrams (--check: both reported).
  --dir     the synthesized output (default: ${SYNTH_OUT_DIR}; npm run diagram synthesizes it first)`;

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseCommandArgs('diagram', argv, { values: ['env', 'out', 'format', 'dir'], flags: ['check'] }, USAGE);
  if (typeof args === 'number') return args;
  const format = args.values.get('format')?.at(-1) ?? 'svg';
  if (format !== 'svg' && format !== 'dot') {
    console.error(`diagram: --format must be "svg" or "dot", got ${JSON.stringify(format)}`);
    return 2;
  }
  try {
    const dir = relative(process.cwd(), resolve(args.values.get('dir')?.at(-1) ?? join(PROJECT_ROOT, SYNTH_OUT_DIR))) || '.';
    const stacks = selectEnvironments(readStacks(dir), envList(args.values.get('env')));
    if (stacks.length === 0) throw new Error(`no synthesized stacks in ${dir}: run npm run synth first`);
    const out = args.values.get('out')?.at(-1) ?? join(PROJECT_ROOT, DIAGRAM_DIR);
    const stale: string[] = [];
    let written = 0;
    // A removed environment's diagram would otherwise stay in the docs as if it still ran.
    const environments = new Set(environmentsOf(stacks));
    const orphans = args.values.has('env')
      ? []
      : (existsSync(out) ? readdirSync(out) : [])
          .filter((file) => file.endsWith(`.${format}`) && !environments.has(file.slice(0, -`.${format}`.length)))
          .map((file) => join(out, file));
    for (const file of orphans) {
      if (args.flags.has('check')) stale.push(`${relative(process.cwd(), file)} (no such environment: delete it)`);
      else {
        rmSync(file);
        console.log(`${relative(process.cwd(), file)}: deleted, no such environment`);
      }
    }
    for (const env of environmentsOf(stacks)) {
      const model = buildModel(env, stacks);
      const file = join(out, `${env}.${format}`);
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      // An SVG carries the digest of its source: a current one is neither laid out again nor rewritten.
      const current = committed !== undefined && (format === 'svg' ? isCurrent(committed, model) : committed === toDot(model));
      if (args.flags.has('check')) {
        if (!current) stale.push(relative(process.cwd(), file));
        continue;
      }
      if (current) {
        console.log(`${relative(process.cwd(), file)}: current`);
        continue;
      }
      if (format === 'svg') console.error(`diagram: laying out ${env}`);
      written++;
      const text = format === 'svg' ? await renderSvg(model) : toDot(model);
      mkdirSync(out, { recursive: true });
      writeFileSync(file, text);
      console.log(`${relative(process.cwd(), file)}: ${model.nodes.length} nodes, ${model.edges.length} edges`);
    }
    const page = `${out}.md`;
    if (!args.values.has('env') && format === 'svg' && existsSync(page)) {
      const tierOf = (env: string) =>
        stacks
          .filter((stack) => stack.environment === env)
          .map((stack) => providerTierOf(stack.doc))
          .find(Boolean);
      const section = diagramSection(
        [...environments].map((name) => ({ name, tier: tierOf(name) })),
        basename(out),
      );
      const text = readFileSync(page, 'utf8');
      const updated = withDiagramSection(text, section);
      if (text !== updated && args.flags.has('check')) stale.push(`${relative(process.cwd(), page)} (its list of diagrams)`);
      else if (text !== updated) {
        writeFileSync(page, updated);
        console.log(`${relative(process.cwd(), page)}: list of diagrams updated`);
      }
    }
    if (args.flags.has('check')) {
      console.log(
        stale.length ? `diagram: stale: ${stale.join(', ')}; run npm run diagram and commit them` : 'diagram: every diagram is current',
      );
      return stale.length ? 1 : 0;
    }
    const count = environmentsOf(stacks).length;
    console.log(
      `diagram: ${count} environment${count === 1 ? '' : 's'} in ${relative(process.cwd(), out) || '.'}, ` +
        `${written} written, ${count - written} already current`,
    );
    return 0;
  } catch (error) {
    console.error(`diagram: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) runMain(main);
