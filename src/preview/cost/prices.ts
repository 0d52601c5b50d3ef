// The committed price table (pricing/prices.json): on-demand list prices per region, each with where it was read and
// when. A price the table does not have is reported as missing, never guessed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRICES_FILE = join('pricing', 'prices.json');
/** Hours AWS bills a month as, in its own calculator and examples. */
export const HOURS_PER_MONTH = 730;
/** The days in that month (365 / 12). */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** Entries older than this many months make the report warn. */
export const STALE_AFTER_MONTHS = 6;

/**
 * What one `usd` buys: an hour, a month, a build minute, a GB processed or ingested, a GB stored for a month, or a block
 * of events.
 */
const PRICE_UNITS = ['hour', 'month', 'minute', 'GB', 'GB-month', '100k events', '1M observations'] as const;
type PriceUnit = (typeof PRICE_UNITS)[number];

export interface Price {
  readonly usd: number;
  readonly unit: PriceUnit;
  readonly source: string;
  /** yyyy-mm-dd the price was read. */
  readonly checked: string;
}

export interface PriceTable {
  readonly regions: Readonly<Record<string, Readonly<Record<string, Price>>>>;
}

export function readPriceTable(file: string): PriceTable {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { regions?: unknown };
  if (typeof raw.regions !== 'object' || raw.regions === null) throw new Error(`${file}: needs a "regions" object`);
  for (const [region, prices] of Object.entries(raw.regions as Record<string, Record<string, Price>>)) {
    for (const [key, price] of Object.entries(prices)) {
      const where = `${file}: regions.${region}.${key}`;
      if (typeof price.usd !== 'number' || price.usd < 0) throw new Error(`${where}.usd must be a number ≥ 0`);
      if (!(PRICE_UNITS as readonly string[]).includes(price.unit))
        throw new Error(`${where}.unit must be one of ${PRICE_UNITS.join(', ')}`);
      if (typeof price.source !== 'string' || price.source.length < 10)
        throw new Error(`${where}.source must name where the price was read`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(price.checked ?? '')) throw new Error(`${where}.checked must be the date it was read (yyyy-mm-dd)`);
    }
  }
  return raw as PriceTable;
}

/** True when `checked` is more than STALE_AFTER_MONTHS before `today`. */
export function isStale(checked: string, today: Date): boolean {
  const limit = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - STALE_AFTER_MONTHS, today.getUTCDate()));
  return new Date(`${checked}T00:00:00Z`) < limit;
}

/**
 * vCPUs of an EC2-style size (`large` 2, `xlarge` 4, `4xlarge` 16, `medium` 1), which holds for the general-purpose,
 * compute and memory families (m, c, r) the estimate sizes NodePools with; undefined for other sizes.
 */
export function vcpusOfSize(instanceType: string): number | undefined {
  const size =
    instanceType
      .replace(/^(db|cache)\./, '')
      .replace(/\.search$/, '')
      .split('.')[1] ?? '';
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const match = /^(\d+)xlarge$/.exec(size);
  return match ? Number(match[1]) * 4 : undefined;
}
