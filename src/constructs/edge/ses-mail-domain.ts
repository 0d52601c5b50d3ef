import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogResourcePolicy } from '@cdktn/provider-aws/lib/cloudwatch-log-resource-policy';
import { SesDomainDkim } from '@cdktn/provider-aws/lib/ses-domain-dkim';
import { SesDomainIdentity } from '@cdktn/provider-aws/lib/ses-domain-identity';
import { SesDomainIdentityVerification } from '@cdktn/provider-aws/lib/ses-domain-identity-verification';
import { SesDomainMailFrom } from '@cdktn/provider-aws/lib/ses-domain-mail-from';
import { Sesv2ConfigurationSet } from '@cdktn/provider-aws/lib/sesv2-configuration-set';
import { Sesv2ConfigurationSetEventDestination } from '@cdktn/provider-aws/lib/sesv2-configuration-set-event-destination';
import { Fn, TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import type { EmailThresholds } from '../../config/schema/observability';
import { CloudflareDnsRecord } from '../cloudflare/dns-record';
import { invalidProp } from '../invalid-prop';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { MetricAlarm, type AlarmDestination, type MetricAlarmProps } from '../observability/metric-alarm';
import { policyDocument } from '../security/policy-document';
import { ServiceGrant } from '../security/service-grant';

/** SES Easy DKIM always publishes three selector CNAMEs. */
export const DKIM_TOKEN_COUNT = 3;
export const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;
export type DmarcPolicy = (typeof DMARC_POLICIES)[number];

/**
 * The sending events that mean mail did not arrive as sent, by SES event type, with the detail-type SES
 * gives each on EventBridge: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html and
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventDestination.html
 */
export const DELIVERY_PROBLEM_EVENTS = {
  BOUNCE: 'Email Bounced',
  COMPLAINT: 'Email Complaint Received',
  REJECT: 'Email Rejected',
  DELIVERY_DELAY: 'Email Delivery Delayed',
} as const;

/** Where the delivery-problem events are kept for investigation (SesMailDomain.logEvents). */
export interface MailEventLogProps {
  /** Name of the EventBridge rule that copies the events, from Naming. */
  readonly ruleName: string;
  readonly logGroupName: string;
  /** Key whose policy admits CloudWatch Logs for `logGroupName` (the events name recipients). */
  readonly kmsKeyArn: string;
  readonly retentionInDays: number;
}

export interface SesMailDomainProps {
  /** Domain mail is sent from. */
  readonly domain: string;
  /** Label of the custom MAIL FROM subdomain below `domain`. */
  readonly mailFromLabel: string;
  readonly dmarcPolicy: DmarcPolicy;
  /**
   * Mailbox aggregate DMARC reports go to.
   * @default - no reports requested
   */
  readonly dmarcReportAddress?: string;
  /** Cloudflare zone the records are created in. */
  readonly zoneId: string;
  readonly region: string;
  readonly configurationSetName: string;
  /** Event bus the delivery-problem events (DELIVERY_PROBLEM_EVENTS) are sent to. */
  readonly eventBusArn: string;
  /**
   * TTL of the mail records, in seconds.
   * @default 3600
   */
  readonly recordTtl?: number;
}

/**
 * An SES sending domain that verifies itself: the domain identity, its verification TXT record, Easy
 * DKIM (three CNAMEs), a custom MAIL FROM subdomain (MX and SPF) and DMARC, all published in
 * Cloudflare; plus a configuration set with reputation metrics and its bounces, complaints, rejects and
 * delivery delays on EventBridge.
 */
export class SesMailDomain extends Construct {
  readonly identity: SesDomainIdentity;
  readonly dkim: SesDomainDkim;
  readonly mailFrom: SesDomainMailFrom;
  readonly configurationSet: Sesv2ConfigurationSet;
  readonly records: readonly CloudflareDnsRecord[];
  private readonly domain: string;
  private readonly configurationSetName: string;

  constructor(scope: Construct, id: string, props: SesMailDomainProps) {
    super(scope, id);
    this.domain = props.domain;
    this.configurationSetName = props.configurationSetName;
    if (!DMARC_POLICIES.includes(props.dmarcPolicy)) throw new Error(`SesMailDomain ${props.domain}: dmarcPolicy must be one of ${DMARC_POLICIES.join(', ')}`);
    const ttl = props.recordTtl ?? 3600;
    const record = (recordId: string, config: Omit<ConstructorParameters<typeof CloudflareDnsRecord>[2], 'zoneId' | 'ttl'>) =>
      new CloudflareDnsRecord(this, recordId, { zoneId: props.zoneId, ttl, ...config });
    const mailFromDomain = `${props.mailFromLabel}.${props.domain}`;

    this.identity = new SesDomainIdentity(this, 'identity', { domain: props.domain });
    const verification = record('verification-txt', { name: `_amazonses.${props.domain}`, type: 'TXT', content: this.identity.verificationToken, comment: 'SES domain verification' });
    new SesDomainIdentityVerification(this, 'verification', { domain: this.identity.domain, dependsOn: [verification] });

    this.dkim = new SesDomainDkim(this, 'dkim', { domain: this.identity.domain });
    const dkimRecords = Array.from({ length: DKIM_TOKEN_COUNT }, (_, i) => {
      const token = Fn.element(this.dkim.dkimTokens, i);
      return record(`dkim-${i}`, { name: `${token}._domainkey.${props.domain}`, type: 'CNAME', content: `${token}.dkim.amazonses.com`, comment: 'SES Easy DKIM' });
    });

    this.mailFrom = new SesDomainMailFrom(this, 'mail-from', { domain: this.identity.domain, mailFromDomain, behaviorOnMxFailure: 'RejectMessage' });
    const mx = record('mail-from-mx', { name: mailFromDomain, type: 'MX', priority: 10, content: `feedback-smtp.${props.region}.amazonses.com`, comment: 'SES custom MAIL FROM' });
    const spf = record('mail-from-spf', { name: mailFromDomain, type: 'TXT', content: 'v=spf1 include:amazonses.com -all', comment: 'SES custom MAIL FROM' });
    const report = props.dmarcReportAddress ? `; rua=mailto:${props.dmarcReportAddress}` : '';
    // adkim/aspf relaxed: DKIM signs as the domain and MAIL FROM is its subdomain, both aligned.
    const dmarc = record('dmarc', { name: `_dmarc.${props.domain}`, type: 'TXT', content: `v=DMARC1; p=${props.dmarcPolicy}; adkim=r; aspf=r${report}`, comment: 'DMARC' });
    this.records = [verification, ...dkimRecords, mx, spf, dmarc];

    this.configurationSet = new Sesv2ConfigurationSet(this, 'configuration-set', {
      configurationSetName: props.configurationSetName,
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      deliveryOptions: { tlsPolicy: 'REQUIRE' },
      suppressionOptions: { suppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    // Id and name predate rejects and delays; both stay, as renaming either replaces the destination.
    new Sesv2ConfigurationSetEventDestination(this, 'bounces-complaints', {
      configurationSetName: this.configurationSet.configurationSetName,
      eventDestinationName: 'bounces-complaints',
      eventDestination: {
        enabled: true,
        matchingEventTypes: Object.keys(DELIVERY_PROBLEM_EVENTS),
        eventBridgeDestination: { eventBusArn: props.eventBusArn },
      },
    });
  }

  /**
   * Keeps every delivery-problem event in a KMS-encrypted log group with retention, where Logs Insights
   * finds them by recipient or message: an EventBridge rule on the default bus copies them, through a
   * log resource policy that admits only that rule (EventBridge writes to CloudWatch Logs with a
   * resource policy, not a role).
   */
  logEvents(props: MailEventLogProps): EncryptedLogGroup {
    const logGroup = new EncryptedLogGroup(this, 'event-log', {
      name: props.logGroupName,
      kmsKeyArn: props.kmsKeyArn,
      retentionInDays: props.retentionInDays,
    });
    const rule = new CloudwatchEventRule(this, 'event-rule', {
      name: props.ruleName,
      description: `SES delivery problems of ${this.configurationSetName} into ${props.logGroupName}`,
      eventPattern: JSON.stringify({ source: ['aws.ses'], 'detail-type': Object.values(DELIVERY_PROBLEM_EVENTS) }),
    });
    const policy = new CloudwatchLogResourcePolicy(this, 'event-log-policy', {
      policyName: props.ruleName,
      policyDocument: policyDocument([
        {
          sid: 'MailEventRuleWrites',
          principals: { Service: 'events.amazonaws.com' },
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.arn}:*`],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.arn } },
        },
      ]),
    });
    new CloudwatchEventTarget(this, 'event-target', { rule: rule.name, targetId: 'log-group', arn: logGroup.arn, dependsOn: [policy] });
    return logGroup;
  }

  /**
   * The account's sending reputation, to `destination`: the bounce and complaint rates SES publishes to
   * CloudWatch (account-wide, which is what SES's reviews look at), from a configurable share upward.
   * https://docs.aws.amazon.com/ses/latest/APIReference/API_UpdateConfigurationSetReputationMetricsEnabled.html
   */
  addAlarms(destination: AlarmDestination, thresholds: EmailThresholds): MetricAlarm[] {
    const alarm = (signal: string, props: Omit<MetricAlarmProps, 'name' | 'runbook' | 'destination'>) =>
      new MetricAlarm(this, `alarm-${signal}`, {
        name: `${this.configurationSetName}-${signal}`,
        runbook: `email-${signal}`,
        destination,
        ...props,
      });
    const rate = (kind: 'bounce' | 'complaint', percent: number) =>
      alarm(`${kind}-rate`, {
        summary: `The account's ${kind} rate has reached ${percent} %: SES reviews, and may pause, sending at this level.`,
        metric: {
          namespace: 'AWS/SES',
          metricName: kind === 'bounce' ? 'Reputation.BounceRate' : 'Reputation.ComplaintRate',
          dimensions: {},
          statistic: 'Maximum',
        },
        comparison: 'GreaterThanOrEqualToThreshold',
        // SES reports the rates as fractions.
        threshold: percent / 100,
        periodSeconds: 3600,
        evaluationPeriods: 1,
        // Without sending there is no rate, and nothing to worry about.
        treatMissingData: 'notBreaching',
      });
    return [rate('bounce', thresholds.bounceRatePercent), rate('complaint', thresholds.complaintRatePercent)];
  }

  /**
   * Lets a service send through this domain only as the given From addresses (`ses:FromAddress`, see
   * https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html) and only with this domain's
   * identity and configuration set.
   */
  grantSend(service: string, roleName: string, fromAddresses: readonly string[]): ServiceGrant {
    const fail = (allowed: string) => invalidProp(`SesMailDomain ${this.domain}`, 'fromAddresses', allowed, fromAddresses);
    if (fromAddresses.length === 0) fail(`at least one address for ${service}`);
    const foreign = fromAddresses.filter((address) => !address.toLowerCase().endsWith(`@${this.domain}`) || /[*?]/.test(address));
    if (foreign.length > 0) fail(`literal addresses at ${this.domain} (no wildcards)`);
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: 'email-send',
      statements: [
        {
          sid: 'SendFromOwnAddresses',
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [this.identity.arn, this.configurationSet.arn],
          conditions: { StringEquals: { 'ses:FromAddress': [...fromAddresses] } },
        },
      ],
    });
  }
}
