import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS } from '../../src/layers';
import { exampleEnvironments, exampleOfTier, exampleStacks } from '../support/synth';
import { scanForSecrets } from './scanner';
const PROD = exampleOfTier('production').name;

const stacks = exampleStacks();

function messages(doc: Record<string, unknown>): string[] {
  return scanForSecrets(doc).map((f) => `${f.path}: ${f.message}`);
}

describe('secrets scan: every synthesized stack of every environment', () => {
  it('scans every layer of every example environment', () => {
    for (const env of exampleEnvironments()) {
      for (const layer of LAYERS) assert.ok(stacks.has(`${env.name}-${layer}`), `${env.name}-${layer}`);
    }
  });

  for (const [name, doc] of stacks) {
    it(`${name} holds no secret material outside managed, write-only or ephemeral values`, () =>
      assert.deepEqual(messages(doc as Record<string, unknown>), []));
  }

  it('does see the secret material the data layer does use, and accepts it as write-only or managed', () => {
    const data = stacks.get(`${PROD}-data`)! as Record<string, any>;
    assert.ok(Object.keys(data.ephemeral.aws_secretsmanager_random_password).length >= 1);
    const passwordUsers = Object.values(data.resource.aws_elasticache_user).filter((u: any) => u.passwords_wo !== undefined);
    const groups = Object.keys(data.resource.aws_elasticache_replication_group).length;
    assert.equal(passwordUsers.length, 2 * groups, 'the admin and the disabled default user of each replication group');
    assert.ok(Object.values(data.resource.aws_db_instance).every((db: any) => db.manage_master_user_password === true));
  });
});

describe('secrets scan: fixtures it must catch', () => {
  it('a literal password argument', () => {
    const found = messages({
      resource: { aws_db_instance: { db: { engine: 'postgres', username: 'admin', password: 'correct-horse-battery' } } },
    });
    assert.deepEqual(found, ['resource.aws_db_instance.db.password: password holds a literal secret']);
  });

  it('a literal in a nested block and in a provider', () => {
    const found = messages({
      resource: {
        aws_opensearch_domain: { d: { advanced_security_options: { master_user_options: { master_user_password: 'Sup3r-secret!' } } } },
      },
      provider: { cloudflare: [{ api_token: 'abcdef0123456789' }] },
    });
    assert.deepEqual(found, [
      'resource.aws_opensearch_domain.d.advanced_security_options.master_user_options.master_user_password: ' +
        'master_user_password holds a literal secret',
      'provider.cloudflare[0].api_token: api_token holds a literal secret',
    ]);
  });

  it('a random_password resource and the argument its result feeds (both land in state)', () => {
    const found = messages({
      resource: {
        random_password: { admin: { length: 32 } },
        aws_elasticache_replication_group: { cache: { auth_token: '${random_password.admin.result}' } },
      },
    });
    assert.deepEqual(found, [
      'resource.random_password.admin: random_password keeps its result in state',
      'resource.aws_elasticache_replication_group.cache.auth_token: auth_token is set from an expression, ' +
        'so the secret is stored in state; use a write-only argument with an ephemeral value',
    ]);
  });

  it('a secret value in an output and a secret read through a data source', () => {
    const found = messages({
      data: { aws_secretsmanager_secret_version: { admin: { secret_id: 'admin' } } },
      output: {
        admin_password: { value: '${data.aws_secretsmanager_secret_version.admin.secret_string}', sensitive: true },
        cache_endpoint: { value: '${aws_elasticache_replication_group.cache.primary_endpoint_address}' },
      },
    });
    assert.deepEqual(found, [
      'data.aws_secretsmanager_secret_version.admin: reads the secret value into state (use the ephemeral resource)',
      'output.admin_password: output admin_password is named like a secret value',
      'output.admin_password.value: output references the secret attribute data.aws_secretsmanager_secret_version.admin.secret_string',
    ]);
  });

  it('a write-only argument fed from a literal or a stored value, and credentials in a URL', () => {
    const found = messages({
      resource: {
        aws_secretsmanager_secret_version: { a: { secret_id: 'x', secret_string_wo: 'plain-text-secret', secret_string_wo_version: 1 } },
        aws_elasticache_user: { b: { user_id: 'b', passwords_wo: '${aws_ssm_parameter.p.value}' } },
        aws_ssm_parameter: { url: { name: '/x', type: 'String', value: 'postgres://app:hunter22@db.internal:5432/app' } },
      },
    });
    assert.deepEqual(found, [
      'resource.aws_secretsmanager_secret_version.a.secret_string_wo: write-only argument secret_string_wo ' +
        'is fed from a literal or a stored value; pass an ephemeral value',
      'resource.aws_elasticache_user.b.passwords_wo: write-only argument passwords_wo ' +
        'is fed from a literal or a stored value; pass an ephemeral value',
      'resource.aws_ssm_parameter.url.value: a URL embeds credentials',
    ]);
  });

  it('accepts managed, write-only-from-ephemeral and reference arguments', () => {
    assert.deepEqual(
      messages({
        ephemeral: { aws_secretsmanager_random_password: { p: { password_length: 64, exclude_punctuation: true } } },
        resource: {
          aws_db_instance: { db: { manage_master_user_password: true, master_user_secret_kms_key_id: '${aws_kms_key.k.arn}' } },
          aws_elasticache_user: {
            u: {
              passwords_wo: '${ephemeral.aws_secretsmanager_random_password.p.random_password}',
              passwords_wo_version: 2,
              no_password_required: false,
            },
          },
          aws_secretsmanager_secret_version: {
            v: {
              secret_id: '${aws_secretsmanager_secret.s.id}',
              secret_string_wo: '${jsonencode({"password" = ephemeral.aws_secretsmanager_random_password.p.random_password})}',
            },
          },
        },
        output: { rds_master_secret_arn: { value: '${aws_db_instance.db.master_user_secret[0].secret_arn}', sensitive: false } },
      }),
      [],
    );
  });
});
