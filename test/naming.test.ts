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
