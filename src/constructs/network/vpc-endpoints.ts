import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktn/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** AWS APIs the workloads and nodes call most: image pulls, credentials, logs, secrets. */
export const DEFAULT_INTERFACE_SERVICES = ['ecr.api', 'ecr.dkr', 'sts', 'logs', 'secretsmanager', 'ssm', 'kms', 'ec2', 'elasticloadbalancing', 'eks', 'eks-auth'] as const;

export interface VpcEndpointsProps {
  readonly vpcId: string;
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
  /**
   * Services (the part after `com.amazonaws.<region>.`) to create interface endpoints for.
   * @default DEFAULT_INTERFACE_SERVICES
   */
  readonly interfaceServices?: readonly string[];
}

/** Private paths to AWS APIs: free gateway endpoints always, interface endpoints when asked for. */
export class VpcEndpoints extends Construct {
  readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    for (const service of ['s3', 'dynamodb']) {
      new VpcEndpoint(this, service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [...props.gatewayRouteTableIds],
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
    for (const service of props.interfaceServices ?? DEFAULT_INTERFACE_SERVICES) {
      new VpcEndpoint(this, service.replace(/\./g, '-'), {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        subnetIds: [...props.interfaceSubnetIds],
        securityGroupIds: [securityGroup.id],
        privateDnsEnabled: true,
        tags: { Name: `${props.namePrefix}-${service}` },
      });
    }
  }
}
