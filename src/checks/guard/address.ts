/**
 * Terraform resource instance addresses, as plans print them (Terraform "Resource Address Reference",
 * https://developer.hashicorp.com/terraform/cli/state/resource-addressing):
 *
 *   [module.NAME[INDEX].]... [data.]TYPE.NAME[INDEX]
 *
 * where INDEX is `[N]` (count) or `["KEY"]` (for_each). A for_each key is any string, so it may hold
 * spaces, dots, brackets, `=` or escaped quotes (`aws_s3_bucket.b["media 2024"]`); only a parser, not a
 * character class, tells where an address ends.
 */

/** Identifiers of module calls, resource types and names: a letter or underscore, then letters, digits, `_`, `-`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*/;

export interface AddressParse {
  /** Characters of the input the address takes, from the start. */
  readonly length: number;
}

/** Why `text` does not start with a resource instance address, or how long the address is. */
export function parseAddressPrefix(text: string): AddressParse | { readonly problem: string } {
  let at = 0;
  const identifier = (what: string): string | { problem: string } => {
    const match = IDENTIFIER.exec(text.slice(at));
    if (!match) return { problem: `expected ${what} at position ${at + 1}` };
    at += match[0].length;
    return match[0];
  };
  const dot = (after: string): { problem: string } | undefined => {
    if (text[at] !== '.') return { problem: `expected "." after ${after} at position ${at + 1}` };
    at += 1;
    return undefined;
  };
  const index = (): { problem: string } | undefined => {
    if (text[at] !== '[') return undefined;
    const close = indexEnd(text, at);
    if (typeof close !== 'number') return close;
    at = close;
    return undefined;
  };

  while (text.startsWith('module.', at)) {
    at += 'module.'.length;
    const name = identifier('a module name');
    if (typeof name !== 'string') return name;
    const bad = index() ?? dot(`module.${name}`);
    if (bad) return bad;
  }
  if (text.startsWith('data.', at)) at += 'data.'.length;
  const type = identifier('a resource type');
  if (typeof type !== 'string') return type;
  const afterType = dot(`resource type ${type}`);
  if (afterType) return afterType;
  const name = identifier(`a resource name after ${type}.`);
  if (typeof name !== 'string') return name;
  const bad = index();
  if (bad) return bad;
  return { length: at };
}

/** The problem with `text` as a whole address, or undefined when it is one. */
export function addressProblem(text: string): string | undefined {
  const parsed = parseAddressPrefix(text);
  if ('problem' in parsed) return parsed.problem;
  if (parsed.length !== text.length) {
    return `unexpected ${JSON.stringify(text.slice(parsed.length))} after the address at position ${parsed.length + 1}`;
  }
  return undefined;
}

/** Position after the `]` closing the index that opens at `open`, or the problem. */
function indexEnd(text: string, open: number): number | { problem: string } {
  let at = open + 1;
  if (text[at] === '"') {
    at += 1;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= text.length) return { problem: `unterminated string key starting at position ${open + 2}` };
    at += 1;
  } else {
    const digits = /^\d+/.exec(text.slice(at));
    if (!digits) return { problem: `an index must be a number or a quoted string, at position ${at + 1}` };
    at += digits[0].length;
  }
  if (text[at] !== ']') return { problem: `expected "]" at position ${at + 1}` };
  return at + 1;
}
