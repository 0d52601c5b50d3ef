// Renders cost estimates (one, or a base and the working tree as a delta) as text for a terminal or markdown for the
// pull-request comment. Totals add priced lines only; unpriced lines are counted and named, never filled in.
import { LAYERS, parseStackName } from '../../layers';
import { PRICES_FILE, STALE_AFTER_MONTHS } from './prices';
import type { CostEstimate, CostLine } from './estimate';
import { REMOVE_ENVIRONMENT_RUNBOOK } from '../../delivery/teardown';

const usd = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (value: number) => `${value >= 0 ? '+' : '-'}${usd(Math.abs(value))}`;
const total = (lines: readonly CostLine[]) => Math.round(lines.reduce((sum, line) => sum + (line.monthly ?? 0), 0) * 100) / 100;
const layerOrder = (layer: string) => (LAYERS as readonly string[]).indexOf(layer);

function environments(lines: readonly CostLine[]): string[] {
  return [...new Set(lines.map((line) => line.environment))];
}

function layersOf(lines: readonly CostLine[]): string[] {
  return [...new Set(lines.map((line) => line.layer))].sort((a, b) => layerOrder(a) - layerOrder(b));
}

function unpricedKeys(lines: readonly CostLine[]): string[] {
  return [...new Set(lines.filter((line) => line.monthly === undefined).map((line) => line.priceKey))].sort();
}

/** The keys without a price, per region (`eu-west-1: a, b; eu-central-1: c`), home region first as lines are. */
export function unpricedByRegion(lines: readonly CostLine[]): string {
  const regions = [...new Set(lines.filter((line) => line.monthly === undefined).map((line) => line.region ?? 'no region'))];
  return regions
    .map((region) => `${region}: ${unpricedKeys(lines.filter((line) => (line.region ?? 'no region') === region)).join(', ')}`)
    .join('; ');
}

function table(headers: string[], rows: string[][], right: number[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

function staleWarning(estimates: readonly CostEstimate[]): string[] {
  const stale = estimates.flatMap((e) => e.stale);
  if (stale.length === 0) return [];
  const keys = [...new Set(stale.map((s) => `${s.region} ${s.key} (${s.checked})`))];
  return [
    `warning: ${keys.length} price${keys.length === 1 ? ' is' : 's are'} older than ${STALE_AFTER_MONTHS} months ` +
      `in ${PRICES_FILE}: ${keys.join(', ')}; look them up again`,
  ];
}

export function costSummary(estimate: CostEstimate): string {
  const unpriced = estimate.lines.filter((line) => line.monthly === undefined).length;
  const totals = environments(estimate.lines).map((env) => `${env} ${usd(total(estimate.lines.filter((l) => l.environment === env)))}`);
  const stale = estimate.stale.length ? `; ${estimate.stale.length} stale prices` : '';
  return `cost: ${totals.join(', ')} USD/month from ${estimate.lines.length} lines (${unpriced} unpriced)${stale}`;
}

export function renderCostText(estimate: CostEstimate): string {
  const out = [`Monthly estimate at on-demand list prices (${PRICES_FILE}); totals add priced lines only.`, ''];
  for (const env of environments(estimate.lines)) {
    const lines = estimate.lines.filter((line) => line.environment === env);
    const missing = lines.filter((line) => line.monthly === undefined).length;
    out.push(`${env}: ${usd(total(lines))} USD/month from priced lines${missing ? ` (${missing} lines unpriced)` : ''}`);
    const rows = [...lines]
      .sort((a, b) => layerOrder(a.layer) - layerOrder(b.layer) || a.address.localeCompare(b.address))
      .map((line) => [
        line.layer,
        line.address,
        line.item,
        line.monthly === undefined ? '-' : usd(line.monthly),
        line.price
          ? `${line.priceKey} (${line.price.checked})${line.assumption ? `; ${line.assumption}` : ''}`
          : `no price for ${line.priceKey}`,
      ]);
    out.push(...table(['LAYER', 'RESOURCE', 'ITEM', 'USD/MONTH', 'PRICE / ASSUMPTION'], rows, [3]).map((l) => `  ${l}`));
    const byLayer = layersOf(lines).map((layer) => {
      const ofLayer = lines.filter((line) => line.layer === layer);
      const missing = ofLayer.filter((line) => line.monthly === undefined).length;
      return `${layer} ${usd(total(ofLayer))}${missing ? ` (+${missing} unpriced)` : ''}`;
    });
    out.push(`  by layer: ${byLayer.join(', ')}`, '');
  }
  if (unpricedKeys(estimate.lines).length)
    out.push(`Not in ${PRICES_FILE} for the region, so not in the totals: ${unpricedByRegion(estimate.lines)}`, '');
  out.push(...sources(estimate), ...staleWarning([estimate]), costSummary(estimate));
  return `${out.join('\n')}\n`;
}

function sources(estimate: CostEstimate): string[] {
  const used = new Map<string, string>();
  for (const line of estimate.lines)
    if (line.price) {
      const key = line.region ? `${line.region} ${line.priceKey}` : line.priceKey;
      used.set(key, `${key}: ${line.price.usd} USD per ${line.price.unit}, ${line.price.source}, read ${line.price.checked}`);
    }
  return used.size ? ['Prices used:', ...[...used.keys()].sort().map((key) => `  ${used.get(key)}`), ''] : [];
}

export interface CostDelta {
  readonly base: CostEstimate;
  readonly head: CostEstimate;
  /** Lines whose monthly amount differs, keyed by stack, resource and price. */
  readonly changed: readonly {
    readonly stack: string;
    readonly address: string;
    readonly priceKey: string;
    readonly before?: number;
    readonly after?: number;
    readonly item: string;
  }[];
}

export function costDelta(base: CostEstimate, head: CostEstimate): CostDelta {
  const key = (line: CostLine) => `${line.stack}|${line.address}|${line.priceKey}`;
  const sum = (lines: readonly CostLine[]) => {
    const map = new Map<string, { line: CostLine; monthly?: number }>();
    for (const line of lines) {
      const entry = map.get(key(line));
      map.set(key(line), { line, monthly: line.monthly === undefined ? entry?.monthly : (entry?.monthly ?? 0) + line.monthly });
    }
    return map;
  };
  const before = sum(base.lines);
  const after = sum(head.lines);
  const changed: CostDelta['changed'][number][] = [];
  for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(k);
    const a = after.get(k);
    if (b && a && b.monthly === a.monthly && b.line.item === a.line.item) continue;
    const line = (a ?? b)!.line;
    changed.push({
      stack: line.stack,
      address: line.address,
      priceKey: line.priceKey,
      item: line.item,
      ...(b ? { before: b.monthly } : {}),
      ...(a ? { after: a.monthly } : {}),
    });
  }
  return { base, head, changed };
}

function deltaRows(delta: CostDelta): { env: string; layer: string; before: number; after: number }[] {
  const envs = [...new Set([...environments(delta.base.lines), ...environments(delta.head.lines)])];
  return envs.flatMap((env) => {
    const layers = layersOf([...delta.base.lines, ...delta.head.lines].filter((l) => l.environment === env));
    return layers.map((layer) => ({
      env,
      layer,
      before: total(delta.base.lines.filter((l) => l.environment === env && l.layer === layer)),
      after: total(delta.head.lines.filter((l) => l.environment === env && l.layer === layer)),
    }));
  });
}

/**
 * Environments only the base has: the change takes them out of config, which stops CI applying them but destroys
 * nothing, so their bill goes on until an administrator tears them down. Their delta is what the teardown saves.
 */
function removedEnvironments(delta: CostDelta): Set<string> {
  const now = new Set(environments(delta.head.lines));
  return new Set(environments(delta.base.lines).filter((env) => !now.has(env)));
}
const ONCE_TORN_DOWN = 'once torn down';

/** The changed lines worth listing: those of an environment no longer applied would all read "absent". */
function listedChanges(delta: CostDelta): CostDelta['changed'] {
  const removed = removedEnvironments(delta);
  return delta.changed.filter((c) => !removed.has(parseStackName(c.stack)?.environment ?? c.stack));
}
const removedNote = (envs: ReadonlySet<string>) =>
  `${[...envs].join(', ')} ${envs.size === 1 ? 'is' : 'are'} no longer in config: CI stops applying ` +
  `${envs.size === 1 ? 'it' : 'them'}, and the bill goes on until an administrator tears ${envs.size === 1 ? 'it' : 'them'} ` +
  `down (${REMOVE_ENVIRONMENT_RUNBOOK}).`;

export function deltaSummary(delta: CostDelta, title: string): string {
  const envs = [...new Set(deltaRows(delta).map((r) => r.env))];
  const removed = removedEnvironments(delta);
  const parts = envs.map((env) => {
    const rows = deltaRows(delta).filter((r) => r.env === env);
    const change = `${env} ${signed(rows.reduce((s, r) => s + r.after - r.before, 0))} USD/month`;
    return removed.has(env) ? `${change} ${ONCE_TORN_DOWN}` : change;
  });
  const count = listedChanges(delta).length;
  const changed = `${count} line${count === 1 ? '' : 's'} changed`;
  return `cost delta ${title}: ${parts.join(', ')} (${changed})`;
}

const showAmount = (value: number | undefined, present: boolean) => (!present ? 'absent' : value === undefined ? 'unpriced' : usd(value));

export function renderDeltaText(delta: CostDelta, title: string): string {
  const out = [`Monthly cost delta ${title}, at on-demand list prices (${PRICES_FILE}).`, ''];
  const rows = deltaRows(delta)
    .filter((r) => r.after !== r.before)
    .map((r) => [r.env, r.layer, usd(r.before), usd(r.after), signed(r.after - r.before)]);
  out.push(...(rows.length ? table(['ENV', 'LAYER', 'BASE', 'NOW', 'DELTA'], rows, [2, 3, 4]) : ['No layer changes cost.']), '');
  const removed = removedEnvironments(delta);
  if (removed.size > 0) out.push(removedNote(removed), '');
  const changes = listedChanges(delta);
  if (changes.length) {
    out.push('Changed lines:');
    for (const c of changes)
      out.push(
        `  ${c.stack} ${c.address} ${c.priceKey}: ` +
          `${showAmount(c.before, 'before' in c)} -> ${showAmount(c.after, 'after' in c)} (${c.item})`,
      );
    out.push('');
  }
  out.push(...staleWarning([delta.base, delta.head]), deltaSummary(delta, title));
  return `${out.join('\n')}\n`;
}

export function renderDeltaMarkdown(delta: CostDelta, title: string): string {
  const out = [
    '## Cost estimate',
    '',
    `Monthly delta ${title}, at on-demand list prices from \`${PRICES_FILE}\`; usage-dependent lines use stated assumptions.`,
    '',
  ];
  const rows = deltaRows(delta);
  const envs = [...new Set(rows.map((r) => r.env))];
  const removed = removedEnvironments(delta);
  out.push('| environment | base (USD/month) | now | delta |', '| --- | ---: | ---: | ---: |');
  for (const env of envs) {
    const ofEnv = rows.filter((r) => r.env === env);
    const before = ofEnv.reduce((s, r) => s + r.before, 0);
    const after = ofEnv.reduce((s, r) => s + r.after, 0);
    if (removed.has(env)) out.push(`| ${env} | ${usd(before)} | not applied | ${signed(after - before)} ${ONCE_TORN_DOWN} |`);
    else out.push(`| ${env} | ${usd(before)} | ${usd(after)} | ${signed(after - before)} |`);
  }
  out.push('');
  if (removed.size > 0) out.push(`_${removedNote(removed)}_`, '');
  const changes = listedChanges(delta);
  if (changes.length) {
    out.push(
      '<details><summary>Changed lines</summary>',
      '',
      '| stack | resource | price | base | now |',
      '| --- | --- | --- | ---: | ---: |',
    );
    for (const c of changes.slice(0, 100))
      out.push(
        `| ${c.stack} | \`${c.address}\` | ${c.priceKey} | ${showAmount(c.before, 'before' in c)} | ${showAmount(c.after, 'after' in c)} |`,
      );
    if (changes.length > 100) out.push(`| … | ${changes.length - 100} more | | | |`);
    out.push('', '</details>', '');
  }
  if (unpricedKeys(delta.head.lines).length)
    out.push(`_Not in the price table, so not in the totals: ${unpricedByRegion(delta.head.lines)}._`, '');
  out.push(...staleWarning([delta.base, delta.head]).map((w) => `> ${w}`));
  return `${out.join('\n')}\n`;
}
