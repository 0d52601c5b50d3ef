import { EksNodeGroup } from '@cdktn/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktn/provider-aws/lib/launch-template';
import type { ITerraformDependable } from 'cdktn';
import { Construct } from 'constructs';

/**
 * What the node role needs, and only that: join the cluster and pull images. The VPC CNI's ENI
 * permissions are not here (its add-on gets them through Pod Identity), and with IMDS hop limit 1
 * pods cannot borrow the node role's credentials anyway.
 */
export const NODE_MANAGED_POLICIES = ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly'] as const;

export type NodeAmiFamily = 'AL2023' | 'BOTTLEROCKET';
export type NodeArchitecture = 'arm64' | 'x86_64';

const AMI_TYPES: Record<NodeAmiFamily, Record<NodeArchitecture, string>> = {
  AL2023: { arm64: 'AL2023_ARM_64_STANDARD', x86_64: 'AL2023_x86_64_STANDARD' },
  BOTTLEROCKET: { arm64: 'BOTTLEROCKET_ARM_64', x86_64: 'BOTTLEROCKET_x86_64' },
};

/** Bottlerocket keeps the OS on a small volume and containers on a second one; both are encrypted. */
const BOTTLEROCKET_OS_VOLUME_GIB = 4;

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';
}

export interface ManagedNodeGroupProps {
  readonly clusterName: string;
  /** Node group and launch template name, from Naming. */
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly nodeRoleArn: string;
  /** Private subnets of every zone. */
  readonly subnetIds: string[];
  readonly amiFamily: NodeAmiFamily;
  readonly architecture: NodeArchitecture;
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Nodes replaced at once during an update. */
  readonly maxUnavailable: number;
  /** Size of the volume containers and images live on. */
  readonly diskSizeGiB: number;
  /** Customer-managed key of the node volumes; its policy must admit the Auto Scaling service-linked role. */
  readonly kmsKeyArn: string;
  /** Every group the nodes (and, with the VPC CNI, their pods) belong to. */
  readonly securityGroupIds: string[];
  /**
   * IMDSv2 hop limit: 1 keeps pods away from instance metadata and the node role.
   * @default 1
   */
  readonly metadataHopLimit?: 1 | 2;
  /**
   * Kubernetes labels of the nodes.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Taints of the nodes.
   * @default - none
   */
  readonly taints?: readonly NodeTaint[];
  /**
   * Resources the group waits for (node role policies, the CNI add-on).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An EKS managed node group over the given subnets, with a launch template that enforces IMDSv2,
 * encrypts every volume with the given key and grants no SSH access.
 */
export class ManagedNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { minSize, desiredSize, maxSize } = props;
    if (!(minSize <= desiredSize && desiredSize <= maxSize) || maxSize < 1) {
      throw new Error(`ManagedNodeGroup ${props.name}: sizes must satisfy 0 ≤ minSize ≤ desiredSize ≤ maxSize, maxSize ≥ 1 (got ${minSize}/${desiredSize}/${maxSize})`);
    }
    if (props.maxUnavailable < 1 || props.maxUnavailable > maxSize) throw new Error(`ManagedNodeGroup ${props.name}: maxUnavailable must be 1–maxSize (${maxSize}) (got ${props.maxUnavailable})`);
    if (props.instanceTypes.length === 0) throw new Error(`ManagedNodeGroup ${props.name}: instanceTypes must list at least one type`);
    if (props.diskSizeGiB < 20) throw new Error(`ManagedNodeGroup ${props.name}: diskSizeGiB must be at least 20 (got ${props.diskSizeGiB})`);

    const volume = (deviceName: string, volumeSize: number) => ({
      deviceName,
      ebs: { volumeSize, volumeType: 'gp3', encrypted: 'true', kmsKeyId: props.kmsKeyArn, deleteOnTermination: 'true' },
    });
    const tags = { Name: props.name };
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name: props.name,
      description: `Nodes of ${props.name}: IMDSv2 only, encrypted gp3 volumes, no SSH key`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: props.securityGroupIds,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: props.metadataHopLimit ?? 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings:
        props.amiFamily === 'BOTTLEROCKET' ? [volume('/dev/xvda', BOTTLEROCKET_OS_VOLUME_GIB), volume('/dev/xvdb', props.diskSizeGiB)] : [volume('/dev/xvda', props.diskSizeGiB)],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags })),
      tags,
    });

    this.nodeGroup = new EksNodeGroup(this, 'node-group', {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      version: props.kubernetesVersion,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      amiType: AMI_TYPES[props.amiFamily][props.architecture],
      capacityType: 'ON_DEMAND',
      instanceTypes: [...props.instanceTypes],
      scalingConfig: { minSize, desiredSize, maxSize },
      updateConfig: { maxUnavailable: props.maxUnavailable },
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      labels: props.labels ? { ...props.labels } : undefined,
      taint: props.taints?.map((t) => ({ ...t })),
      tags,
      dependsOn: props.dependsOn,
    });
  }
}
