// The BackupPlan construct's synth-time validation: each invalid rule is refused, naming its field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, TerraformStack } from 'cdktn';
import { BackupPlan, type BackupRule } from '../../src/constructs/recovery/backup-plan';

const daily: BackupRule = { name: 'daily', schedule: 'cron(0 3 * * ? *)', retentionDays: 35 };
const plan = (rule: Partial<BackupRule>) => () =>
  new BackupPlan(new TerraformStack(new App({ stackTraces: false }), 's'), 'plan', {
    name: 'x-dev-backup',
    vaultName: 'x-dev-backup',
    roleArn: 'arn:aws:iam::111111111111:role/x-dev-backup',
    resourceArns: ['arn:aws:rds:eu-west-1:111111111111:db:x'],
    rules: [{ ...daily, ...rule }],
  });

describe('BackupPlan validation', () => {
  it('accepts a daily snapshot rule and a start window of at least the 60 minutes AWS Backup requires', () => {
    assert.doesNotThrow(plan({}));
    assert.doesNotThrow(plan({ startWindowMinutes: 120 }));
  });

  for (const [rule, field] of [
    [{ schedule: 'daily' }, 'rules.daily.schedule'],
    [{ startWindowMinutes: 30 }, 'rules.daily.startWindowMinutes'],
    [{ startWindowMinutes: 60.5 }, 'rules.daily.startWindowMinutes'],
    [{ continuous: true, retentionDays: 36 }, 'rules.daily.retentionDays'],
    [
      { continuous: true, retentionDays: 7, copyToVaultArns: ['arn:aws:backup:eu-central-1:111111111111:backup-vault:y'] },
      'rules.daily.copyToVaultArns',
    ],
  ] as const)
    it(`refuses ${JSON.stringify(rule)}, naming ${field}`, () => {
      assert.throws(plan(rule), (error: Error) => error.message.includes(`BackupPlan x-dev-backup: ${field}`));
    });
});
