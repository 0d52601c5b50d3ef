import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { invalidProp, isPort, PORT_RANGE } from '../invalid-prop';

export interface StoreSecurityGroupProps {
  /** Group name, from `Naming.name(...)`. */
  readonly name: string;
  /** What the store is, for the group description. */
  readonly store: string;
  readonly vpcId: string;
  /** The one TCP port the store listens on. */
  readonly port: number;
  /** The only group admitted: the EKS workload nodes' security group. */
  readonly sourceSecurityGroupId: string;
}

/**
 * The security group of a data store: one ingress rule (its port, from one source group) and no
 * egress at all. Terraform drops the default allow-all egress rule of a group without egress blocks,
 * and a store never opens connections of its own.
 */
export class StoreSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: StoreSecurityGroupProps) {
    super(scope, id);
    if (!isPort(props.port)) {
      invalidProp(`StoreSecurityGroup ${props.name}`, 'port', PORT_RANGE, props.port);
    }
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: props.name,
      description: `${props.store}: admits only the EKS workload security group`,
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    new VpcSecurityGroupIngressRule(this, 'from-workloads', {
      securityGroupId: this.securityGroup.id,
      description: `${props.store} from EKS workloads`,
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: props.sourceSecurityGroupId,
    });
  }

  get id(): string {
    return this.securityGroup.id;
  }
}
