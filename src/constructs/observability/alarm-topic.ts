import { ChatbotSlackChannelConfiguration } from '@cdktn/provider-aws/lib/chatbot-slack-channel-configuration';
import type { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktn/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktn/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { AwsServiceRole } from '../security/aws-service-role';
import { EncryptionKey } from '../security/kms-key';
import { policyDocument, type PolicyStatement } from '../security/policy-document';
import { type AlarmDestination, runbookLink } from './metric-alarm';
import { awsManagedPolicyArn, formatArn, partitionOf } from '../../naming';

/** What SNS needs from a publisher to an encrypted topic: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html */
const PUBLISH_TO_ENCRYPTED_TOPIC = ['kms:GenerateDataKey*', 'kms:Decrypt'] as const;

/** The Slack channel the alarms are posted to, through AWS Chatbot (Amazon Q Developer in chat applications). */
export interface SlackChannelProps {
  readonly workspaceId: string;
  readonly channelId: string;
  /** Name of the channel configuration, from Naming. */
  readonly configurationName: string;
  /** Role Chatbot assumes to render alarm details, from `Naming.roleName(...)`. */
  readonly roleName: string;
}

export interface AlarmTopicProps {
  /** Topic name and key alias, from `Naming.name(...)`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Roles that administer the topic's key (EncryptionKey.administratorArns). */
  readonly keyAdministratorArns: readonly string[];
  /**
   * Only alarms, EventBridge rules and budgets whose names start with this prefix may publish: the
   * environment's `<project>-<env>-`.
   */
  readonly publisherNamePrefix: string;
  /** E-mail addresses subscribed; each must confirm once (the link SNS mails them). */
  readonly emails: readonly string[];
  /**
   * A Slack channel subscribed through AWS Chatbot.
   * @default - none
   */
  readonly slack?: SlackChannelProps;
  /**
   * Terraform refuses to destroy the topic's key.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * The environment's one alarm topic: KMS-encrypted with its own customer-managed key, which only
 * CloudWatch alarms, EventBridge rules and AWS Budgets of this environment may publish through (topic
 * policy and key policy), and only over TLS; subscribed by the configured e-mail addresses and, if
 * configured, a Slack channel.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`AlarmTopic ${props.name}`, prop, allowed, got);
    if (props.emails.length === 0 && !props.slack) fail('emails', 'at least one address, or slack given', props.emails);
    if (!props.publisherNamePrefix.endsWith('-')) fail('publisherNamePrefix', 'a name prefix ending in "-"', props.publisherNamePrefix);
    const { accountId, region, publisherNamePrefix: prefix } = props;
    const sourceAccount = { 'aws:SourceAccount': accountId };
    const partition = partitionOf(region);
    const alarms = formatArn(partition, 'cloudwatch', region, accountId, `alarm:${prefix}*`);
    const rules = formatArn(partition, 'events', region, accountId, `rule/${prefix}*`);
    const budgets = formatArn(partition, 'budgets', '', accountId, `budget/${prefix}*`);

    this.key = new EncryptionKey(this, 'key', {
      aliasName: props.name,
      description: `Encrypts the ${props.name} alarm topic`,
      accountId,
      partition,
      administratorArns: props.keyAdministratorArns,
      preventDestroy: props.preventDestroy ?? true,
      additionalStatements: [
        {
          // CloudWatch names the alarm as the source:
          // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
          sid: 'CloudWatchAlarmsPublish',
          principals: { Service: 'cloudwatch.amazonaws.com' },
          actions: PUBLISH_TO_ENCRYPTED_TOPIC,
          resources: ['*'],
          conditions: { StringEquals: sourceAccount, ArnLike: { 'aws:SourceArn': alarms } },
        },
        // EventBridge and Budgets are not conditioned on their source here: EventBridge's KMS requests
        // do not carry aws:SourceArn/aws:SourceAccount, and this key encrypts nothing but this topic.
        ...(['events', 'budgets'] as const).map((service) => ({
          sid: service === 'events' ? 'EventBridgeRulesPublish' : 'BudgetsPublish',
          principals: { Service: `${service}.amazonaws.com` },
          actions: PUBLISH_TO_ENCRYPTED_TOPIC,
          resources: ['*'],
        })),
      ],
    });
    this.topic = new SnsTopic(this, 'topic', { name: props.name, displayName: props.name, kmsMasterKeyId: this.key.arn });
    const publish = (sid: string, service: string, sourceArn: string): PolicyStatement => ({
      sid,
      principals: { Service: service },
      actions: ['sns:Publish'],
      resources: [this.topic.arn],
      conditions: { StringEquals: sourceAccount, ArnLike: { 'aws:SourceArn': sourceArn } },
    });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: policyDocument([
        publish('CloudWatchAlarmsPublish', 'cloudwatch.amazonaws.com', alarms),
        publish('EventBridgeRulesPublish', 'events.amazonaws.com', rules),
        publish('BudgetsPublish', 'budgets.amazonaws.com', budgets),
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: '*',
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });

    props.emails.forEach(
      (email, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email }),
    );
    if (props.slack) this.subscribeSlack(props.slack, { accountId, partition }, props.name);
  }

  /** Where alarms notify: this topic, with the runbooks at `runbookBaseUrl`. */
  destination(runbookBaseUrl: string): AlarmDestination {
    return { topicArn: this.arn, runbookBaseUrl };
  }

  get arn(): string {
    return this.topic.arn;
  }

  private subscribeSlack(
    slack: SlackChannelProps,
    { accountId, partition }: { accountId: string; partition: string },
    topicName: string,
  ): void {
    // The channel only relays the topic's notifications, which Chatbot delivers without using the role:
    // the role exists because a channel configuration must name one, and holds no permission, so no
    // command typed in the channel can do anything; the guardrail caps it to CloudWatch reads anyway.
    // https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-iam-policies.html
    const role = new AwsServiceRole(this, 'chatbot-role', {
      roleName: slack.roleName,
      description: `AWS Chatbot: relays ${topicName} notifications to Slack (no permissions)`,
      servicePrincipal: 'chatbot.amazonaws.com',
      accountId,
      // Not verified that Chatbot sends aws:SourceAccount when it assumes the role; pinned, it could not.
      pinSourceAccount: false,
    });
    new ChatbotSlackChannelConfiguration(this, 'slack', {
      configurationName: slack.configurationName,
      iamRoleArn: role.arn,
      slackTeamId: slack.workspaceId,
      slackChannelId: slack.channelId,
      snsTopicArns: [this.topic.arn],
      guardrailPolicyArns: [awsManagedPolicyArn(partition, 'CloudWatchReadOnlyAccess')],
      userAuthorizationRequired: true,
      // With logging on, Chatbot creates an unencrypted, never-expiring log group in us-east-1.
      loggingLevel: 'NONE',
    });
  }
}

export interface EventNotificationProps {
  readonly rule: CloudwatchEventRule;
  readonly destination: AlarmDestination;
  /** JSON paths of the event the message names, by placeholder. */
  readonly inputPaths: Readonly<Record<string, string>>;
  /** The message, with `<placeholder>`s; the link to `runbook` follows it. */
  readonly message: string;
  /** The runbook's file name in docs/runbooks/alarms, without `.md`. */
  readonly runbook: string;
}

/**
 * Sends what an EventBridge rule matches to the alarm topic as one line of text ending with its runbook (the topic
 * policy admits rules of the environment's prefix). A quoted template makes the SNS message plain text instead of JSON.
 */
export function notifyAlarmTopic(scope: Construct, id: string, props: EventNotificationProps): CloudwatchEventTarget {
  return new CloudwatchEventTarget(scope, id, {
    rule: props.rule.name,
    targetId: 'alarm-topic',
    arn: props.destination.topicArn,
    inputTransformer: {
      inputPaths: { ...props.inputPaths },
      inputTemplate: `"${props.message} ${runbookLink(props.destination, props.runbook)}"`,
    },
  });
}
