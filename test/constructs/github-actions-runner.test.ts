import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing, TerraformStack } from 'cdktn';
import { MAX_RUNNER_CONCURRENCY, RUNNER_COMPUTE_TYPES } from '../../src/config/schema/ci';
import {
  DEFAULT_RUNNER_IMAGE,
  GithubActionsRunner,
  runnerLabel,
  runnerLabelPrefix,
  type GithubActionsRunnerProps,
} from '../../src/constructs/ci/github-actions-runner';

const outdir = mkdtempSync(join(tmpdir(), 'github-actions-runner-'));
after(() => rmSync(outdir, { recursive: true, force: true }));

const PROPS: GithubActionsRunnerProps = {
  projectName: 'x-dev-runner',
  roleName: 'x-dev-ci-runner',
  securityGroupName: 'x-dev-ci-runner',
  logGroupName: '/aws/codebuild/x-dev-runner',
  connectionName: 'x-dev-github',
  accountId: '111111111111',
  region: 'eu-west-1',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  organization: 'acme',
  repositories: ['infra', 'web.app'],
  computeType: 'BUILD_GENERAL1_SMALL',
  concurrency: 3,
  kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
  logRetentionInDays: 30,
};

function synthRunner(props: Partial<GithubActionsRunnerProps> = {}): Record<string, Record<string, any>> {
  const stack = new TerraformStack(Testing.app({ outdir }), 'test');
  new GithubActionsRunner(stack, 'runner', { ...PROPS, ...props });
  return JSON.parse(Testing.synth(stack)).resource;
}

const only = (resources: Record<string, Record<string, any>>, type: string) => {
  const bodies = Object.values(resources[type] ?? {});
  assert.equal(bodies.length, 1, `one ${type}`);
  return bodies[0];
};

describe('GithubActionsRunner', () => {
  const resources = synthRunner();
  const project = only(resources, 'aws_codebuild_project');

  it('labels jobs codebuild-<project>-<run id>-<run attempt>, as CodeBuild requires', () => {
    assert.equal(runnerLabel('x-dev-runner'), 'codebuild-x-dev-runner-${{ github.run_id }}-${{ github.run_attempt }}');
    assert.ok(runnerLabel('x-dev-runner').startsWith(`${runnerLabelPrefix('x-dev-runner')}-`));
  });

  it('defaults to the Amazon Linux image, unprivileged, a 60-minute timeout and no artifacts', () => {
    assert.deepEqual(project.environment, {
      compute_type: 'BUILD_GENERAL1_SMALL',
      image: DEFAULT_RUNNER_IMAGE.name,
      type: DEFAULT_RUNNER_IMAGE.environmentType,
      image_pull_credentials_type: 'CODEBUILD',
      privileged_mode: false,
    });
    assert.equal(project.build_timeout, 60);
    assert.equal(project.concurrent_build_limit, 3);
    assert.deepEqual(project.artifacts, { type: 'NO_ARTIFACTS' });
  });

  it('takes the image and timeout it is given', () => {
    const arm = { name: 'aws/codebuild/amazonlinux-aarch64-standard:3.0', environmentType: 'ARM_CONTAINER' } as const;
    const custom = only(synthRunner({ image: arm, buildTimeoutMinutes: 30 }), 'aws_codebuild_project');
    assert.equal(custom.environment.type, 'ARM_CONTAINER');
    assert.equal(custom.build_timeout, 30);
  });

  it('is created only once the GitHub connection is AVAILABLE', () => {
    const [precondition] = project.lifecycle.precondition;
    assert.match(precondition.condition, /^\$\{\(aws_codeconnections_connection\.[\w-]+\.connection_status == "AVAILABLE"\)\}$/);
    assert.match(precondition.error_message, /x-dev-github is not AVAILABLE yet: complete its GitHub handshake once in the console/);
    assert.equal(only(resources, 'aws_codeconnections_connection').provider_type, 'GitHub');
  });

  it('matches exactly the listed repositories of the organization, with or without the owner', () => {
    const [, repositories] = only(resources, 'aws_codebuild_webhook').filter_group[0].filter;
    const pattern = new RegExp(repositories.pattern);
    for (const name of ['infra', 'web.app', 'acme/infra', 'acme/web.app']) assert.match(name, pattern);
    for (const name of ['infra2', 'webxapp', 'other/infra', 'acme/other']) assert.doesNotMatch(name, pattern);
  });

  const COMPUTE_TYPE_ERROR = new RegExp(`computeType must be one of ${RUNNER_COMPUTE_TYPES.join(', ')}`);
  const invalid: [string, Partial<GithubActionsRunnerProps>, RegExp][] = [
    ['projectName', { projectName: 'has space' }, /projectName must be a CodeBuild project name/],
    ['computeType', { computeType: 'BUILD_LAMBDA_1GB' as never }, COMPUTE_TYPE_ERROR],
    ['concurrency 0', { concurrency: 0 }, new RegExp(`concurrency must be an integer from 1 to ${MAX_RUNNER_CONCURRENCY} \\(got 0\\)`)],
    ['concurrency above the cap', { concurrency: MAX_RUNNER_CONCURRENCY + 1 }, /concurrency must be an integer from 1/],
    ['concurrency fraction', { concurrency: 1.5 }, /concurrency must be an integer/],
    ['buildTimeoutMinutes', { buildTimeoutMinutes: 4 }, /buildTimeoutMinutes must be an integer from 5 to 2160 \(got 4\)/],
    ['no subnets', { subnetIds: [] }, /subnetIds must be 1 to 16 private subnets/],
    ['too many subnets', { subnetIds: Array.from({ length: 17 }, (_, i) => `subnet-${i}`) }, /subnetIds must be 1 to 16/],
    ['organization', { organization: '-acme' }, /organization must be a GitHub organization name/],
    ['no repositories', { repositories: [] }, /repositories must be at least one repository/],
    ['repository name', { repositories: ['ok', 'not ok'] }, /repositories\[1\] must be a GitHub repository name .*\(got "not ok"\)/],
    ['duplicate repository', { repositories: ['infra', 'infra'] }, /repositories\[1\] must be listed once/],
    ['environment type', { image: { name: 'x', environmentType: 'WINDOWS_EC2' as never } }, /image\.environmentType must be "LINUX_/],
  ];
  for (const [what, props, message] of invalid) {
    it(`rejects an invalid ${what}, naming the prop and what is allowed`, () => {
      assert.throws(() => synthRunner(props), message);
    });
  }
});
