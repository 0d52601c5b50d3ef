import { AcmCertificate } from '@cdktn/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktn/provider-aws/lib/acm-certificate-validation';
import { Construct } from 'constructs';
import { CloudflareDnsRecord } from '../cloudflare/dns-record';
import { invalidProp } from '../invalid-prop';

export interface DnsValidatedCertificateProps {
  /** Host names (FQDNs) the certificate covers; the first is its subject. */
  readonly hostNames: readonly string[];
  /** Cloudflare zone the validation records are created in. */
  readonly zoneId: string;
}

/** TTL of the validation records, in seconds. */
const VALIDATION_RECORD_TTL = 300;

/**
 * An ACM certificate validated through CNAME records created in Cloudflare, and the validation that
 * waits for it to be issued. Records are keyed by host name, which is known at synth time, so each
 * gets a stable address instead of a for_each over ACM's unordered set.
 */
export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;
  readonly validationRecords: readonly CloudflareDnsRecord[];

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const [subject, ...alternatives] = props.hostNames;
    if (!subject) invalidProp('DnsValidatedCertificate', 'hostNames', 'at least one host name', props.hostNames);
    if (new Set(props.hostNames).size !== props.hostNames.length)
      invalidProp('DnsValidatedCertificate', 'hostNames', 'host names without repeats', props.hostNames);

    this.certificate = new AcmCertificate(this, 'certificate', {
      domainName: subject,
      subjectAlternativeNames: alternatives.length > 0 ? alternatives : undefined,
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: subject },
    });
    const option = (host: string, attribute: string) =>
      `\${trimsuffix({ for o in ${this.certificate.fqn}.domain_validation_options : o.domain_name => o }["${host}"].${attribute}, ".")}`;
    this.validationRecords = props.hostNames.map(
      (host) =>
        new CloudflareDnsRecord(this, `validation-${host}`, {
          zoneId: props.zoneId,
          name: option(host, 'resource_record_name'),
          type: 'CNAME',
          content: option(host, 'resource_record_value'),
          ttl: VALIDATION_RECORD_TTL,
          proxied: false,
          comment: `ACM validation of ${host}`,
        }),
    );
    this.validation = new AcmCertificateValidation(this, 'validation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: props.hostNames.map((host) => option(host, 'resource_record_name')),
      dependsOn: [...this.validationRecords],
    });
  }

  /** The ARN once validated: listeners that use it wait for issuance. */
  get arn(): string {
    return this.validation.certificateArn;
  }
}
