// The part of docs/architecture.md that names the diagrams: written by `npm run diagram` with them, so that an environment
// added or removed in config shows up there, or goes, without an edit by hand.
import { compareEnvironments, type RankedEnvironment } from '../../environment-tiers';

/** Everything after this line of docs/architecture.md is written by `npm run diagram`. */
export const GENERATED_MARKER = '<!-- Written by npm run diagram from here to the end of the file. -->';

/**
 * Production's diagrams embedded, the others linked, in promotion order. Without a production environment, the last in
 * promotion order is embedded. `dir` is the diagrams' folder relative to the page.
 */
export function diagramSection(environments: readonly RankedEnvironment[], dir: string): string {
  const ordered = [...environments].sort(compareEnvironments);
  const production = ordered.filter((env) => env.tier === 'production');
  const embedded = production.length > 0 ? production : ordered.slice(-1);
  const others = ordered.filter((env) => !embedded.includes(env));
  const lines = embedded.flatMap((env) => [`## ${env.name}`, '', `![${env.name} architecture](${dir}/${env.name}.svg)`, '']);
  if (others.length > 0)
    lines.push(`The other environments: ${others.map((env) => `[${env.name}](${dir}/${env.name}.svg)`).join(', ')}.`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `page` with everything after the marker replaced by `section`; the marker is added at the end when missing. */
export function withDiagramSection(page: string, section: string): string {
  const at = page.indexOf(GENERATED_MARKER);
  const head = at === -1 ? `${page.trimEnd()}\n\n` : page.slice(0, at);
  return `${head}${GENERATED_MARKER}\n\n${section}`;
}
