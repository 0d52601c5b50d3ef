import { addressProblem, parseAddressPrefix } from './address';

/**
 * Allow entries: explicit, reasoned approvals to delete or replace one protected resource.
 * They come from `--allow '<address>=<reason>'` (scoped to the run) or from an allow file, a JSON
 * array of `{ "stack", "address", "reason" }` committed and reviewed with the change.
 */

/** Short reasons ("ok", "yes", "approved") say nothing a later reader can check. */
export const MIN_REASON_LENGTH = 15;

export interface AllowEntry {
  readonly address: string;
  readonly reason: string;
  /** The stack (`<env>-<layer>`) the entry is for; an entry without one applies to the run it is passed to. */
  readonly stack?: string;
  /** Where the entry came from, for messages: `--allow` or `<file>[<index>]`. */
  readonly source: string;
}

export class AllowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllowError';
  }
}

/**
 * Parses one `--allow '<address>=<reason>'` argument. The address ends where its grammar ends, not at
 * the first `=`: a for_each key may itself contain `=` (`aws_s3_bucket.b["a=b"]=<reason>`).
 */
export function parseAllowArgument(argument: string): AllowEntry {
  const source = `--allow ${JSON.stringify(argument)}`;
  const text = argument.trim();
  const parsed = parseAddressPrefix(text);
  if ('problem' in parsed) {
    throw new AllowError(`${source}: not a resource address: ${parsed.problem}; expected '<resource address>=<reason>'`);
  }
  const address = text.slice(0, parsed.length);
  const rest = text.slice(parsed.length);
  if (rest !== '' && !rest.startsWith('=')) {
    const unexpected = JSON.stringify(rest);
    throw new AllowError(`${source}: unexpected ${unexpected} after the address ${address}; expected '<resource address>=<reason>'`);
  }
  const reason = rest.slice(1).trim();
  checkReason(reason, address, source);
  return { address, reason, source };
}

/** Parses the content of an allow file; `file` names it in messages. */
export function parseAllowFile(text: string, file: string): AllowEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AllowError(`${file}: is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(document)) {
    throw new AllowError(`${file}: expected a JSON array of {"stack", "address", "reason"} objects`);
  }
  return document.map((item: unknown, index) => {
    const source = `${file}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new AllowError(`${source}: expected an object with "stack", "address" and "reason"`);
    }
    const { stack, address, reason, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new AllowError(`${source}: unknown field(s) ${unknown.join(', ')}; allowed: stack, address, reason`);
    if (typeof stack !== 'string' || stack.trim() === '') {
      throw new AllowError(
        `${source}: "stack" is required (e.g. "prod-data") so that an approval for one environment never covers another`,
      );
    }
    if (typeof address !== 'string') throw new AllowError(`${source}: "address" must be a string`);
    if (reason !== undefined && typeof reason !== 'string') throw new AllowError(`${source}: "reason" must be a string`);
    checkAddress(address.trim(), source);
    checkReason(typeof reason === 'string' ? reason.trim() : '', address, source);
    return { stack: stack.trim(), address: address.trim(), reason: (reason as string).trim(), source };
  });
}

/** Entries that apply to a run for `stack`: those without a stack, and those naming it. */
export function entriesForStack(entries: readonly AllowEntry[], stack: string | undefined): AllowEntry[] {
  return entries.filter((entry) => entry.stack === undefined || entry.stack === stack);
}

function checkAddress(address: string, source: string): void {
  if (address === '') throw new AllowError(`${source}: the resource address is empty; expected '<resource address>=<reason>'`);
  const problem = addressProblem(address);
  if (problem) throw new AllowError(`${source}: ${JSON.stringify(address)} is not a resource address: ${problem}`);
}

function checkReason(reason: string, address: string, source: string): void {
  if (reason === '') {
    throw new AllowError(`${source}: allowing ${address} needs a reason; write '${address}=<why this deletion is intended>'`);
  }
  if (reason.length < MIN_REASON_LENGTH) {
    throw new AllowError(
      `${source}: the reason for ${address} (${JSON.stringify(reason)}) is too short; say why, in at least ${MIN_REASON_LENGTH} characters`,
    );
  }
}
