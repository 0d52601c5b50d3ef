// The backup job failure alert: which AWS Backup events its rule matches (by a small matcher of the EventBridge
// pattern syntax it uses), where it sends them, and that the alarm topic admits it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FAILED_BACKUP_JOBS } from '../../src/constructs/recovery/backup-job-failure-alert';
import { exampleEnvironments, exampleStacks, policyOf, REPO_ROOT, resourcesOf, stack } from '../support/synth';

/** EventBridge matching of what the pattern uses: exact values and $or. */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return (expected as any[]).some((alternative) => matches(alternative, event));
    const value = event?.[key];
    if (!Array.isArray(expected)) return typeof value === 'object' && value !== null && matches(expected, value);
    return (expected as unknown[]).includes(value);
  });
}

const job = (detailType: string, detail: Record<string, string>) => ({ source: 'aws.backup', 'detail-type': detailType, detail });

for (const env of exampleEnvironments()) {
  const network = stack(exampleStacks(), `${env.name}-network`);
  const name = `${env.project.project}-${env.name}-backup-job-failures`;
  const [ruleId, rule] = resourcesOf(network, 'aws_cloudwatch_event_rule').find(([, r]) => r.name === name) ?? [];

  describe(`backup job failure alert: ${env.name}`, () => {
    it('matches failed, aborted and expired backup and copy jobs, and failed or aborted restores', () => {
      assert.ok(rule, name);
      const pattern = JSON.parse(rule.event_pattern);
      for (const detailType of FAILED_BACKUP_JOBS.byState.detailTypes) {
        for (const state of FAILED_BACKUP_JOBS.byState.values)
          assert.ok(matches(pattern, job(detailType, { state })), `${detailType} ${state}`);
        for (const state of ['COMPLETED', 'RUNNING', 'CREATED'])
          assert.ok(!matches(pattern, job(detailType, { state })), `${detailType} ${state}`);
      }
      const restore = FAILED_BACKUP_JOBS.byStatus.detailTypes[0];
      assert.ok(matches(pattern, job(restore, { status: 'FAILED' })));
      // Restore jobs report status, not state; a completed one (the weekly test's) is no alert.
      assert.ok(!matches(pattern, job(restore, { status: 'COMPLETED' })));
      assert.ok(!matches(pattern, job(restore, { state: 'FAILED' })));
      assert.ok(!matches(pattern, { ...job('Backup Job State Change', { state: 'FAILED' }), source: 'aws.rds' }));
    });

    it('sends a plain-text message with its runbook to the alarm topic, which admits the rule', () => {
      const [, target] = resourcesOf(network, 'aws_cloudwatch_event_target').find(
        ([, t]) => t.rule === `\${aws_cloudwatch_event_rule.${ruleId}.name}`,
      )!;
      const [topicId] = resourcesOf(network, 'aws_sns_topic').find(([, t]) => t.name === `${env.project.project}-${env.name}-alarms`)!;
      assert.equal(target.arn, `\${aws_sns_topic.${topicId}.arn}`);
      assert.match(
        target.input_transformer.input_template,
        /^"AWS Backup <kind> <state><status> at <time> for <resource>: <message>\. Runbook: https:\/\/.+\/backup-job-failed\.md"$/,
      );
      assert.ok(existsSync(join(REPO_ROOT, 'docs', 'runbooks', 'alarms', 'backup-job-failed.md')));
      const [, topicPolicy] = resourcesOf(network, 'aws_sns_topic_policy').find(([, p]) => p.arn === `\${aws_sns_topic.${topicId}.arn}`)!;
      const fromRules = policyOf(topicPolicy.policy).Statement.filter((s: any) =>
        [s.Principal?.Service].flat().includes('events.amazonaws.com'),
      );
      const arn = `arn:aws:events:${env.region}:${env.accountId}:rule/${name}`;
      const admitted = fromRules.some((s: any) =>
        [s.Condition?.ArnLike?.['aws:SourceArn']]
          .flat()
          .some((pattern: string) => new RegExp(`^${pattern.replaceAll('*', '.*')}$`).test(arn)),
      );
      assert.ok(admitted, `the topic policy admits ${arn}`);
    });
  });
}
