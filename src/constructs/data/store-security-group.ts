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
  /** The group whose clients the store serves: the EKS workload nodes' security group. Others only through `admit`. */
  readonly sourceSecurityGroupId: string;
}

/**
 * The security group of a data store: ingress on its port from the workloads' group and from each group `admit`
 * names, and no egress at all. Terraform drops the default allow-all egress rule of a group without egress blocks,
 * and a store never opens connections of its own.
 */
export class StoreSecurityGroup extends Construct {
  readonly securityGroup: SecurityGroup;
  private readonly props: StoreSecurityGroupProps;

  constructor(scope: Construct, id: string, props: StoreSecurityGroupProps) {
    super(scope, id);
    this.props = props;
    if (!isPort(props.port)) {
      invalidProp(`StoreSecurityGroup ${props.name}`, 'port', PORT_RANGE, props.port);
    }
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: props.name,
      description: `${props.store}: admits only the EKS workload security group`,
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    this.admit('from-workloads', props.sourceSecurityGroupId, 'EKS workloads');
  }

  /** Admits another group on the store's port, e.g. a build that checks a restored copy (which carries this group). */
  admit(id: string, sourceSecurityGroupId: string, who: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.securityGroup.id,
      description: `${this.props.store} from ${who}`,
      ipProtocol: 'tcp',
      fromPort: this.props.port,
      toPort: this.props.port,
      referencedSecurityGroupId: sourceSecurityGroupId,
    });
  }

  get id(): string {
    return this.securityGroup.id;
  }
}
