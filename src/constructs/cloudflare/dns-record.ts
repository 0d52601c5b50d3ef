import { TerraformResource, Token } from 'cdktn';
import type { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
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
  if (!DNS_RECORD_TYPES.includes(config.type)) invalidProp(where, 'type', `one of ${DNS_RECORD_TYPES.join(', ')}`, config.type);
  if (!Token.isUnresolved(config.name) && (config.name.endsWith('.') || config.name !== config.name.toLowerCase())) {
    invalidProp(where, 'name', 'a lowercase fully qualified name without a trailing dot', config.name);
  }
  const ttlValid = config.ttl === AUTOMATIC_TTL || (Number.isInteger(config.ttl) && config.ttl >= 60 && config.ttl <= 86400);
  if (!ttlValid) invalidProp(where, 'ttl', '1 (automatic) or a whole number of seconds from 60 to 86400', config.ttl);
  if (config.proxied) {
    if (!PROXIABLE.includes(config.type)) invalidProp(where, 'proxied', `false unless type is ${PROXIABLE.join(', ')}`, config.proxied);
    if (config.ttl !== AUTOMATIC_TTL)
      invalidProp(where, 'ttl', '1 (automatic) on a proxied record; Cloudflare ignores any other value', config.ttl);
  }
  if (config.type === 'MX') {
    if (config.priority === undefined || !Number.isInteger(config.priority) || config.priority < 0 || config.priority > 65535) {
      invalidProp(where, 'priority', 'a whole number from 0 to 65535 (required for MX records)', config.priority);
    }
  } else if (config.priority !== undefined) {
    invalidProp(where, 'priority', 'absent unless type is MX', config.priority);
  }
  if (config.type === 'CAA') {
    if (config.caa === undefined) invalidProp(where, 'caa', 'the parts (flags, tag, value) of a CAA record', config.caa);
    if (config.content !== undefined) invalidProp(where, 'content', 'absent on a CAA record (caa holds its parts)', config.content);
    if (config.caa.value === '') invalidProp(where, 'caa.value', 'not empty', config.caa.value);
  } else {
    if (config.caa !== undefined) invalidProp(where, 'caa', 'absent unless type is CAA', config.caa);
    if (config.content === undefined || config.content === '') invalidProp(where, 'content', 'not empty', config.content);
  }
}
