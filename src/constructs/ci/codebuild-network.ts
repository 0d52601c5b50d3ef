import type { CodebuildProjectConfig } from '@cdktn/provider-aws/lib/codebuild-project';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import type { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import type { PolicyStatement } from '../security/policy-document';
import { formatArn, partitionOf } from '../../naming';

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/;
/**
 * CodeBuild's VpcConfig takes at most 16 subnets; build timeouts run from 5 minutes to 36 hours, 60 when unset
 * (timeoutInMinutes: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html).
 */
const MAX_SUBNETS = 16;
const HTTPS = 443;
const BUILD_TIMEOUT_MINUTES = { min: 5, max: 2160 } as const;
export const CODEBUILD_DEFAULT_BUILD_TIMEOUT_MINUTES = 60;

/** What every CodeBuild project in a VPC checks against CodeBuild's limits: its name, build subnets and timeout. */
export function validateCodeBuildProject(
  construct: string,
  props: { readonly projectName: string; readonly subnetIds: readonly string[]; readonly buildTimeoutMinutes?: number },
): void {
  if (!PROJECT_NAME.test(props.projectName)) {
    const allowed = 'a CodeBuild project name: 2–150 letters, digits, "-" or "_", starting with a letter or digit';
    invalidProp(construct, 'projectName', allowed, props.projectName);
  }
  if (props.subnetIds.length < 1 || props.subnetIds.length > MAX_SUBNETS) {
    invalidProp(construct, 'subnetIds', `1 to ${MAX_SUBNETS} private subnets`, props.subnetIds);
  }
  const { min, max } = BUILD_TIMEOUT_MINUTES;
  const timeout = props.buildTimeoutMinutes;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout >= min && timeout <= max)) {
    invalidProp(construct, 'buildTimeoutMinutes', `an integer from ${min} to ${max}`, timeout);
  }
}

/** What every CodeBuild project that runs its builds in the VPC is given. */
export interface VpcBuildProjectProps {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  /**
   * Private subnets with a NAT route, 1 to 16: CodeBuild gives build network interfaces no public address, and
   * builds call the AWS APIs.
   */
  readonly subnetIds: readonly string[];
  /** Key of the build log group; its policy must admit CloudWatch Logs for the group. */
  readonly kmsKeyArn: string;
  readonly logRetentionInDays: number;
}

/** What the security group and its HTTPS rule say they are for. */
export interface VpcBuildDescriptions {
  readonly securityGroup: string;
  readonly https: string;
}

/** A VPC build project's security group and log group, what its role needs for them, and its network and log settings. */
export interface VpcBuildBase {
  readonly securityGroup: SecurityGroup;
  readonly logGroup: EncryptedLogGroup;
  /** For the project's service role: write its build logs, and run builds in its subnets and security group. */
  readonly statements: PolicyStatement[];
  readonly vpcConfig: NonNullable<CodebuildProjectConfig['vpcConfig']>;
  readonly logsConfig: NonNullable<CodebuildProjectConfig['logsConfig']>;
}

/**
 * What every CodeBuild project in the VPC starts from, created as children of `scope` (the project's construct): a
 * security group with HTTPS out, to which the project adds what else it reaches (security groups do not filter the
 * VPC's DNS server, so DNS needs no rule: https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Security.html), the
 * encrypted build log group, and the role statements and project settings that go with them.
 */
export function vpcBuildBase(
  scope: Construct,
  props: VpcBuildProjectProps & { readonly securityGroupName: string; readonly logGroupName: string },
  descriptions: VpcBuildDescriptions,
): VpcBuildBase {
  const securityGroup = new SecurityGroup(scope, 'sg', {
    name: props.securityGroupName,
    description: descriptions.securityGroup,
    vpcId: props.vpcId,
    tags: { Name: props.securityGroupName },
  });
  new VpcSecurityGroupEgressRule(scope, 'to-https', {
    securityGroupId: securityGroup.id,
    description: descriptions.https,
    ipProtocol: 'tcp',
    fromPort: HTTPS,
    toPort: HTTPS,
    cidrIpv4: '0.0.0.0/0',
  });
  const logGroup = new EncryptedLogGroup(scope, 'logs', {
    name: props.logGroupName,
    kmsKeyArn: props.kmsKeyArn,
    retentionInDays: props.logRetentionInDays,
  });
  const network = { accountId: props.accountId, region: props.region, subnetIds: props.subnetIds, securityGroupArn: securityGroup.arn };
  return {
    securityGroup,
    logGroup,
    statements: [
      { sid: 'WriteBuildLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.arn}:*`] },
      ...codeBuildNetworkStatements(network),
    ],
    vpcConfig: { vpcId: props.vpcId, subnets: [...props.subnetIds], securityGroupIds: [securityGroup.id] },
    logsConfig: { cloudwatchLogs: { status: 'ENABLED', groupName: logGroup.name }, s3Logs: { status: 'DISABLED' } },
  };
}

interface CodeBuildNetworkProps {
  readonly accountId: string;
  readonly region: string;
  /** The subnets the project's builds run in. */
  readonly subnetIds: readonly string[];
  /** ARN of the project's security group. */
  readonly securityGroupArn: string;
}

/**
 * What a CodeBuild project's service role needs to run builds in a VPC, per "Allow CodeBuild access to AWS
 * services required to create a VPC network interface" in
 * https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html;
 * the network interface actions AWS scopes by resource are limited to the build subnets and security group.
 */
export function codeBuildNetworkStatements(props: CodeBuildNetworkProps): PolicyStatement[] {
  const { accountId, region } = props;
  const ec2 = (resource: string) => formatArn(partitionOf(region), 'ec2', region, accountId, resource);
  const subnetArns = props.subnetIds.map((subnetId) => ec2(`subnet/${subnetId}`));
  const networkInterfaces = ec2('network-interface/*');
  return [
    // Describe calls support no resource-level permissions.
    {
      sid: 'DescribeBuildNetwork',
      actions: [
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
      ],
      resources: ['*'],
    },
    {
      sid: 'CreateBuildNetworkInterfaces',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [networkInterfaces, ...subnetArns, props.securityGroupArn],
    },
    {
      sid: 'DeleteBuildNetworkInterfaces',
      actions: ['ec2:DeleteNetworkInterface'],
      resources: [networkInterfaces],
      conditions: { StringEquals: { 'ec2:Subnet': subnetArns } },
    },
    {
      sid: 'LetCodeBuildAttachNetworkInterfaces',
      actions: ['ec2:CreateNetworkInterfacePermission'],
      resources: [networkInterfaces],
      conditions: { StringEquals: { 'ec2:Subnet': subnetArns, 'ec2:AuthorizedService': 'codebuild.amazonaws.com' } },
    },
  ];
}
