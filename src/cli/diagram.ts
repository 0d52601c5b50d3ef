// `npm run diagram [-- --env <name>]... [--out <dir>] [--format svg|dot] [--check]`
// One architecture diagram per environment from the synthesized JSON, laid out by Graphviz (WebAssembly), written to
// docs/architecture/<env>.svg. --check compares instead of writing and exits 1 when a committed diagram is stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { providerTierOf } from '../checks/environment-tier';
import { readStacks, type StackDocument } from '../checks/terraform-json';
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
    const dir = shown(resolve(args.values.get('dir')?.at(-1) ?? join(PROJECT_ROOT, SYNTH_OUT_DIR)));
    const stacks = selectEnvironments(readStacks(dir), envList(args.values.get('env')));
    if (stacks.length === 0) throw new Error(`no synthesized stacks in ${dir}: run npm run synth first`);
    const run: Run = {
      out: args.values.get('out')?.at(-1) ?? join(PROJECT_ROOT, DIAGRAM_DIR),
      format,
      check: args.flags.has('check'),
      stale: [],
    };
    // With --env the folder holds other environments' diagrams too: only a full run knows what is left over.
    const everyEnvironment = !args.values.has('env');
    if (everyEnvironment) removeOrphans(run, new Set(environmentsOf(stacks)));
    const written = await draw(run, stacks);
    if (everyEnvironment && format === 'svg') updatePage(run, stacks);
    if (run.check) {
      console.log(
        run.stale.length
          ? `diagram: stale: ${run.stale.join(', ')}; run npm run diagram and commit them`
          : 'diagram: every diagram is current',
      );
      return run.stale.length ? 1 : 0;
    }
    const count = environmentsOf(stacks).length;
    console.log(
      `diagram: ${count} environment${count === 1 ? '' : 's'} in ${shown(run.out)}, ` +
        `${written} written, ${count - written} already current`,
    );
    return 0;
  } catch (error) {
    console.error(`diagram: ${(error as Error).message}`);
    return 1;
  }
}

interface Run {
  readonly out: string;
  readonly format: 'svg' | 'dot';
  /** Report what is stale instead of writing. */
  readonly check: boolean;
  readonly stale: string[];
}

/** A path as the person running the command would type it: relative to where they are, `.` for there. */
const shown = (path: string) => relative(process.cwd(), path) || '.';

/** A removed environment's diagram would otherwise stay in the docs as if it still ran. */
function removeOrphans(run: Run, environments: ReadonlySet<string>): void {
  const extension = `.${run.format}`;
  const orphans = (existsSync(run.out) ? readdirSync(run.out) : [])
    .filter((file) => file.endsWith(extension) && !environments.has(file.slice(0, -extension.length)))
    .map((file) => join(run.out, file));
  for (const file of orphans) {
    if (run.check) run.stale.push(`${shown(file)} (no such environment: delete it)`);
    else {
      rmSync(file);
      console.log(`${shown(file)}: deleted, no such environment`);
    }
  }
}

/** Each environment's diagram; returns how many were written. A current SVG (the digest of its source) is left alone. */
async function draw(run: Run, stacks: readonly StackDocument[]): Promise<number> {
  let written = 0;
  for (const env of environmentsOf(stacks)) {
    const model = buildModel(env, stacks);
    const file = join(run.out, `${env}.${run.format}`);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const current = committed !== undefined && (run.format === 'svg' ? isCurrent(committed, model) : committed === toDot(model));
    if (run.check) {
      if (!current) run.stale.push(shown(file));
      continue;
    }
    if (current) {
      console.log(`${shown(file)}: current`);
      continue;
    }
    if (run.format === 'svg') console.error(`diagram: laying out ${env}`);
    const text = run.format === 'svg' ? await renderSvg(model) : toDot(model);
    mkdirSync(run.out, { recursive: true });
    writeFileSync(file, text);
    written++;
    console.log(`${shown(file)}: ${model.nodes.length} nodes, ${model.edges.length} edges`);
  }
  return written;
}

/** The list of diagrams on the page beside the folder (docs/architecture.md beside docs/architecture/), if there is one. */
function updatePage(run: Run, stacks: readonly StackDocument[]): void {
  const page = `${run.out}.md`;
  if (!existsSync(page)) return;
  const tierOf = (env: string) =>
    stacks
      .filter((stack) => stack.environment === env)
      .map((stack) => providerTierOf(stack.doc))
      .find(Boolean);
  const section = diagramSection(
    environmentsOf(stacks).map((name) => ({ name, tier: tierOf(name) })),
    basename(run.out),
  );
  const text = readFileSync(page, 'utf8');
  const updated = withDiagramSection(text, section);
  if (text === updated) return;
  if (run.check) run.stale.push(`${shown(page)} (its list of diagrams)`);
  else {
    writeFileSync(page, updated);
    console.log(`${shown(page)}: list of diagrams updated`);
  }
}

if (require.main === module) runMain(main);
