/** IPv4 CIDR arithmetic for subnet planning and validation. Pure functions, no dependencies. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined for anything that is not a canonical IPv4 CIDR block. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  // Host bits must be zero: 10.0.0.1/16 is almost always a typo, and AWS rejects it.
  if ((address & hostMask(prefixLength)) >>> 0 !== 0) return undefined;
  return { base: address, prefixLength };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const b = cidr.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${cidr.prefixLength}`;
}

export function size(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefixLength >= outer.prefixLength && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

function hostMask(prefixLength: number): number {
  return prefixLength === 0 ? 0xffffffff : (2 ** (32 - prefixLength) - 1) >>> 0;
}

/**
 * Packs blocks of the requested prefix lengths into `parent`, largest first, each aligned to its
 * own size, and returns them in request order. Returns undefined when they do not fit.
 */
export function allocate(parent: Ipv4Cidr, prefixLengths: readonly number[]): Ipv4Cidr[] | undefined {
  const order = prefixLengths.map((prefixLength, index) => ({ prefixLength, index })).sort((a, b) => a.prefixLength - b.prefixLength);
  const result: Ipv4Cidr[] = new Array(prefixLengths.length);
  let cursor = parent.base;
  for (const { prefixLength, index } of order) {
    if (prefixLength < parent.prefixLength || prefixLength > 32) return undefined;
    const blockSize = 2 ** (32 - prefixLength);
    cursor = Math.ceil(cursor / blockSize) * blockSize;
    if (cursor + blockSize > parent.base + size(parent)) return undefined;
    result[index] = { base: cursor, prefixLength };
    cursor += blockSize;
  }
  return result;
}
