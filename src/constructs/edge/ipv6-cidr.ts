import { isIPv6 } from 'node:net';
import { invalidProp } from '../invalid-prop';

/**
 * S3 Block Public Access treats an `aws:SourceIp` range broader than /32 (IPv6) as public, so broader
 * ranges are listed as their /32 subnets instead.
 */
export const MAX_PUBLIC_SAFE_IPV6_PREFIX = 32;

/** The first 32 bits of an IPv6 address, from its (possibly `::`-compressed) text form. */
function high32(address: string): number {
  const [head = '', tail] = address.split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined && groups.length < 2) {
    const rest = tail === '' ? [] : tail.split(':');
    while (groups.length + rest.length < 8) groups.push('0');
    groups.push(...rest);
  }
  return ((parseInt(groups[0] ?? '0', 16) << 16) | parseInt(groups[1] ?? '0', 16)) >>> 0;
}

/** `2a06:98c0::/29` → `2a06:98c0::/32` … `2a06:98c7::/32`; ranges of /32 or narrower are returned as is. */
export function splitToSlash32(cidr: string): string[] {
  const [address = '', prefixText = ''] = cidr.split('/');
  const prefix = Number(prefixText);
  if (!isIPv6(address) || !Number.isInteger(prefix) || prefix < 0 || prefix > 128)
    invalidProp('splitToSlash32', 'cidr', 'an IPv6 CIDR block', cidr);
  if (prefix >= MAX_PUBLIC_SAFE_IPV6_PREFIX) return [cidr];
  const base = high32(address);
  const count = 2 ** (MAX_PUBLIC_SAFE_IPV6_PREFIX - prefix);
  if (base % count !== 0) invalidProp('splitToSlash32', 'cidr', 'a block with no host bits set within its first 32 bits', cidr);
  return Array.from({ length: count }, (_, i) => {
    const value = base + i;
    return `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}::/32`;
  });
}
