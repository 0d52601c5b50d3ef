// The alarm topic of the network layer: encrypted with its own key, which only the environment's alarms,
// rules and budgets may publish through; subscribed by config; and the budget and dashboard that use it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS } from '../../src/layers';
import {
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
  projectPrefix,
} from '../support/synth';

const PREFIX = projectPrefix();

const stacks = exampleStacks();

function only(doc: TerraformJson, type: string): [string, any] {
  const found = resourcesOf(doc, type);
  assert.equal(found.length, 1, `${type}: ${found.map(([name]) => name).join(', ')}`);
  return found[0]!;
}

const statement = (policy: string, sid: string) => {
  const found = policyOf(policy).Statement.find((s: any) => s.Sid === sid);
  assert.ok(found, `no statement ${sid}`);
  return found;
};

describe('alarm topic', () => {
  for (const env of exampleEnvironments()) {
    const network = stack(stacks, `${env.name}-network`);
    const prefix = `${PREFIX}-${env.name}-`;
    const [topicName, topic] = only(network, 'aws_sns_topic');

    it(`${env.name}: is encrypted with its own key, whose policy lets only the environment's alarms, rules and budgets publish`, () => {
      assert.equal(topic.name, `${prefix}alarms`);
      const [keyName] = resourcesOf(network, 'aws_kms_key').find(([, key]) => key['//'].metadata.path.endsWith('/alarm-topic/key/key'))!;
      assert.equal(topic.kms_master_key_id, `\${aws_kms_key.${keyName}.arn}`);
      const keyPolicy = resourcesOf(network, 'aws_kms_key').find(([name]) => name === keyName)![1].policy;
      const alarms = statement(keyPolicy, 'CloudWatchAlarmsPublish');
      assert.deepEqual(alarms.Principal, { Service: 'cloudwatch.amazonaws.com' });
      assert.deepEqual(alarms.Action, ['kms:GenerateDataKey*', 'kms:Decrypt']);
      assert.deepEqual(alarms.Condition, {
        StringEquals: { 'aws:SourceAccount': env.accountId },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${env.region}:${env.accountId}:alarm:${prefix}*` },
      });
      for (const [sid, service] of [
        ['EventBridgeRulesPublish', 'events'],
        ['BudgetsPublish', 'budgets'],
      ]) {
        assert.deepEqual(statement(keyPolicy, sid!).Principal, { Service: `${service}.amazonaws.com` });
      }
    });

    it(`${env.name}: its policy admits the three publishers by source and refuses publishing without TLS`, () => {
      const [, policy] = only(network, 'aws_sns_topic_policy');
      assert.equal(policy.arn, `\${aws_sns_topic.${topicName}.arn}`);
      const sources: Record<string, string> = {
        CloudWatchAlarmsPublish: `arn:aws:cloudwatch:${env.region}:${env.accountId}:alarm:${prefix}*`,
        EventBridgeRulesPublish: `arn:aws:events:${env.region}:${env.accountId}:rule/${prefix}*`,
        BudgetsPublish: `arn:aws:budgets::${env.accountId}:budget/${prefix}*`,
      };
      for (const [sid, source] of Object.entries(sources)) {
        const s = statement(policy.policy, sid);
        assert.equal(s.Action, 'sns:Publish');
        assert.deepEqual(s.Condition, { StringEquals: { 'aws:SourceAccount': env.accountId }, ArnLike: { 'aws:SourceArn': source } });
      }
      assert.deepEqual(statement(policy.policy, 'DenyInsecureTransport').Condition, { Bool: { 'aws:SecureTransport': 'false' } });
    });

    it(`${env.name}: the configured addresses subscribe by e-mail, and no chat channel exists unless configured`, () => {
      const subscriptions = resourcesOf(network, 'aws_sns_topic_subscription').map(([, s]) => s);
      assert.deepEqual(
        subscriptions.map((s) => s.endpoint),
        env.observability.notifications.emails,
      );
      for (const s of subscriptions) {
        assert.equal(s.protocol, 'email');
        assert.equal(s.topic_arn, `\${aws_sns_topic.${topicName}.arn}`);
      }
      assert.equal(resourcesOf(network, 'aws_chatbot_slack_channel_configuration').length, 0);
    });

    it(`${env.name}: rules and budgets notifying the topic carry the prefix its policies admit`, () => {
      for (const layer of LAYERS) {
        for (const [, rule] of resourcesOf(stack(stacks, `${env.name}-${layer}`), 'aws_cloudwatch_event_rule')) {
          assert.ok(rule.name.startsWith(prefix), rule.name);
        }
      }
      assert.ok(only(network, 'aws_budgets_budget')[1].name.startsWith(prefix));
    });
  }

  it('a configured Slack channel is subscribed through AWS Chatbot with a role of no permissions', () => {
    const env = configOfTier('development', (raw) => {
      raw.environment.observability.notifications.slack = { workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' };
    });
    const network = synthesizeLayer(env, 'network');
    const [, channel] = only(network, 'aws_chatbot_slack_channel_configuration');
    const [topicName] = only(network, 'aws_sns_topic');
    assert.equal(channel.slack_team_id, 'T07EA123LEP');
    assert.equal(channel.slack_channel_id, 'C07EZ1ABC23');
    assert.deepEqual(channel.sns_topic_arns, [`\${aws_sns_topic.${topicName}.arn}`]);
    assert.deepEqual(channel.guardrail_policy_arns, ['arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess']);
    assert.equal(channel.user_authorization_required, true);
    const [roleName, role] = resourcesOf(network, 'aws_iam_role').find(([, r]) => r.name === `${PREFIX}-${env.name}-chatbot`)!;
    assert.equal(channel.iam_role_arn, `\${aws_iam_role.${roleName}.arn}`);
    assert.deepEqual(policyOf(role.assume_role_policy).Statement[0].Principal, { Service: 'chatbot.amazonaws.com' });
    const grants = [...resourcesOf(network, 'aws_iam_role_policy'), ...resourcesOf(network, 'aws_iam_role_policy_attachment')];
    assert.ok(
      grants.every(([, grant]) => grant.role !== `\${aws_iam_role.${roleName}.name}`),
      'the Chatbot role has no permissions',
    );
  });
});

describe('monthly budget', () => {
  for (const env of exampleEnvironments()) {
    it(`${env.name}: the configured amount, a forecast alert per configured share and one at actual spend, to the topic`, () => {
      const network = stack(stacks, `${env.name}-network`);
      const [, budget] = only(network, 'aws_budgets_budget');
      const [topicName] = only(network, 'aws_sns_topic');
      const { monthlyLimitUsd, forecastAlertPercents } = env.observability.budget;
      assert.equal(budget.budget_type, 'COST');
      assert.equal(budget.time_unit, 'MONTHLY');
      assert.equal(budget.limit_amount, String(monthlyLimitUsd));
      assert.equal(budget.limit_unit, 'USD');
      const notifications = budget.notification.map((n: any) => `${n.notification_type} ${n.threshold}`);
      assert.deepEqual(notifications, [...forecastAlertPercents.map((p) => `FORECASTED ${p}`), 'ACTUAL 100']);
      for (const n of budget.notification) {
        assert.deepEqual(n.subscriber_sns_topic_arns, [`\${aws_sns_topic.${topicName}.arn}`]);
        assert.equal(n.threshold_type, 'PERCENTAGE');
      }
    });
  }
});

describe('environment dashboard', () => {
  for (const env of exampleEnvironments()) {
    it(`${env.name}: shows the state and graph of every alarm of every layer, named by ARN`, () => {
      const [, dashboard] = only(stack(stacks, `${env.name}-edge`), 'aws_cloudwatch_dashboard');
      assert.equal(dashboard.dashboard_name, `${PREFIX}-${env.name}-overview`);
      const widgets: any[] = JSON.parse(dashboard.dashboard_body).widgets;
      const names = LAYERS.flatMap((layer) =>
        resourcesOf(stack(stacks, `${env.name}-${layer}`), 'aws_cloudwatch_metric_alarm').map(([, a]) => a.alarm_name),
      );
      const arns = names.map((name) => `arn:aws:cloudwatch:${env.region}:${env.accountId}:alarm:${name}`).sort();
      const status = widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms);
      assert.deepEqual([...status].sort(), arns);
      const graphs = widgets.filter((w) => w.type === 'metric').map((w) => w.properties.annotations.alarms[0]);
      assert.deepEqual([...graphs].sort(), arns);
      for (const widget of widgets) assert.ok(widget.x + widget.width <= 24, JSON.stringify(widget));
    });
  }
});
