import { Construct } from 'constructs';
import { Manifest } from '../../generated/kubernetes/manifest';
import { invalidProp } from '../invalid-prop';

/** EKS Auto Mode's NodeClass kind: https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html */
export const NODE_CLASS_API = { apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass' } as const;

/** gp3's baseline: what Auto Mode uses unless told otherwise (the CRD's defaults). */
const EPHEMERAL_IOPS = 3000;
const EPHEMERAL_THROUGHPUT_MIBS = 125;

export interface NodeClassProps {
  readonly name: string;
  /** Name (not ARN) of the role nodes run with; it needs an access entry of type EC2. */
  readonly nodeRoleName: string;
  /** Subnets nodes are placed in: the private subnets, one per zone. */
  readonly subnetIds: readonly string[];
  /** Security groups on every node (and so on every pod: Auto Mode pods share their node's groups). */
  readonly securityGroupIds: readonly string[];
  /** Customer-managed key of the nodes' ephemeral volumes. */
  readonly kmsKeyArn: string;
  /**
   * Size of each node's ephemeral volume.
   * @default 80
   */
  readonly ephemeralStorageGiB?: number;
}

/**
 * Where and how Auto Mode launches nodes: only in the given subnets and security groups, with the given
 * role, ephemeral storage encrypted with our key, and network policies enforced (`DefaultAllow`: a pod
 * with no policy keeps its traffic, which the platform's namespaces never are, as each has a default
 * deny). https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html
 * No custom tags: Auto Mode's managed policies refuse tags they do not list (auto-cluster-iam-role.html).
 */
export class NodeClass extends Construct {
  readonly manifest: Manifest;
  readonly name: string;

  constructor(scope: Construct, id: string, props: NodeClassProps) {
    super(scope, id);
    if (props.subnetIds.length === 0) invalidProp('NodeClass', 'subnetIds', 'at least one subnet', props.subnetIds);
    if (props.securityGroupIds.length === 0)
      invalidProp('NodeClass', 'securityGroupIds', 'at least one security group', props.securityGroupIds);
    const size = props.ephemeralStorageGiB ?? 80;
    if (!Number.isInteger(size) || size < 20) invalidProp('NodeClass', 'ephemeralStorageGiB', 'a whole number of GiB, at least 20', size);
    this.name = props.name;
    this.manifest = new Manifest(this, 'node-class', {
      manifest: {
        ...NODE_CLASS_API,
        metadata: { name: props.name },
        spec: {
          role: props.nodeRoleName,
          subnetSelectorTerms: props.subnetIds.map((subnet) => ({ id: subnet })),
          securityGroupSelectorTerms: props.securityGroupIds.map((group) => ({ id: group })),
          // The key field is newer than the CRD schema we validate against; AWS documents it at this path:
          // https://docs.aws.amazon.com/eks/latest/userguide/auto-kms.html
          ephemeralStorage: { size: `${size}Gi`, iops: EPHEMERAL_IOPS, throughput: EPHEMERAL_THROUGHPUT_MIBS, kmsKeyID: props.kmsKeyArn },
          networkPolicy: 'DefaultAllow',
          networkPolicyEventLogs: 'Disabled',
        },
      },
    });
  }
}
