import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { AwsServiceRole } from '../security/aws-service-role';
import { notifyAlarmTopic } from './alarm-topic';
import type { AlarmDestination } from './metric-alarm';
import { formatArn, partitionOf, iamArn } from '../../naming';

/**
 * Detail types CloudTrail gives API calls and console sign-ins on EventBridge. AWS's guide spells the
 * sign-in type "AWS Console Signin via CloudTrail" while the events long carried "AWS Console Sign In
 * via CloudTrail"; both are matched. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export const CLOUDTRAIL_DETAIL_TYPES = [
  'AWS API Call via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'AWS Console Signin via CloudTrail',
] as const;

/** Region whose default bus receives the events of global services (IAM, STS, sign-in). */
export const GLOBAL_EVENTS_REGION = 'us-east-1';

export interface OutOfBandChangeAlertProps {
  /** Prefix of the rule and role names, from Naming (the alarm topic admits rules with this prefix). */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** `eventSource` values (`ec2.amazonaws.com`, …) of the services whose resources the layers manage. */
  readonly eventSources: readonly string[];
  /**
   * Role names every session of which is automation this repository defines (its roles all start
   * with it): the CI apply role, the workloads' and AWS services' roles for the platform.
   */
  readonly automationRoleNamePrefix: string;
  /** Roles whose changes are expected outside Terraform (config `observability.audit.breakGlassRoleArns`). */
  readonly breakGlassRoleArns: readonly string[];
  /** Where the alerts go, with the link to what to do about them (docs/runbooks/alarms/out-of-band-change.md). */
  readonly destination: AlarmDestination;
  /**
   * Further regions whose events are forwarded to this region's default bus and alerted here.
   * @default - none
   */
  readonly forwardFromRegions?: readonly string[];
  /** Name of the role EventBridge forwards with, from `Naming.roleName(...)`; required with forwardFromRegions. */
  readonly forwarderRoleName?: string;
}

/**
 * Alerts the alarm topic within minutes when anyone but this repository's automation and the named
 * break-glass roles changes a resource of the services the layers manage, or signs in to the console:
 * an EventBridge rule on the CloudTrail events of the default bus, which carry every mutating call
 * (read-only calls do not reach rules in the ENABLED state). It needs a trail that logs management
 * events in the region (AuditTrail, or the organization's). Global services deliver their events only
 * to us-east-1, so events of other regions are forwarded to this one's bus.
 * https://repost.aws/knowledge-center/eventbridge-rule-triggers-iam-single-region
 */
export class OutOfBandChangeAlert extends Construct {
  readonly rule: CloudwatchEventRule;
  /** The pattern every rule of the alert matches. */
  readonly eventPattern: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: OutOfBandChangeAlertProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) =>
      invalidProp(`OutOfBandChangeAlert ${props.namePrefix}`, prop, allowed, got);
    if (props.eventSources.length === 0) fail('eventSources', 'at least one event source', props.eventSources);
    const automation = props.automationRoleNamePrefix;
    if (!automation.endsWith('-')) fail('automationRoleNamePrefix', 'a role name prefix ending in "-"', automation);
    const forwardFrom = (props.forwardFromRegions ?? []).filter((region) => region !== props.region);
    const forwarderRole = props.forwarderRoleName;
    if (forwardFrom.length > 0 && !forwarderRole) fail('forwarderRoleName', 'given with forwardFromRegions', forwarderRole);
    this.eventPattern = changePattern(props);
    const pattern = JSON.stringify(this.eventPattern);
    const description = 'Changes and console sign-ins outside Terraform, by principals other than its automation and break-glass roles';

    const name = `${props.namePrefix}-out-of-band-changes`;
    this.rule = new CloudwatchEventRule(this, 'rule', { name, description, eventPattern: pattern, state: 'ENABLED' });
    notifyAlarmTopic(this, 'notify', {
      rule: this.rule,
      destination: props.destination,
      inputPaths: {
        kind: '$.detail-type',
        principal: '$.detail.userIdentity.arn',
        service: '$.detail.eventSource',
        call: '$.detail.eventName',
        region: '$.detail.awsRegion',
        time: '$.time',
        error: '$.detail.errorCode',
      },
      message: 'Out-of-band change (<kind>): <principal> called <service> <call> in <region> at <time>; error: <error>.',
      runbook: 'out-of-band-change',
    });

    if (forwardFrom.length === 0) return;
    const homeBus = formatArn(partitionOf(props.region), 'events', props.region, props.accountId, 'event-bus/default');
    const forwarder = new AwsServiceRole(this, 'forwarder-role', {
      roleName: forwarderRole!,
      description: `EventBridge: forwards out-of-band changes of ${forwardFrom.join(', ')} to ${props.region}`,
      servicePrincipal: 'events.amazonaws.com',
      accountId: props.accountId,
      inlinePolicyName: 'forward-to-home-bus',
      statements: [{ sid: 'PutEventsOnHomeBus', actions: ['events:PutEvents'], resources: [homeBus] }],
    });
    for (const region of forwardFrom) {
      const rule = new CloudwatchEventRule(this, `forward-${region}`, {
        region,
        name: `${name}-to-${props.region}`,
        description: `${description}; forwarded to ${props.region}`,
        eventPattern: pattern,
        state: 'ENABLED',
      });
      new CloudwatchEventTarget(this, `forward-${region}-target`, {
        region,
        rule: rule.name,
        targetId: 'home-bus',
        arn: homeBus,
        roleArn: forwarder.arn,
        dependsOn: forwarder.grants,
      });
    }
  }
}

/**
 * Mutating calls to the managed services and console sign-ins, except by AWS services themselves and
 * by sessions of the automation roles, of AWS's service-linked roles and of the break-glass roles.
 * Each exclusion is on its own field because EventBridge ANDs fields but ORs the values of one field.
 */
function changePattern(props: OutOfBandChangeAlertProps): Record<string, unknown> {
  const { accountId } = props;
  const partition = partitionOf(props.region);
  const breakGlassNames = props.breakGlassRoleArns.map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
  return {
    'detail-type': [...CLOUDTRAIL_DETAIL_TYPES],
    detail: {
      eventSource: [...new Set([...props.eventSources, 'signin.amazonaws.com'])].sort(),
      $or: [
        // IAM users, the root user, federated and IAM Identity Center users, other accounts.
        { userIdentity: { type: [{ 'anything-but': ['AssumedRole', 'AWSService'] }] } },
        {
          userIdentity: {
            type: ['AssumedRole'],
            arn: [
              { 'anything-but': { prefix: formatArn(partition, 'sts', '', accountId, `assumed-role/${props.automationRoleNamePrefix}`) } },
            ],
            sessionContext: {
              sessionIssuer: {
                arn: [{ 'anything-but': { prefix: iamArn(partition, accountId, 'role/aws-service-role/') } }],
                ...(breakGlassNames.length > 0 ? { userName: [{ 'anything-but': breakGlassNames }] } : {}),
              },
            },
          },
        },
      ],
    },
  };
}
