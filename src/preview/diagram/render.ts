// Lays the diagram model out as Graphviz DOT and renders it to SVG with Graphviz compiled to WebAssembly
// (@hpcc-js/wasm-graphviz: no system binary). The output depends only on the model, so it is reproducible.
import { createHash } from 'node:crypto';
import { TIERS, type DiagramModel, type DiagramNode } from './model';

const STYLE: Record<DiagramNode['kind'], string> = {
  compute: 'shape=box, style="rounded,filled", fillcolor="#dbeafe"',
  store: 'shape=cylinder, style=filled, fillcolor="#fde68a"',
  network: 'shape=box, style=filled, fillcolor="#e5e7eb"',
  external: 'shape=box, style="rounded,filled,dashed", fillcolor="#fce7f3"',
  storage: 'shape=folder, style=filled, fillcolor="#dcfce7"',
  group: 'shape=note, style=filled, fillcolor="#f3f4f6"',
};

const quote = (text: string) => `"${text.replace(/"/g, '\\"')}"`;

export function toDot(model: DiagramModel): string {
  const lines = [
    `digraph ${quote(model.environment)} {`,
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, ' +
      `label=${quote(`${model.environment}: resources and the traffic security groups admit (from the synthesized JSON)`)}, ` +
      'labelloc=t, newrank=true, compound=true];',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, color="#374151"];',
  ];
  const node = (n: DiagramNode, indent: string) => lines.push(`${indent}${quote(n.id)} [label=${quote(n.label)}, ${STYLE[n.kind]}];`);
  if (model.vpc) {
    lines.push('  subgraph cluster_vpc {', `    label=${quote(model.vpc.label)}; style=rounded; color="#6b7280";`);
    for (const tier of TIERS) {
      lines.push(`    subgraph cluster_${tier} {`, `      label=${quote(`${tier} subnets`)}; style="rounded,dashed"; color="#9ca3af";`);
      const subnets = model.vpc.subnets[tier];
      if (subnets.length > 0)
        lines.push(`      ${quote(`subnets_${tier}`)} [label=${quote(subnets.join('\\n'))}, shape=plaintext, fontsize=9];`);
      for (const n of model.nodes.filter((candidate) => candidate.tier === tier)) node(n, '      ');
      lines.push('    }');
    }
    lines.push('  }');
  }
  for (const n of model.nodes.filter((candidate) => !candidate.tier || !model.vpc)) node(n, '  ');
  for (const e of model.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.label)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** SVG of the model. Loads the WebAssembly build on first use (an ES module, hence the dynamic import). */
/**
 * The SVG, with the digest of the DOT source it was laid out from in a comment: the SVG is a function of that source,
 * so `isCurrent` can tell whether a committed diagram still shows the model without laying it out again (the
 * WebAssembly layout is most of what a diagram costs).
 */
export async function renderSvg(model: DiagramModel): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  const dot = toDot(model);
  return graphviz.dot(dot, 'svg').replace(/^<svg /m, `${digestComment(dot)}\n<svg `);
}

/** Whether `svg` was rendered from the model's current DOT source (by `renderSvg`). */
export function isCurrent(svg: string, model: DiagramModel): boolean {
  return svg.includes(digestComment(toDot(model)));
}

function digestComment(dot: string): string {
  return `<!-- Graphviz source sha256:${createHash('sha256').update(dot).digest('hex')} -->`;
}
