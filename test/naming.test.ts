import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Naming, partitionOf } from '../src/naming';

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

describe('Naming: ARNs', () => {
  const inRegion = (region: string) => new Naming({ project: 'social', environment: 'dev', accountId: '111111111111', region });
  const arnsOf = (n: Naming) => [
    n.arn('kms', 'key/*'),
    n.arn('backup', 'backup-vault:x', { region: 'eu-central-1', account: '222222222222' }),
    n.iamArn('root'),
    n.roleArn('r'),
    n.policyArn('p'),
    n.awsManagedPolicyArn('ReadOnlyAccess'),
    n.s3Arn('b'),
    n.s3Arn('b', 'dev/*'),
    n.parameterArn('k'),
    n.alarmArn('a'),
    n.backupVaultArn(),
  ];

  it('leaves out the region where the service has none and the account where the resource has none', () => {
    assert.deepEqual(arnsOf(inRegion('eu-west-1')), [
      'arn:aws:kms:eu-west-1:111111111111:key/*',
      'arn:aws:backup:eu-central-1:222222222222:backup-vault:x',
      'arn:aws:iam::111111111111:root',
      'arn:aws:iam::111111111111:role/r',
      'arn:aws:iam::111111111111:policy/p',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:s3:::b',
      'arn:aws:s3:::b/dev/*',
      'arn:aws:ssm:eu-west-1:111111111111:parameter/social/dev/k',
      'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a',
      'arn:aws:backup:eu-west-1:111111111111:backup-vault:social-dev-backup',
    ]);
  });

  for (const [region, partition] of [
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ] as const) {
    it(`builds every ARN of ${region} in the ${partition} partition`, () => {
      const arns = arnsOf(inRegion(region));
      assert.deepEqual(
        arns.filter((arn) => !arn.startsWith(`arn:${partition}:`)),
        [],
      );
      assert.equal(arns[0], `arn:${partition}:kms:${region}:111111111111:key/*`);
    });
  }

  it('knows the partitions of the isolated regions', () => {
    assert.deepEqual(['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'us-east-1'].map(partitionOf), [
      'aws-iso',
      'aws-iso-b',
      'aws-iso-e',
      'aws-iso-f',
      'aws',
    ]);
  });
});
