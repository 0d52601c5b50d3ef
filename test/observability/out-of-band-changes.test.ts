// The out-of-band change alert: its rule matched against CloudTrail events of the principals it must and
// must not report (by a small matcher of the EventBridge pattern syntax it uses), its forwarders from
// us-east-1 and the recovery region, its message, and the services it covers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUDTRAIL_DETAIL_TYPES } from '../../src/constructs/observability/out-of-band-change-alert';
import { LAYERS } from '../../src/layers';
import { MANAGED_EVENT_SOURCES } from '../../src/stacks/network-stack';
import { exampleEnvironments, exampleStacks, projectPrefix, policyOf, resourcesOf, stack, exampleOfTier } from '../support/synth';
const PROD = exampleOfTier('production').name;

const PREFIX = projectPrefix();

const stacks = exampleStacks();
const prod = exampleOfTier('production');
const account = prod.accountId;

/** EventBridge matching of what the pattern uses: values, prefix, anything-but (list, value, prefix) and $or. */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as any[]).some((alternative) => matches(alternative, event));
    const value = event?.[key];
    if (!Array.isArray(expected)) return typeof value === 'object' && value !== null && matches(expected, value);
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => v !== undefined && (expected as any[]).some((matcher) => leaf(matcher, v)));
  });
}

function leaf(matcher: any, value: unknown): boolean {
  if (typeof matcher !== 'object' || matcher === null) return matcher === value;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  const but = matcher['anything-but'];
  if (Array.isArray(but)) return !but.includes(value);
  if (typeof but === 'object') return !(typeof value === 'string' && value.startsWith(but.prefix));
  return value !== but;
}

/** A CloudTrail event as EventBridge delivers it, made by a session of `role` (or another identity). */
function event(identity: any, eventSource = 'ec2.amazonaws.com', detailType = 'AWS API Call via CloudTrail') {
  return {
    'detail-type': detailType,
    source: `aws.${eventSource.split('.')[0]}`,
    detail: { eventSource, eventName: 'Change', userIdentity: identity },
  };
}
function session(roleName: string, path = '') {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/someone`,
    sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${account}:role/${path}${roleName}`, userName: roleName } },
  };
}

const network = stack(stacks, `${PROD}-network`);
const rules = resourcesOf(network, 'aws_cloudwatch_event_rule').map(([name, body]) => ({ name, body }));
const home = rules.find((rule) => rule.body.name === `${PREFIX}-${PROD}-out-of-band-changes`)!;
const pattern = JSON.parse(home.body.event_pattern);

describe('out-of-band change alert: who it reports', () => {
  const reported: [string, any][] = [
    [
      'an IAM Identity Center user changing a security group in the console',
      event(session('AWSReservedSSO_Admin_0123', 'aws-reserved/sso.amazonaws.com/')),
    ],
    ['a platform administrator changing a key outside Terraform', event(session('platform-admin'), 'kms.amazonaws.com')],
    ['an IAM user', event({ type: 'IAMUser', arn: `arn:aws:iam::${account}:user/alice`, userName: 'alice' }, 'rds.amazonaws.com')],
    [
      'the root user signing in to the console',
      event({ type: 'Root', arn: `arn:aws:iam::${account}:root` }, 'signin.amazonaws.com', 'AWS Console Sign In via CloudTrail'),
    ],
    ['a federated console sign-in', event(session('Okta-Admin'), 'signin.amazonaws.com', 'AWS Console Signin via CloudTrail')],
    ['another account', event({ type: 'AWSAccount', accountId: '999999999999' }, 's3.amazonaws.com')],
  ];
  const ignored: [string, any][] = [
    ['the CI apply role', event(session(`${PREFIX}-${PROD}-ci-apply`), 'rds.amazonaws.com')],
    ['the EKS cluster role launching Auto Mode nodes', event(session(`${PREFIX}-${PROD}-eks-cluster`))],
    ['a consumer pipeline pushing an image', event(session(`${PREFIX}-${PROD}-deploy-svc-idt`), 'ecr.amazonaws.com')],
    ['a service-linked role', event(session('AWSServiceRoleForRDS', 'aws-service-role/rds.amazonaws.com/'))],
    ['an AWS service itself', event({ type: 'AWSService', invokedBy: 'backup.amazonaws.com' }, 'backup.amazonaws.com')],
    ['a configured break-glass role', event(session('platform-break-glass'), 'iam.amazonaws.com')],
    ['a change to a service the layers do not use', event(session('platform-admin'), 'lambda.amazonaws.com')],
  ];
  for (const [who, e] of reported) it(`reports ${who}`, () => assert.ok(matches(pattern, e), JSON.stringify(e)));
  for (const [who, e] of ignored) it(`ignores ${who}`, () => assert.ok(!matches(pattern, e), JSON.stringify(e)));

  it('takes the break-glass roles from config', () => {
    const names = prod.observability.audit.breakGlassRoleArns.map((arn) => arn.split('/').pop());
    assert.deepEqual(pattern.detail.$or[1].userIdentity.sessionContext.sessionIssuer.userName, [{ 'anything-but': names }]);
    assert.deepEqual(pattern['detail-type'], [...CLOUDTRAIL_DETAIL_TYPES]);
  });
});

describe('out-of-band change alert: where it runs and what it sends', () => {
  for (const env of exampleEnvironments()) {
    const doc = stack(stacks, `${env.name}-network`);
    const envRules = resourcesOf(doc, 'aws_cloudwatch_event_rule')
      .map(([name, body]) => ({ name, body }))
      .filter((rule) => String(rule.body.name).startsWith(`${PREFIX}-${env.name}-out-of-band-changes`));
    const homeRule = envRules.find((rule) => rule.body.region === undefined)!;

    it(`${env.name}: forwards from us-east-1 and the recovery region to the home bus, with a role allowed only that`, () => {
      const expected = ['us-east-1', ...(env.recovery ? [env.recovery.region] : [])].filter((region) => region !== env.region).sort();
      const forwarders = envRules.filter((rule) => rule.body.region !== undefined);
      assert.deepEqual(forwarders.map((rule) => rule.body.region).sort(), expected);
      const forwarderRole = resourcesOf(doc, 'aws_iam_role').find(([, r]) => r.name === `${PREFIX}-${env.name}-events-forwarder`);
      if (expected.length === 0) {
        assert.equal(forwarderRole, undefined, 'nothing to forward, no role');
        return;
      }
      const homeBus = `arn:aws:events:${env.region}:${env.accountId}:event-bus/default`;
      const [roleName, role] = forwarderRole!;
      assert.deepEqual(policyOf(role.assume_role_policy).Statement[0].Principal, { Service: 'events.amazonaws.com' });
      const [, inline] = resourcesOf(doc, 'aws_iam_role_policy').find(([, p]) => p.role === `\${aws_iam_role.${roleName}.name}`)!;
      assert.deepEqual(policyOf(inline.policy).Statement, [
        { Sid: 'PutEventsOnHomeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: homeBus },
      ]);
      for (const forwarder of forwarders) {
        assert.equal(forwarder.body.event_pattern, homeRule.body.event_pattern);
        const [, target] = resourcesOf(doc, 'aws_cloudwatch_event_target').find(
          ([, t]) => t.rule === `\${aws_cloudwatch_event_rule.${forwarder.name}.name}`,
        )!;
        assert.equal(target.arn, homeBus);
        assert.equal(target.region, forwarder.body.region);
        assert.equal(target.role_arn, `\${aws_iam_role.${roleName}.arn}`);
      }
    });

    it(`${env.name}: notifies the alarm topic with who called what, and the runbook`, () => {
      const [topicName] = resourcesOf(doc, 'aws_sns_topic')[0]!;
      const [, target] = resourcesOf(doc, 'aws_cloudwatch_event_target').find(
        ([, t]) => t.rule === `\${aws_cloudwatch_event_rule.${homeRule.name}.name}`,
      )!;
      assert.equal(target.arn, `\${aws_sns_topic.${topicName}.arn}`);
      assert.equal(homeRule.body.state, 'ENABLED');
      const { input_paths: paths, input_template: template } = target.input_transformer;
      assert.equal(paths.principal, '$.detail.userIdentity.arn');
      assert.equal(paths.call, '$.detail.eventName');
      const { organization, infraRepository } = env.project.github;
      const runbook = `https://github.com/${organization}/${infraRepository}/blob/main/docs/runbooks/alarms/out-of-band-change.md`;
      assert.ok(template.startsWith('"') && template.endsWith(`Runbook: ${runbook}"`), template);
    });
  }
});

/** The CloudTrail event source of the service each resource type belongs to, by type prefix (longest first). */
const SERVICE_OF_TYPE: readonly [string, readonly string[]][] = [
  ['aws_cloudwatch_event_', ['events.amazonaws.com']],
  ['aws_cloudwatch_log_', ['logs.amazonaws.com']],
  ['aws_cloudwatch_', ['monitoring.amazonaws.com']],
  ['aws_codeconnections_', ['codeconnections.amazonaws.com', 'codestar-connections.amazonaws.com']],
  ['aws_acm_', ['acm.amazonaws.com']],
  ['aws_backup_', ['backup.amazonaws.com']],
  ['aws_budgets_', ['budgets.amazonaws.com']],
  ['aws_chatbot_', ['chatbot.amazonaws.com']],
  ['aws_cloudtrail', ['cloudtrail.amazonaws.com']],
  ['aws_codebuild_', ['codebuild.amazonaws.com']],
  ['aws_db_', ['rds.amazonaws.com']],
  ['aws_dynamodb_', ['dynamodb.amazonaws.com']],
  ['aws_ecr_', ['ecr.amazonaws.com']],
  ['aws_eks_', ['eks.amazonaws.com']],
  ['aws_elasticache_', ['elasticache.amazonaws.com']],
  ['aws_iam_', ['iam.amazonaws.com']],
  ['aws_kms_', ['kms.amazonaws.com']],
  ['aws_lb', ['elasticloadbalancing.amazonaws.com']],
  ['aws_opensearch_', ['es.amazonaws.com']],
  ['aws_s3_', ['s3.amazonaws.com']],
  ['aws_secretsmanager_', ['secretsmanager.amazonaws.com']],
  ['aws_ses', ['ses.amazonaws.com']],
  ['aws_sns_', ['sns.amazonaws.com']],
  ['aws_ssm_', ['ssm.amazonaws.com']],
  // EC2 networking.
  ...[
    'aws_vpc',
    'aws_subnet',
    'aws_route',
    'aws_security_group',
    'aws_default_security_group',
    'aws_internet_gateway',
    'aws_nat_gateway',
    'aws_eip',
    'aws_flow_log',
  ].map((prefix): [string, readonly string[]] => [prefix, ['ec2.amazonaws.com']]),
];

describe('out-of-band change alert: the services it covers', () => {
  it('covers the service of every AWS resource type the layers create, and no service they do not use', () => {
    const types = new Set<string>();
    for (const env of exampleEnvironments()) {
      for (const layer of LAYERS) {
        for (const type of Object.keys(stack(stacks, `${env.name}-${layer}`).resource ?? {})) if (type.startsWith('aws_')) types.add(type);
      }
    }
    const sources = new Set<string>();
    for (const type of types) {
      const entry = SERVICE_OF_TYPE.find(([prefix]) => type.startsWith(prefix));
      assert.ok(entry, `${type}: add its service's event source to SERVICE_OF_TYPE here and to MANAGED_EVENT_SOURCES`);
      entry[1].forEach((source) => sources.add(source));
    }
    // A Slack channel is created only when configured; its service is covered all the same.
    sources.add('chatbot.amazonaws.com');
    assert.deepEqual([...MANAGED_EVENT_SOURCES].sort(), [...sources].sort());
    assert.deepEqual(pattern.detail.eventSource, [...MANAGED_EVENT_SOURCES, 'signin.amazonaws.com'].sort());
  });
});
