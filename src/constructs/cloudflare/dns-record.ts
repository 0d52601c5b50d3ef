import { TerraformResource, Token } from 'cdktn';
import type { Construct } from 'constructs';
import { CLOUDFLARE_GENERATOR_METADATA } from './provider';

/** Record types this platform creates; the provider accepts more. */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'CAA'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Cloudflare's "automatic" TTL; the only TTL a proxied record can have. */
export const AUTOMATIC_TTL = 1;
const PROXIABLE: readonly DnsRecordType[] = ['A', 'AAAA', 'CNAME'];

/** A CAA record's parts (RFC 8659): which CA may issue (`issue`, `issuewild`) or where to report (`iodef`). */
export interface CaaRecordData {
  /** 0, or 128 for "critical". */
  readonly flags: 0 | 128;
  readonly tag: 'issue' | 'issuewild' | 'iodef';
  /** The CA's domain for `issue`/`issuewild`, a URL for `iodef`. */
  readonly value: string;
}

export interface CloudflareDnsRecordConfig {
  readonly zoneId: string;
  /** Fully qualified record name (Cloudflare stores names fully qualified; v5 plans show drift otherwise). */
  readonly name: string;
  readonly type: DnsRecordType;
  /** Seconds, 60–86400, or 1 for automatic; proxied records must use 1. Required by the v5 schema. */
  readonly ttl: number;
  /**
   * Address, target host name or text, depending on `type`; not for CAA records, which take `caa`.
   * @default - none (CAA records)
   */
  readonly content?: string;
  /**
   * The parts of a CAA record (the v5 `data` attribute, which excludes `content`); required for CAA only.
   * @default - none
   */
  readonly caa?: CaaRecordData;
  /**
   * Serve the name through Cloudflare's proxy (A, AAAA and CNAME only).
   * @default false
   */
  readonly proxied?: boolean;
  /**
   * Preference of an MX record; required for MX, not allowed otherwise.
   * @default - none
   */
  readonly priority?: number;
  /**
   * Note shown in the Cloudflare dashboard; no effect on DNS answers.
   * @default - none
   */
  readonly comment?: string;
}

/** A `cloudflare_dns_record` (provider v5; v4 called it `cloudflare_record` and `value`). */
export class CloudflareDnsRecord extends TerraformResource {
  static readonly tfResourceType = 'cloudflare_dns_record';
  readonly config: CloudflareDnsRecordConfig;

  constructor(scope: Construct, id: string, config: CloudflareDnsRecordConfig) {
    super(scope, id, {
      terraformResourceType: CloudflareDnsRecord.tfResourceType,
      terraformGeneratorMetadata: CLOUDFLARE_GENERATOR_METADATA,
    });
    validate(config);
    this.config = config;
  }

  get recordId(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const { zoneId, name, type, ttl, content, caa, proxied, priority, comment } = this.config;
    return { zone_id: zoneId, name, type, ttl, content, data: caa && { ...caa }, proxied: proxied ?? false, priority, comment };
  }
}

function validate(config: CloudflareDnsRecordConfig): void {
  const where = `CloudflareDnsRecord ${config.name} (${config.type})`;
  if (!DNS_RECORD_TYPES.includes(config.type)) throw new Error(`${where}: type must be one of ${DNS_RECORD_TYPES.join(', ')}`);
  if (!Token.isUnresolved(config.name) && (config.name.endsWith('.') || config.name !== config.name.toLowerCase())) {
    throw new Error(`${where}: name must be a lowercase fully qualified name without a trailing dot`);
  }
  const ttlValid = config.ttl === AUTOMATIC_TTL || (Number.isInteger(config.ttl) && config.ttl >= 60 && config.ttl <= 86400);
  if (!ttlValid) throw new Error(`${where}: ttl must be 1 (automatic) or a whole number of seconds from 60 to 86400 (got ${config.ttl})`);
  if (config.proxied) {
    if (!PROXIABLE.includes(config.type)) throw new Error(`${where}: proxied is only allowed for ${PROXIABLE.join(', ')} records`);
    if (config.ttl !== AUTOMATIC_TTL)
      throw new Error(`${where}: a proxied record must use ttl 1 (automatic); Cloudflare ignores any other value`);
  }
  if (config.type === 'MX') {
    if (config.priority === undefined || !Number.isInteger(config.priority) || config.priority < 0 || config.priority > 65535) {
      throw new Error(`${where}: priority is required for MX records and must be a whole number from 0 to 65535`);
    }
  } else if (config.priority !== undefined) {
    throw new Error(`${where}: priority is only allowed for MX records`);
  }
  if (config.type === 'CAA') {
    if (config.caa === undefined || config.content !== undefined) {
      throw new Error(`${where}: a CAA record takes caa (flags, tag, value) and no content`);
    }
    if (config.caa.value === '') throw new Error(`${where}: caa.value must not be empty`);
  } else {
    if (config.caa !== undefined) throw new Error(`${where}: caa is only allowed for CAA records`);
    if (config.content === undefined || config.content === '') throw new Error(`${where}: content must not be empty`);
  }
}
