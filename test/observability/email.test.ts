// Email in the edge layer: the configuration set's delivery problems kept in an encrypted log group, and
// the account's reputation alarms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELIVERY_PROBLEM_EVENTS } from '../../src/constructs/edge/ses-mail-domain';
import { exampleEnvironments, exampleStacks, policyOf, resourcesOf, stack, projectPrefix } from '../support/synth';

const PREFIX = projectPrefix();

const stacks = exampleStacks();

describe('email delivery problems and reputation', () => {
  for (const env of exampleEnvironments()) {
    const doc = stack(stacks, `${env.name}-edge`);

    it(`${env.name}: delivery problems land in an encrypted log group, written only by their rule`, () => {
      const [ruleName, rule] = resourcesOf(doc, 'aws_cloudwatch_event_rule').find(
        ([, r]) => r.name === `${PREFIX}-${env.name}-mail-events`,
      )!;
      assert.deepEqual(JSON.parse(rule.event_pattern), { source: ['aws.ses'], 'detail-type': Object.values(DELIVERY_PROBLEM_EVENTS) });
      const [groupName, group] = resourcesOf(doc, 'aws_cloudwatch_log_group').find(
        ([, g]) => g.name === `/${PREFIX}/${env.name}/ses-events`,
      )!;
      const [, alias] = resourcesOf(doc, 'aws_kms_alias').find(([, a]) => a.name === `alias/${PREFIX}-${env.name}-edge`)!;
      assert.equal(group.kms_key_id, alias.target_key_id.replace(/\.key_id\}$/, '.arn}'), 'encrypted with the edge key');
      assert.equal(group.retention_in_days, env.defaultLogRetentionDays);
      const [, target] = resourcesOf(doc, 'aws_cloudwatch_event_target').find(
        ([, t]) => t.rule === `\${aws_cloudwatch_event_rule.${ruleName}.name}`,
      )!;
      assert.equal(target.arn, `\${aws_cloudwatch_log_group.${groupName}.arn}`);
      const [, policy] = resourcesOf(doc, 'aws_cloudwatch_log_resource_policy').find(
        ([, p]) => p.policy_name === `${PREFIX}-${env.name}-mail-events`,
      )!;
      const [statement] = policyOf(policy.policy_document).Statement;
      assert.deepEqual(statement.Principal, { Service: 'events.amazonaws.com' });
      assert.equal(statement.Resource, `\${aws_cloudwatch_log_group.${groupName}.arn}:*`);
      assert.deepEqual(statement.Condition, { ArnEquals: { 'aws:SourceArn': `\${aws_cloudwatch_event_rule.${ruleName}.arn}` } });
      assert.ok(target.depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_resource_policy.')));
    });

    it(`${env.name}: bounce and complaint rates alarm at the configured shares, as the fractions SES reports`, () => {
      const alarms = resourcesOf(doc, 'aws_cloudwatch_metric_alarm')
        .map(([, a]) => a)
        .filter((a) => a.namespace === 'AWS/SES');
      const { bounceRatePercent, complaintRatePercent } = env.observability.thresholds.email;
      const byMetric = Object.fromEntries(alarms.map((a) => [a.metric_name, a]));
      assert.equal(byMetric['Reputation.BounceRate'].threshold, bounceRatePercent / 100);
      assert.equal(byMetric['Reputation.ComplaintRate'].threshold, complaintRatePercent / 100);
      for (const alarm of alarms) {
        assert.equal(alarm.comparison_operator, 'GreaterThanOrEqualToThreshold');
        assert.deepEqual(alarm.dimensions, {}, 'account-wide, as SES reviews it');
      }
    });
  }
});
