import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleEnvironments, exampleStacks, policyOf, resourcesOf, stack, projectPrefix } from '../support/synth';

const PREFIX = projectPrefix();

const stacks = exampleStacks();

describe('recovery copies', () => {
  for (const config of exampleEnvironments()) {
    const bootstrap = stack(stacks, `${config.name}-bootstrap`);
    const vaults = resourcesOf(bootstrap, 'aws_backup_vault').map(([, v]) => v);
    const locks = resourcesOf(bootstrap, 'aws_backup_vault_lock_configuration').map(([, l]) => l);
    const recovery = config.recovery;

    it(`${config.name}: one locked vault per region (home${recovery ? ` and ${recovery.region}` : ''}), each with its own key`, () => {
      assert.deepEqual(vaults.map((v) => v.region ?? config.region).sort(), [config.region, ...(recovery ? [recovery.region] : [])].sort());
      for (const vault of vaults) {
        assert.equal(vault.name, `${PREFIX}-${config.name}-backup`);
        assert.match(vault.kms_key_arn, /^\$\{aws_kms_key\./);
        assert.equal(vault.force_destroy, false);
      }
      assert.equal(locks.length, vaults.length);
      for (const lock of locks) {
        if (config.tier === 'production') {
          // Compliance mode: a lock date at least AWS Backup's 72-hour cooling-off away, and a minimum retention.
          assert.ok(lock.changeable_for_days >= 3);
          assert.ok(lock.min_retention_days >= 7);
        } else {
          assert.equal(lock.changeable_for_days, undefined, 'governance mode in non-production tiers');
        }
        assert.ok(lock.max_retention_days >= (recovery?.retentionDays ?? 35));
      }
    });

    const copies = recovery ? ', with copies to the recovery vaults' : '';
    it(`${config.name}: PostgreSQL, the state bucket and the media bucket are backed up daily${copies}`, () => {
      const expectedCopies = recovery
        ? [
            `arn:aws:backup:${recovery.region}:${config.accountId}:backup-vault:${PREFIX}-${config.name}-backup`,
            ...(recovery.accountId
              ? [`arn:aws:backup:${recovery.region}:${recovery.accountId}:backup-vault:${PREFIX}-${config.name}-backup`]
              : []),
          ]
        : [];
      for (const layer of ['bootstrap', 'data', 'edge']) {
        const [[, plan]] = resourcesOf(stack(stacks, `${config.name}-${layer}`), 'aws_backup_plan');
        const daily = plan.rule.find((r: any) => r.rule_name === 'daily');
        assert.equal(daily.target_vault_name, `${PREFIX}-${config.name}-backup`);
        assert.equal(daily.lifecycle.delete_after, recovery?.retentionDays ?? 35);
        assert.deepEqual(
          (daily.copy_action ?? []).map((c: any) => c.destination_vault_arn),
          expectedCopies,
          layer,
        );
        const [[, selection]] = resourcesOf(stack(stacks, `${config.name}-${layer}`), 'aws_backup_selection');
        assert.equal(selection.iam_role_arn, `arn:aws:iam::${config.accountId}:role/${PREFIX}-${config.name}-backup`);
        assert.equal(selection.resources.length, 1);
      }
      const [[, postgresPlan]] = resourcesOf(stack(stacks, `${config.name}-data`), 'aws_backup_plan');
      const continuous = postgresPlan.rule.find((r: any) => r.rule_name === 'continuous');
      assert.equal(continuous.enable_continuous_backup, true);
      assert.equal(continuous.lifecycle.delete_after, config.data.postgres.backupRetentionDays);
    });

    it(`${config.name}: a weekly restore test restores PostgreSQL into the data subnets and keeps it for validation`, () => {
      const data = stack(stacks, `${config.name}-data`);
      const [[, plan]] = resourcesOf(data, 'aws_backup_restore_testing_plan');
      assert.match(plan.schedule_expression, /^cron\(/);
      assert.equal(plan.recovery_point_selection[0].algorithm, 'LATEST_WITHIN_WINDOW');
      const [[, selection]] = resourcesOf(data, 'aws_backup_restore_testing_selection');
      assert.equal(selection.protected_resource_type, 'RDS');
      assert.match(selection.restore_metadata_overrides.dbsubnetgroupname, /aws_db_subnet_group\./);
      assert.equal(selection.restore_metadata_overrides.publiclyaccessible, 'false');
      assert.ok(selection.validation_window_hours >= 1);
    });

    const replication = recovery
      ? `replicates to ${recovery.region} with its own key, without delete markers`
      : 'has no replica (no recovery region)';
    it(`${config.name}: the state bucket ${replication}`, () => {
      const replications = resourcesOf(bootstrap, 'aws_s3_bucket_replication_configuration');
      if (!recovery) return assert.equal(replications.length, 0);
      const [[, replication]] = replications;
      const [rule] = replication.rule;
      assert.equal(rule.status, 'Enabled');
      assert.equal(rule.delete_marker_replication.status, 'Disabled');
      assert.equal(rule.source_selection_criteria.sse_kms_encrypted_objects.status, 'Enabled');
      assert.equal(rule.destination.bucket.includes(`aws_s3_bucket.tfstate-replica-${recovery.region}.`), true);
      const replicaKey = resourcesOf(bootstrap, 'aws_kms_key').find(([name]) => name === `tfstate-replica-${recovery.region}`)![1];
      assert.equal(replicaKey.region, recovery.region);
      assert.equal(
        rule.destination.encryption_configuration.replica_kms_key_id,
        `\${aws_kms_key.${resourcesOf(bootstrap, 'aws_kms_key').find(([name]) => name === `tfstate-replica-${recovery.region}`)![0]}.arn}`,
      );
      const replica = resourcesOf(bootstrap, 'aws_s3_bucket').find(
        ([, b]) => b.bucket === `${PREFIX}-${config.name}-tfstate-replica-${config.accountId}-${recovery.region}`,
      )![1];
      assert.equal(replica.region, recovery.region);
    });

    it(`${config.name}: every key policy separates administration (admin roles) from use (account IAM)`, () => {
      for (const [name, doc] of stacks) {
        if (!name.startsWith(`${config.name}-`)) continue;
        for (const [address, key] of resourcesOf(doc, 'aws_kms_key')) {
          const statements = policyOf(key.policy).Statement;
          const admin = statements.find((s) => s.Sid === 'AdministratorsAdministerKey');
          assert.deepEqual(admin.Principal.AWS, config.platform.adminRoleArns, `${name} ${address}`);
          assert.ok(!admin.Action.some((a: string) => /Encrypt|Decrypt|GenerateDataKey/.test(a)), 'administrators do not use the key');
          const account = statements.find((s) => s.Sid === 'AccountUsesKeyThroughIam');
          for (const action of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:*'])
            assert.ok(!account.Action.includes(action), `${address}: ${action}`);
          assert.equal(key.bypass_policy_lockout_safety_check, true);
        }
      }
    });
  }
});
