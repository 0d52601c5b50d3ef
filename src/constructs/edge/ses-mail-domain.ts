import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogResourcePolicy } from '@cdktn/provider-aws/lib/cloudwatch-log-resource-policy';
import { Sesv2ConfigurationSet } from '@cdktn/provider-aws/lib/sesv2-configuration-set';
import { Sesv2ConfigurationSetEventDestination } from '@cdktn/provider-aws/lib/sesv2-configuration-set-event-destination';
import { Sesv2EmailIdentity } from '@cdktn/provider-aws/lib/sesv2-email-identity';
import { Sesv2EmailIdentityMailFromAttributes } from '@cdktn/provider-aws/lib/sesv2-email-identity-mail-from-attributes';
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
const DKIM_TOKEN_COUNT = 3;

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
}

/** TTL of the mail records, in seconds. */
const RECORD_TTL = 3600;

/**
 * An SES sending domain that verifies itself: the domain identity (SESv2, verified by its Easy DKIM
 * CNAMEs), a custom MAIL FROM subdomain (MX and SPF), SPF for the domain itself and DMARC `p=reject`,
 * all published in Cloudflare; plus the identity's default configuration set, which requires TLS to
 * the receiving server, tracks reputation and sends bounces, complaints, rejects and delivery delays to EventBridge. A send that
 * names no configuration set still goes through it ("default configuration set",
 * https://docs.aws.amazon.com/ses/latest/dg/managing-configuration-sets.html#default-config-sets).
 */
export class SesMailDomain extends Construct {
  readonly identity: Sesv2EmailIdentity;
  readonly mailFrom: Sesv2EmailIdentityMailFromAttributes;
  readonly configurationSet: Sesv2ConfigurationSet;
  readonly records: readonly CloudflareDnsRecord[];
  private readonly domain: string;
  private readonly configurationSetName: string;

  constructor(scope: Construct, id: string, props: SesMailDomainProps) {
    super(scope, id);
    this.domain = props.domain;
    this.configurationSetName = props.configurationSetName;
    const record = (recordId: string, config: Omit<ConstructorParameters<typeof CloudflareDnsRecord>[2], 'zoneId' | 'ttl'>) =>
      new CloudflareDnsRecord(this, recordId, { zoneId: props.zoneId, ttl: RECORD_TTL, ...config });
    const mailFromDomain = `${props.mailFromLabel}.${props.domain}`;

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

    // Easy DKIM (SES's own keys, rotated by SES); a domain identity is verified once its DKIM records resolve.
    this.identity = new Sesv2EmailIdentity(this, 'identity', {
      emailIdentity: props.domain,
      configurationSetName: this.configurationSet.configurationSetName,
    });
    const dkimRecords = Array.from({ length: DKIM_TOKEN_COUNT }, (_, i) => {
      const token = Fn.element(this.identity.dkimSigningAttributes.tokens, i);
      return record(`dkim-${i}`, {
        name: `${token}._domainkey.${props.domain}`,
        type: 'CNAME',
        content: `${token}.dkim.amazonses.com`,
        comment: 'SES Easy DKIM',
      });
    });

    this.mailFrom = new Sesv2EmailIdentityMailFromAttributes(this, 'mail-from', {
      emailIdentity: this.identity.emailIdentity,
      mailFromDomain,
      behaviorOnMxFailure: 'REJECT_MESSAGE',
    });
    const mx = record('mail-from-mx', {
      name: mailFromDomain,
      type: 'MX',
      priority: 10,
      content: `feedback-smtp.${props.region}.amazonses.com`,
      comment: 'SES custom MAIL FROM',
    });
    const spf = record('mail-from-spf', {
      name: mailFromDomain,
      type: 'TXT',
      content: 'v=spf1 include:amazonses.com -all',
      comment: 'SES custom MAIL FROM',
    });
    // SES sends with the MAIL FROM subdomain as envelope sender, never with the domain itself: mail that
    // claims the bare domain did not come from us.
    const domainSpf = record('domain-spf', { name: props.domain, type: 'TXT', content: 'v=spf1 -all', comment: 'No mail has this sender' });
    const report = props.dmarcReportAddress ? `; rua=mailto:${props.dmarcReportAddress}` : '';
    // Reject in every tier: only SES signs for the domain, so nothing legitimate fails. adkim/aspf relaxed:
    // DKIM signs as the domain and MAIL FROM is its subdomain, both aligned.
    const dmarc = record('dmarc', {
      name: `_dmarc.${props.domain}`,
      type: 'TXT',
      content: `v=DMARC1; p=reject; adkim=r; aspf=r${report}`,
      comment: 'DMARC',
    });
    this.records = [...dkimRecords, mx, spf, domainSpf, dmarc];
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
