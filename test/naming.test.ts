import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Naming } from '../src/naming';

const naming = (project: string, environment: string) =>
  new Naming({ project, environment, accountId: '111111111111', region: 'eu-west-1' });

describe('Naming: the CI runner', () => {
  it('names the project, role, group, log group and connection after the environment', () => {
    assert.deepEqual(naming('social', 'dev').ciRunner, {
      projectName: 'social-dev-runner',
      roleName: 'social-dev-ci-runner',
      securityGroupName: 'social-dev-ci-runner',
      logGroupName: '/aws/codebuild/social-dev-runner',
      connectionName: 'social-dev-github',
    });
  });

  it('refuses a connection name over the 32 characters CodeConnections allows', () => {
    assert.equal(naming('abcdefghijklmnop', 'abcdefgh').ciRunner.connectionName.length, 32);
    assert.throws(
      () => naming('abcdefghijklmnop', 'abcdefghi').ciRunner,
      /CodeConnections connection name "abcdefghijklmnop-abcdefghi-github" is 33 characters, over the limit of 32/,
    );
  });
});

describe('Naming: the restore test validation', () => {
  it('names its build, role, group, log group under the environment path, rule and start role after the environment', () => {
    assert.deepEqual(naming('social', 'dev').postgresRestoreValidation, {
      projectName: 'social-dev-postgres-restore-validation',
      roleName: 'social-dev-postgres-restore-validation',
      securityGroupName: 'social-dev-postgres-restore-validation',
      logGroupName: '/social/dev/codebuild/postgres-restore-validation',
      ruleName: 'social-dev-postgres-restore-validation',
      startRoleName: 'social-dev-postgres-restore-validation-start',
      databaseUser: 'platform_restore_validation',
    });
  });

  it('refuses a start role name over the 64 characters IAM allows', () => {
    assert.equal(naming('abcdefghijklmnop', 'abcdefghijklm').postgresRestoreValidation.startRoleName.length, 64);
    assert.throws(
      () => naming('abcdefghijklmnop', 'abcdefghijklmn').postgresRestoreValidation,
      /IAM role name ".*-start" is 65 characters/,
    );
  });
});
