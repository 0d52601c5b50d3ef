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

/** Parses one `--allow '<address>=<reason>'` argument. */
export function parseAllowArgument(argument: string): AllowEntry {
  const at = argument.indexOf('=');
  const address = (at < 0 ? argument : argument.slice(0, at)).trim();
  const reason = at < 0 ? '' : argument.slice(at + 1).trim();
  const source = `--allow ${JSON.stringify(argument)}`;
  checkAddress(address, source);
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
      throw new AllowError(`${source}: "stack" is required (e.g. "prod-data") so that an approval for one environment never covers another`);
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
  if (/\s/.test(address)) throw new AllowError(`${source}: resource address ${JSON.stringify(address)} contains whitespace`);
}

function checkReason(reason: string, address: string, source: string): void {
  if (reason === '') {
    throw new AllowError(`${source}: allowing ${address} needs a reason; write '${address}=<why this deletion is intended>'`);
  }
  if (reason.length < MIN_REASON_LENGTH) {
    throw new AllowError(`${source}: the reason for ${address} (${JSON.stringify(reason)}) is too short; say why, in at least ${MIN_REASON_LENGTH} characters`);
  }
}
