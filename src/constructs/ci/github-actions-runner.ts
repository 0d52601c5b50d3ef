import { CodebuildProject } from '@cdktn/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktn/provider-aws/lib/codebuild-webhook';
import { CodeconnectionsConnection } from '@cdktn/provider-aws/lib/codeconnections-connection';
import type { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { Op } from 'cdktn';
import { Construct } from 'constructs';
import { MAX_RUNNER_CONCURRENCY, RUNNER_COMPUTE_TYPES, type RunnerComputeType } from '../../config/schema/ci';
import { invalidProp } from '../invalid-prop';
import type { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { AwsServiceRole } from '../security/aws-service-role';
import type { PolicyStatement } from '../security/policy-document';
import {
  CODEBUILD_DEFAULT_BUILD_TIMEOUT_MINUTES,
  validateCodeBuildProject,
  vpcBuildBase,
  type VpcBuildProjectProps,
} from './codebuild-network';
import { stableAddress } from '../stable-address';
import { escapeRegExp } from '../../regexp';

/** A CodeBuild curated image and the environment type it runs in. */
export interface RunnerImage {
  /** e.g. `aws/codebuild/amazonlinux-x86_64-standard:5.0`. */
  readonly name: string;
  readonly environmentType: 'LINUX_CONTAINER' | 'ARM_CONTAINER';
}

/** Amazon Linux 2023 on x86_64, one of the images CodeBuild lists for its GitHub Actions runner. */
export const DEFAULT_RUNNER_IMAGE: RunnerImage = {
  name: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
  environmentType: 'LINUX_CONTAINER',
};

/**
 * The label a job names in `runs-on` to run on the runner of `projectName`, as a workflow reads it.
 * CodeBuild requires exactly this form (the run id and attempt make each job's label unique):
 * https://docs.aws.amazon.com/codebuild/latest/userguide/sample-github-action-runners-update-labels.html
 */
export function runnerLabel(projectName: string): string {
  return `${runnerLabelPrefix(projectName)}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/** The fixed part of `runnerLabel`, before the per-run `-<run id>-<run attempt>`. */
export function runnerLabelPrefix(projectName: string): string {
  return `codebuild-${projectName}`;
}

const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/** Its builds also reach GitHub, through the NAT route of `subnetIds`. */
export interface GithubActionsRunnerProps extends VpcBuildProjectProps {
  /** CodeBuild project name; it is part of the label every job names (see `runnerLabel`). */
  readonly projectName: string;
  readonly roleName: string;
  readonly securityGroupName: string;
  readonly logGroupName: string;
  /** CodeConnections connection name (at most 32 characters). */
  readonly connectionName: string;
  /** The GitHub organization the webhook is scoped to. */
  readonly organization: string;
  /** The repositories of `organization` whose jobs may start a build; every other one is ignored. */
  readonly repositories: readonly string[];
  /** One of RUNNER_COMPUTE_TYPES. */
  readonly computeType: RunnerComputeType;
  /** Builds at once, 1 to MAX_RUNNER_CONCURRENCY; further queued jobs wait. */
  readonly concurrency: number;
  /**
   * The build image.
   * @default DEFAULT_RUNNER_IMAGE
   */
  readonly image?: RunnerImage;
  /**
   * Minutes after which CodeBuild stops a job's build, 5–2160.
   * @default 60
   */
  readonly buildTimeoutMinutes?: number;
}

/**
 * A CodeBuild-hosted GitHub Actions runner inside the VPC: an organization webhook starts one build per
 * queued workflow job of the listed repositories, and the build registers itself as the job's runner.
 * Jobs reach what only the VPC reaches (the private EKS API) and nothing else the platform does not
 * already let out: the security group allows HTTPS out only, and the build role can only run the build
 * (logs, network interfaces, the GitHub connection). Jobs get AWS rights by assuming their own OIDC
 * roles, never from the runner.
 *
 * The GitHub connection starts PENDING; someone completes its handshake once in the console, and the
 * project is created on the next apply (a precondition stops it before then).
 * https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export class GithubActionsRunner extends Construct {
  readonly connection: CodeconnectionsConnection;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: EncryptedLogGroup;
  readonly role: AwsServiceRole;
  readonly project: CodebuildProject;
  readonly webhook: CodebuildWebhook;
  /**
   * `runnerLabelPrefix(projectName)`: what a contract output can carry of the label, since SSM refuses
   * parameter values with `{{ }}` (PutParameter, Value).
   */
  readonly labelPrefix: string;

  constructor(scope: Construct, id: string, props: GithubActionsRunnerProps) {
    super(scope, id);
    validate(props);
    const { accountId } = props;
    const image = props.image ?? DEFAULT_RUNNER_IMAGE;
    this.labelPrefix = runnerLabelPrefix(props.projectName);

    // A GitHub App connection; CodeBuild uses it to create the organization webhook and the runner
    // registration. https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
    this.connection = new CodeconnectionsConnection(this, 'connection', { name: props.connectionName, providerType: 'GitHub' });
    stableAddress(this.connection, props.connectionName);

    // GitHub, the AWS APIs, the EKS API and registries are HTTPS: the runner reaches nothing else.
    const base = vpcBuildBase(this, props, {
      securityGroup: `CodeBuild-hosted GitHub Actions runner ${props.projectName}: HTTPS out only`,
      https: 'HTTPS: GitHub, AWS APIs, the EKS API, registries',
    });
    this.securityGroup = base.securityGroup;
    this.logGroup = base.logGroup;

    this.role = new AwsServiceRole(this, 'role', {
      roleName: props.roleName,
      description: `CodeBuild project ${props.projectName} (GitHub Actions runner): logs, build network interfaces, the GitHub connection`,
      servicePrincipal: 'codebuild.amazonaws.com',
      accountId,
      statements: [...base.statements, this.connectionStatement()],
      inlinePolicyName: 'run-builds',
    });

    this.project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description: `GitHub Actions runner inside the VPC for workflow jobs of ${props.organization}`,
      serviceRole: this.role.arn,
      // Organization webhooks need this placeholder location:
      // https://docs.aws.amazon.com/codebuild/latest/userguide/github-global-organization-webhook.html
      source: {
        type: 'GITHUB',
        location: 'CODEBUILD_DEFAULT_WEBHOOK_SOURCE_LOCATION',
        auth: { type: 'CODECONNECTIONS', resource: this.connection.arn },
      },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        computeType: props.computeType,
        image: image.name,
        type: image.environmentType,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
      },
      concurrentBuildLimit: props.concurrency,
      buildTimeout: props.buildTimeoutMinutes ?? CODEBUILD_DEFAULT_BUILD_TIMEOUT_MINUTES,
      vpcConfig: base.vpcConfig,
      logsConfig: base.logsConfig,
      // CodeBuild checks the service role's access to the connection when it creates the project, so the
      // policy comes first (https://github.com/aws/aws-cdk/issues/38504), and a PENDING connection cannot
      // be used at all: stop with the fix instead of an opaque API error.
      dependsOn: [...this.role.grants],
      lifecycle: {
        precondition: [
          {
            condition: Op.eq(this.connection.connectionStatus, 'AVAILABLE'),
            errorMessage:
              `CodeConnections connection ${props.connectionName} is not AVAILABLE yet: complete its GitHub handshake once in the ` +
              'console (README, "Bootstrapping a new account", CI runner step), then apply again.',
          },
        ],
      },
    });

    this.webhook = new CodebuildWebhook(this, 'webhook', {
      projectName: this.project.name,
      buildType: 'BUILD',
      // One build per queued job of the listed repositories in the organization:
      // https://docs.aws.amazon.com/codebuild/latest/userguide/github-global-organization-webhook.html
      filterGroup: [
        {
          filter: [
            { type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' },
            { type: 'REPOSITORY_NAME', pattern: repositoryPattern(props.organization, props.repositories) },
          ],
        },
      ],
      scopeConfiguration: { name: props.organization, scope: 'GITHUB_ORGANIZATION' },
    });
  }

  get securityGroupId(): string {
    return this.securityGroup.id;
  }

  /**
   * Besides the build's logs and network (`vpcBuildBase`), the GitHub connection (connections-github-app.html). Jobs
   * can read the role's credentials too (docs/platform.md), so nothing more.
   */
  private connectionStatement(): PolicyStatement {
    return {
      sid: 'UseGithubConnection',
      actions: ['codeconnections:GetConnectionToken', 'codeconnections:GetConnection'],
      resources: [this.connection.arn],
    };
  }
}

/**
 * The webhook's REPOSITORY_NAME filter: exactly these repositories. The docs call the matched value the
 * repository name without saying whether it carries the owner, so the owner prefix is optional.
 */
function repositoryPattern(organization: string, repositories: readonly string[]): string {
  return `^(${escapeRegExp(organization)}/)?(${repositories.map(escapeRegExp).join('|')})$`;
}

function validate(props: GithubActionsRunnerProps): void {
  const construct = `GithubActionsRunner ${props.projectName}`;
  const fail = (prop: string, allowed: string, got: unknown) => invalidProp(construct, prop, allowed, got);
  validateCodeBuildProject(construct, props);
  if (!(RUNNER_COMPUTE_TYPES as readonly string[]).includes(props.computeType)) {
    fail('computeType', `one of ${RUNNER_COMPUTE_TYPES.join(', ')}`, props.computeType);
  }
  if (!Number.isInteger(props.concurrency) || props.concurrency < 1 || props.concurrency > MAX_RUNNER_CONCURRENCY) {
    fail('concurrency', `an integer from 1 to ${MAX_RUNNER_CONCURRENCY}`, props.concurrency);
  }
  if (!GITHUB_OWNER.test(props.organization)) {
    fail('organization', 'a GitHub organization name (letters, digits and inner "-", at most 39)', props.organization);
  }
  if (props.repositories.length === 0) fail('repositories', 'at least one repository of the organization', props.repositories);
  props.repositories.forEach((repository, i) => {
    if (!GITHUB_REPOSITORY.test(repository)) {
      fail(`repositories[${i}]`, 'a GitHub repository name (letters, digits, ".", "-", "_")', repository);
    }
    if (props.repositories.indexOf(repository) !== i) fail(`repositories[${i}]`, 'listed once', repository);
  });
  const { environmentType } = props.image ?? DEFAULT_RUNNER_IMAGE;
  if (!['LINUX_CONTAINER', 'ARM_CONTAINER'].includes(environmentType)) {
    fail('image.environmentType', '"LINUX_CONTAINER" or "ARM_CONTAINER"', environmentType);
  }
}
