import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktn/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from '../security/policy-document';
import { awsOwnedBucketObjectArns, eksAddonRegistryAccount } from './aws-owned-resources';
import { formatArn, partitionOf } from '../../naming';

/**
 * The interface endpoints (services after `com.amazonaws.<region>.`): the AWS APIs the workloads and nodes call most,
 * image pulls, credentials, logs, secrets.
 */
const INTERFACE_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'sts',
  'logs',
  'secretsmanager',
  'ssm',
  'kms',
  'ec2',
  'elasticloadbalancing',
  'eks',
  'eks-auth',
] as const;

/** Image pulls: what a node needs from an ECR registry of another account. */
const ECR_PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'] as const;

export interface VpcEndpointsProps {
  readonly vpcId: string;
  /** The account whose resources requests through the endpoints may reach. */
  readonly accountId: string;
  /** Networks whose clients use the interface endpoints (the workload subnets), admitted on 443. */
  readonly clientCidrs: readonly string[];
  readonly region: string;
  readonly namePrefix: string;
  /** Route tables that get the S3 and DynamoDB gateway endpoints. */
  readonly gatewayRouteTableIds: readonly string[];
  /** Subnets for interface endpoint network interfaces, one per zone. */
  readonly interfaceSubnetIds: readonly string[];
  /**
   * Create interface endpoints. They cost per zone and hour; without them the same calls leave
   * through NAT.
   * @default true
   */
  readonly interfaceEndpoints?: boolean;
}

/**
 * Private paths to AWS APIs: free gateway endpoints always, interface endpoints when asked for. Each endpoint's
 * policy admits only requests for this account's resources, plus the AWS-owned ones image pulls and package
 * installs need, instead of the default full access: a workload cannot use the VPC's private paths to copy data
 * into another account's bucket, table, queue or registry.
 */
export class VpcEndpoints extends Construct {
  readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const thisAccount: PolicyStatement = {
      sid: 'OnlyThisAccountsResources',
      principals: '*',
      actions: ['*'],
      resources: ['*'],
      // IfExists: the few actions without the key would otherwise fail, and none of them reaches another account's data:
      // EBS, some EC2 actions such as the EBS CSI driver's ec2:CreateVolume, EventBridge, Route 53 VPC associations
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount).
      conditions: { StringEqualsIfExists: { 'aws:ResourceAccount': props.accountId } },
    };
    const extra: Record<string, PolicyStatement[]> = {
      s3: [
        {
          sid: 'AwsOwnedImageLayersAndPackages',
          principals: '*',
          actions: ['s3:GetObject'],
          resources: awsOwnedBucketObjectArns(partition, props.region),
        },
      ],
      ...Object.fromEntries(
        ['ecr.api', 'ecr.dkr'].map((service) => [
          service,
          [
            {
              sid: 'EksAddonImages',
              principals: '*',
              actions: [...ECR_PULL_ACTIONS],
              resources: [formatArn(partition, 'ecr', props.region, eksAddonRegistryAccount(props.region), 'repository/*')],
            },
          ],
        ]),
      ),
    };
    const policy = (service: string) => policyDocument([thisAccount, ...(extra[service] ?? [])]);

    for (const service of ['s3', 'dynamodb']) {
      new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [...props.gatewayRouteTableIds],
        policy: policy(service),
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
    if (props.interfaceEndpoints === false) return;

    const securityGroup = new SecurityGroup(this, 'sg', {
      name: `${props.namePrefix}-vpc-endpoints`,
      description: 'HTTPS from the workload subnets to interface endpoints',
      vpcId: props.vpcId,
      tags: { Name: `${props.namePrefix}-vpc-endpoints` },
    });
    this.securityGroup = securityGroup;
    props.clientCidrs.forEach(
      (cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `https-from-clients-${i}`, {
          securityGroupId: securityGroup.id,
          description: `HTTPS from ${cidr}`,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidr,
        }),
    );
    for (const service of INTERFACE_SERVICES) {
      new VpcEndpoint(this, service.replace(/\./g, '-'), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        subnetIds: [...props.interfaceSubnetIds],
        securityGroupIds: [securityGroup.id],
        privateDnsEnabled: true,
        policy: policy(service),
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
  }
}
