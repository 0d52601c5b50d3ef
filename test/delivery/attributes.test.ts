import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { attributeDifferences, describeValue } from '../../src/checks/guard/attributes';
import { evaluatePlan } from '../../src/checks/guard/evaluate';
import { parsePlanText, type Plan, type ResourceChange } from '../../src/checks/guard/plan';
import { renderMarkdown } from '../../src/checks/guard/report';
import { planFixture } from './helpers';

const text = readFileSync(planFixture('attribute-changes'), 'utf8');
const plan: Plan = parsePlanText(text, 'attribute-changes.json');
const change = (address: string): ResourceChange => plan.changes.find((c) => c.address === address)!;
const shown = (address: string) =>
  attributeDifferences(change(address)).map((d) => [d.path, describeValue(d.before), describeValue(d.after), d.forcesReplacement]);

describe('attribute-level changes of a plan', () => {
  it('lists changed leaves only, and values known after apply', () => {
    assert.deepEqual(shown('aws_db_instance.postgres'), [
      ['endpoint', '"social-dev-postgres.abc.eu-west-1.rds.amazonaws.com:5432"', '(known after apply)', false],
      ['instance_class', '"db.t4g.medium"', '"db.r7g.large"', false],
      ['password', '(sensitive)', '(sensitive)', false],
      ['tags.Owner', '"platform"', '"platform-team"', false],
    ]);
  });

  it('never shows a sensitive value, nor the keys of a sensitive map', () => {
    const differences = attributeDifferences(change('aws_secretsmanager_secret_version.value'));
    assert.deepEqual(
      differences.map((d) => d.path),
      ['secret_string'],
    );
    const markdown = renderMarkdown(evaluatePlan(plan, []), 'plan.json');
    for (const secret of ['hunter2', 's3cr3t-token', '"pass"', 'extra'])
      assert.ok(!markdown.includes(secret), `${secret} leaked:\n${markdown}`);
    assert.ok(text.includes('hunter2'), 'control: the fixture holds the values the report must hide');
  });

  it('compares policies held as JSON text by content, ignoring key order', () => {
    assert.deepEqual(shown('aws_iam_role_policy.grant'), [
      ['policy (JSON).Statement[0].Resource', '"*"', '"arn:aws:elasticache:eu-west-1:111111111111:user:svc-feed"', false],
    ]);
  });

  it('flags the attributes whose change forces the replacement', () => {
    assert.deepEqual(shown('aws_elasticache_replication_group.cache'), [
      ['arn', '(none)', '(known after apply)', false],
      ['engine', '"valkey"', '"redis"', true],
    ]);
  });

  it('shows them under updates and replacements in the Markdown summary', () => {
    const markdown = renderMarkdown(evaluatePlan(plan, []), 'plan.json');
    assert.match(markdown, /- `aws_db_instance\.postgres`\n {2}- `endpoint`: `"social-dev-postgres\.abc\.[^`]+` → \(known after apply\)\n/);
    assert.match(markdown, / {2}- `engine`: `"valkey"` → `"redis"` \*\*forces replacement\*\*/);
    const brief = renderMarkdown(evaluatePlan(plan, []), 'plan.json', { detail: 'brief' });
    assert.doesNotMatch(brief, /instance_class/);
    assert.match(brief, /aws_elasticache_replication_group\.cache/, 'blocked changes stay in the brief summary');
  });

  it('reads the root outputs that change', () => {
    assert.deepEqual(plan.outputChanges, [{ name: 'svc_feed_role_arn', actions: ['create'], sensitive: false }]);
  });
});
