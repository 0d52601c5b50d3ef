import type { PolicyStatement } from '../security/policy-document';
import { formatArn, partitionOf } from '../../naming';

export interface CodeBuildNetworkProps {
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
