// Suppressions: reviewed, reasoned exceptions to policy rules, committed in `policy/suppressions.json`:
//
//   [{ "rule": "SG_001", "address": "*-edge/aws_vpc_security_group_ingress_rule.alb_https",
//      "reason": "public ALB listener; the WAF in front filters traffic", "expires": "2026-12-31" }]
//
// `address` is a resource address (`aws_s3_bucket.logs`), optionally prefixed by a stack glob and `/`
// (`prod-*/aws_s3_bucket.logs`); `*` and `?` are wildcards. Without a stack part it applies to every
// stack. `reason` is mandatory (at least MIN_REASON_LENGTH characters). After `expires` (a date,
// YYYY-MM-DD, inclusive) the suppression stops applying. Suppressed findings stay in the report, marked
// with the reason; they just do not fail the check.
import { existsSync, readFileSync } from 'node:fs';

export const MIN_REASON_LENGTH = 20;
const KEYS = new Set(['rule', 'address', 'reason', 'expires']);

export interface Suppression {
  readonly rule: string;
  readonly address: string;
  readonly reason: string;
  readonly expires?: string;
  /** Where it was declared (`policy/suppressions.json#2`). */
  readonly source: string;
}

export interface SuppressionIssue {
  readonly level: 'error' | 'warning';
  readonly message: string;
}

export interface SuppressionSet {
  readonly active: Suppression[];
  readonly expired: Suppression[];
  readonly issues: SuppressionIssue[];
}

/** Parses and validates suppressions; invalid entries are dropped and reported as errors. */
export function parseSuppressions(
  raw: unknown,
  source: string,
  knownRules: ReadonlySet<string>,
  today: string = isoDate(new Date()),
): SuppressionSet {
  const result: SuppressionSet = { active: [], expired: [], issues: [] };
  if (!Array.isArray(raw)) {
    result.issues.push({ level: 'error', message: `${source}: must be a JSON array of suppressions` });
    return result;
  }
  raw.forEach((entry, index) => {
    const where = `${source}#${index}`;
    const errors: string[] = [];
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      result.issues.push({ level: 'error', message: `${where}: must be an object` });
      return;
    }
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) if (!KEYS.has(key)) errors.push(`unknown key "${key}"`);
    if (typeof e.rule !== 'string' || e.rule === '') errors.push('"rule" is required');
    else if (!knownRules.has(e.rule)) errors.push(`unknown rule "${e.rule}"`);
    if (typeof e.address !== 'string' || e.address.trim() === '') errors.push('"address" is required');
    if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_REASON_LENGTH) {
      errors.push(`"reason" is required and must explain the exception (at least ${MIN_REASON_LENGTH} characters)`);
    }
    if (e.expires !== undefined && (typeof e.expires !== 'string' || !isValidDate(e.expires)))
      errors.push('"expires" must be a date YYYY-MM-DD');
    if (errors.length > 0) {
      result.issues.push({ level: 'error', message: `${where} (${String(e.rule)} ${String(e.address)}): ${errors.join('; ')}` });
      return;
    }
    const suppression: Suppression = {
      rule: e.rule as string,
      address: (e.address as string).trim(),
      reason: (e.reason as string).trim(),
      ...(e.expires === undefined ? {} : { expires: e.expires as string }),
      source: where,
    };
    if (suppression.expires !== undefined && suppression.expires < today) {
      result.expired.push(suppression);
      result.issues.push({
        level: 'warning',
        message:
          `${where}: suppression of ${suppression.rule} for ${suppression.address} ` +
          `expired on ${suppression.expires}; it no longer applies`,
      });
    } else {
      result.active.push(suppression);
    }
  });
  return result;
}

export function loadSuppressions(file: string, knownRules: ReadonlySet<string>, today?: string): SuppressionSet {
  if (!existsSync(file)) return { active: [], expired: [], issues: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { active: [], expired: [], issues: [{ level: 'error', message: `${file}: not valid JSON: ${(error as Error).message}` }] };
  }
  return parseSuppressions(raw, file, knownRules, today);
}

/** The first active suppression covering a finding of `rule` on `address` in `stack`. */
export function findSuppression(
  suppressions: readonly Suppression[],
  rule: string,
  stack: string,
  address: string,
): Suppression | undefined {
  return suppressions.find((s) => s.rule === rule && addressMatches(s.address, stack, address));
}

export function addressMatches(pattern: string, stack: string, address: string): boolean {
  const slash = pattern.indexOf('/');
  // A stack part has no dots; `aws_x.y["a/b"]` is an address whose key merely contains a slash.
  const hasStack = slash > 0 && !pattern.slice(0, slash).includes('.') && !pattern.slice(0, slash).includes('[');
  const stackGlob = hasStack ? pattern.slice(0, slash) : '*';
  const addressGlob = hasStack ? pattern.slice(slash + 1) : pattern;
  return glob(stackGlob).test(stack) && glob(addressGlob).test(address);
}

function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && isoDate(date) === value;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
