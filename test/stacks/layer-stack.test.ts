import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS, parseStackName } from '../../src/layers';
import { PROTECTION_BY_TIER } from '../../src/stacks/protection';
import { configOfTier, exampleEnvironments, exampleStacks, synthesizeLayer, projectPrefix, exampleOfTier } from '../support/synth';
const PROD = exampleOfTier('production').name;

const PREFIX = projectPrefix();

describe('every stack', () => {
  const stacks = exampleStacks();
  const environments = exampleEnvironments();

  it('exists for every environment and layer', () => {
    const expected = environments.flatMap((env) => LAYERS.map((layer) => `${env.name}-${layer}`)).sort();
    assert.deepEqual([...stacks.keys()].sort(), expected);
  });

  for (const env of environments) {
    for (const layer of LAYERS) {
      const name = `${env.name}-${layer}`;
      it(`${name}: AWS provider pinned to the account, with default tags`, () => {
        const [provider] = stacks.get(name)!.provider!.aws;
        assert.deepEqual(provider.allowed_account_ids, [env.accountId]);
        assert.equal(provider.region, env.region);
        const tags = provider.default_tags[0].tags;
        assert.deepEqual(Object.keys(tags).sort(), [
          'CostCenter',
          'Environment',
          'EnvironmentTier',
          'Layer',
          'ManagedBy',
          'Owner',
          'Project',
          'Repository',
        ]);
        assert.equal(tags.Environment, env.name);
        assert.equal(tags.Layer, layer);
        assert.equal(tags.EnvironmentTier, env.tier);
      });

      const backend = layer === 'bootstrap' ? 'keeps local state' : 'uses the encrypted, locked S3 backend';
      it(`${name}: requires terraform >= 1.11 and ${backend}`, () => {
        const { terraform } = stacks.get(name)!;
        assert.equal(terraform!.required_version, '>= 1.11.0');
        if (layer === 'bootstrap') {
          assert.deepEqual(Object.keys(terraform!.backend), ['local']);
          return;
        }
        const s3 = terraform!.backend.s3;
        assert.equal(s3.key, `${env.name}/${layer}.tfstate`);
        assert.equal(s3.bucket, `${PREFIX}-${env.name}-tfstate-${env.accountId}-${env.region}`);
        assert.equal(s3.encrypt, true);
        assert.equal(s3.use_lockfile, true);
        assert.equal(s3.dynamodb_table, undefined, 'the S3 lock file alone: Terraform deprecates DynamoDB locking');
        assert.equal(s3.kms_key_id, `arn:aws:kms:${env.region}:${env.accountId}:alias/${PREFIX}-${env.name}-tfstate`);
        assert.deepEqual(s3.allowed_account_ids, [env.accountId]);
      });
    }
  }

  it('no two stacks share a state key', () => {
    const keys = [...stacks.values()].map((doc) => doc.terraform?.backend?.s3?.key).filter(Boolean);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('KMS keys refuse destroy in production and for the state backend everywhere', () => {
    const tierOf = new Map(environments.map((env) => [env.name, env.tier]));
    let checked = 0;
    for (const [name, doc] of stacks) {
      const { environment, layer } = parseStackName(name)!;
      const refuse = PROTECTION_BY_TIER[tierOf.get(environment)!].preventDestroy || layer === 'bootstrap';
      for (const [address, key] of Object.entries<any>(doc.resource?.aws_kms_key ?? {})) {
        assert.equal(key.lifecycle?.prevent_destroy, refuse, `${name} ${address}`);
        checked++;
      }
    }
    assert.ok(checked >= 12, `only ${checked} keys`);
  });

  it('every encrypted log group is one its key lets CloudWatch Logs use, and no other is', () => {
    const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    let checked = 0;
    for (const [name, doc] of stacks) {
      for (const [address, group] of Object.entries<any>(doc.resource?.aws_cloudwatch_log_group ?? {})) {
        const keyName = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(group.kms_key_id)?.[1];
        assert.ok(keyName, `${name} ${address} is not encrypted with a key of its stack`);
        const statement = JSON.parse(doc.resource!.aws_kms_key[keyName].policy).Statement.find((s: any) => s.Sid === 'AllowCloudWatchLogs');
        const patterns: string[] = [statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']].flat();
        assert.ok(
          patterns.every((p) => !p.endsWith('log-group:*')),
          `${name}: the key admits every log group`,
        );
        const arn = `arn:aws:logs:${doc.provider!.aws[0].region}:${doc.provider!.aws[0].allowed_account_ids[0]}:log-group:${group.name}`;
        assert.ok(
          patterns.some((p) => glob(p).test(arn)),
          `${name} ${group.name} is not admitted by ${patterns.join(', ')}`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 25, `only ${checked} log groups`);
  });

  it('no IAM user or access key exists anywhere', () => {
    for (const [name, doc] of stacks) {
      for (const type of ['aws_iam_user', 'aws_iam_access_key', 'aws_iam_user_policy', 'aws_iam_user_login_profile']) {
        assert.equal(doc.resource?.[type], undefined, `${name} has ${type}`);
      }
    }
  });
});

describe('bootstrap state migration', () => {
  it('moves bootstrap state into the bucket at <env>/bootstrap.tfstate once configured', () => {
    const bootstrap = synthesizeLayer(
      configOfTier('development', (r) => (r.environment.stateBackend = { bootstrapStateInBucket: true })),
      'bootstrap',
    );
    const backend = bootstrap.terraform!.backend;
    assert.deepEqual(Object.keys(backend), ['s3']);
    assert.equal(backend.s3.key, `${exampleOfTier('development').name}/bootstrap.tfstate`);
    assert.equal(backend.s3.use_lockfile, true);
  });
});

describe('provider assume role', () => {
  it('is set on the provider and the backend only when configured', () => {
    const arn = `arn:aws:iam::${exampleOfTier('production').accountId}:role/platform-infra-terraform`;
    const network = synthesizeLayer(
      configOfTier('production', (r) => (r.environment.assumeRoleArn = arn)),
      'network',
    );
    assert.equal(network.provider!.aws[0].assume_role[0].role_arn, arn);
    assert.equal(network.terraform!.backend.s3.assume_role.role_arn, arn);
    assert.equal(exampleStacks().get(`${PROD}-network`)!.provider!.aws[0].assume_role, undefined);
  });
});

describe('protection profile', () => {
  const guarded = (doc: any, type: string, attribute: (body: any) => unknown) =>
    Object.values(doc.resource?.[type] ?? {}).map((body: any) => attribute(body) ?? false);
  for (const env of exampleEnvironments()) {
    it(`${env.name} (${env.tier}): every guarded resource is protected as PROTECTION_BY_TIER says`, () => {
      const profile = PROTECTION_BY_TIER[env.tier];
      const docs = LAYERS.map((layer) => exampleStacks().get(`${env.name}-${layer}`)!);
      const values = (type: string, attribute: (body: any) => unknown) => docs.flatMap((doc) => guarded(doc, type, attribute));
      const preventDestroy = (body: any) => body.lifecycle?.prevent_destroy;
      // Bootstrap's keys (state, backups, audit trail) guard what recovers every tier: always kept.
      const [bootstrap, ...layers] = docs;
      assert.ok(
        guarded(bootstrap, 'aws_kms_key', preventDestroy).every((v) => v === true),
        'bootstrap keys: prevent_destroy',
      );
      const layerKeys = layers.flatMap((doc) => guarded(doc, 'aws_kms_key', preventDestroy));
      assert.ok(layerKeys.length > 0 && layerKeys.every((v) => v === profile.preventDestroy), 'layer keys follow the profile');
      for (const type of ['aws_db_instance', 'aws_elasticache_replication_group', 'aws_opensearch_domain']) {
        assert.ok(values(type, preventDestroy).length > 0, `${type} exists`);
        assert.ok(
          values(type, preventDestroy).every((v) => v === profile.preventDestroy),
          `${type}: prevent_destroy ${profile.preventDestroy}`,
        );
      }
      assert.deepEqual(
        values('aws_eks_cluster', (b) => b.deletion_protection),
        [profile.deletionProtection],
      );
      assert.deepEqual(
        values('aws_lb', (b) => b.enable_deletion_protection),
        [profile.deletionProtection],
      );
      assert.deepEqual(
        values('aws_db_instance', (b) => b.deletion_protection),
        [profile.databaseDeletionProtection],
      );
      const locks = values('aws_backup_vault_lock_configuration', (b) => b.changeable_for_days ?? 'governance');
      assert.ok(
        locks.length > 0 &&
          locks.every((days) => days === (profile.vaultLock.mode === 'compliance' ? profile.vaultLock.changeableForDays : 'governance')),
      );
    });
  }
});
