import { LbTargetGroup } from '@cdktn/provider-aws/lib/lb-target-group';
import { Construct } from 'constructs';
import { invalidProp, isPort, PORT_RANGE } from '../invalid-prop';

/** ELB's limit on target group names. */
const TARGET_GROUP_NAME_LIMIT = 32;

export interface PodTargetGroupProps {
  /** Target group name, from Naming; at most 32 characters. */
  readonly name: string;
  readonly vpcId: string;
  /** The container port of the service's pods. */
  readonly port: number;
  /** HTTP path every target is health-checked on. */
  readonly healthCheckPath: string;
  /**
   * The EKS cluster whose Auto Mode load balancer controller registers the pods: the tag
   * `eks:eks-cluster-name` is what AmazonEKSLoadBalancingPolicy scopes the controller's target-group
   * actions to. https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKSLoadBalancingPolicy.html
   */
  readonly clusterName: string;
}

/** Seconds a deregistered pod keeps its in-flight requests before it is removed. */
const DEREGISTRATION_DELAY_SECONDS = 30;

/**
 * An IP target group for the pods of one service, filled by a TargetGroupBinding in the cluster layer
 * (EKS Auto Mode's load balancer controller registers each ready pod's IP) and routed to by the ALB.
 */
export class PodTargetGroup extends Construct {
  readonly targetGroup: LbTargetGroup;
  /** The port targets are registered and health-checked on. */
  readonly port: number;

  constructor(scope: Construct, id: string, props: PodTargetGroupProps) {
    super(scope, id);
    if (props.name.length > TARGET_GROUP_NAME_LIMIT)
      invalidProp('PodTargetGroup', 'name', `at most ${TARGET_GROUP_NAME_LIMIT} characters (ELB limit)`, props.name);
    if (!isPort(props.port)) invalidProp('PodTargetGroup', 'port', PORT_RANGE, props.port);
    this.port = props.port;
    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      name: props.name,
      targetType: 'ip',
      protocol: 'HTTP',
      port: props.port,
      vpcId: props.vpcId,
      deregistrationDelay: String(DEREGISTRATION_DELAY_SECONDS),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath,
        protocol: 'HTTP',
        port: 'traffic-port',
        matcher: '200-399',
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: { Name: props.name, 'eks:eks-cluster-name': props.clusterName },
    });
  }

  get arn(): string {
    return this.targetGroup.arn;
  }
}
