// Shared by the edge-* rules (the engine skips files starting with "_"). A reference copy of
// Cloudflare's published edge ranges, so the checks verify literal source ranges independently of
// the config that produced them. Update both from https://www.cloudflare.com/ips/ when they change.
import { isExpression } from '../../terraform-json';

export const CLOUDFLARE_RANGES_AS_OF = '2026-11-29';
export const CLOUDFLARE_IPV4 = [
  '173.245.48.0/20',
  '103.21.244.0/22',
  '103.22.200.0/22',
  '103.31.4.0/22',
  '141.101.64.0/18',
  '108.162.192.0/18',
  '190.93.240.0/20',
  '188.114.96.0/20',
  '197.234.240.0/22',
  '198.41.128.0/17',
  '162.158.0.0/15',
  '104.16.0.0/13',
  '104.24.0.0/14',
  '172.64.0.0/13',
  '131.0.72.0/22',
];
export const CLOUDFLARE_IPV6 = [
  '2400:cb00::/32',
  '2606:4700::/32',
  '2803:f800::/32',
  '2405:b500::/32',
  '2405:8100::/32',
  '2a06:98c0::/29',
  '2c0f:f248::/32',
];

/** The data source the edge layer reads the ranges from at plan time. */
const CLOUDFLARE_DATA_SOURCE = 'data.cloudflare_ip_ranges.';

interface Range {
  readonly bits: number;
  readonly base: bigint;
  readonly prefix: number;
}

function parseV4(address: string): bigint | undefined {
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function parseV6(address: string): bigint | undefined {
  if (!/^[0-9a-f:]+$/i.test(address)) return undefined;
  const [head = '', tail, extra] = address.split('::');
  if (extra !== undefined) return undefined;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseRange(cidr: string): Range | undefined {
  const [address = '', prefixText] = cidr.split('/');
  const v6 = address.includes(':');
  const bits = v6 ? 128 : 32;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const value = v6 ? parseV6(address) : parseV4(address);
  if (value === undefined) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { bits, base: (value >> hostBits) << hostBits, prefix };
}

function within(inner: Range, outer: Range): boolean {
  if (inner.bits !== outer.bits || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.bits - outer.prefix);
  return inner.base >> shift === outer.base >> shift;
}

const REFERENCE = [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6].map((c) => parseRange(c)!);

/** Whether a literal CIDR lies inside one of Cloudflare's published ranges. */
export function isCloudflareRange(cidr: string): boolean {
  const range = parseRange(cidr);
  return range !== undefined && REFERENCE.some((outer) => within(range, outer));
}

/** Whether an expression draws its values from the cloudflare_ip_ranges data source only. */
export function isCloudflareExpression(value: unknown): boolean {
  return (
    isExpression(value) &&
    value.includes(CLOUDFLARE_DATA_SOURCE) &&
    !/\b(?:var|local|aws_[a-z0-9_]+)\./.test(value.replace(/data\.cloudflare_ip_ranges\.[A-Za-z0-9_-]+/g, ''))
  );
}
