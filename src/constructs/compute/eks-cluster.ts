import { EksAccessEntry } from '@cdktn/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktn/provider-aws/lib/eks-access-policy-association';
import { EksCluster as EksClusterResource } from '@cdktn/provider-aws/lib/eks-cluster';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { invalidProp, isPort, PORT_RANGE } from '../invalid-prop';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { AwsServiceRole } from '../security/aws-service-role';
import { stableAddress } from '../stable-address';
import { awsManagedPolicyArn, eksAccessPolicyArn } from '../../naming';

/** The Kubernetes API on the cluster's endpoint. */
const API_PORT = 443;

/** Every control-plane log type EKS offers. */
const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * What the cluster role needs for EKS Auto Mode to launch and manage nodes, volumes, load balancer
 * targets and pod networking on its behalf.
 * https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html
 */
const AUTO_MODE_CLUSTER_POLICIES = [
  'AmazonEKSClusterPolicy',
  'AmazonEKSComputePolicy',
  'AmazonEKSBlockStoragePolicy',
  'AmazonEKSLoadBalancingPolicy',
  'AmazonEKSNetworkingPolicy',
] as const;

/**
 * The minimal node role of Auto Mode nodes: join the cluster and pull images, nothing else.
 * https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html
 */
const AUTO_MODE_NODE_POLICIES = ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly'] as const;

/**
 * The cluster and node roles reach EKS and EC2 only by being passed to them (CreateCluster, the instance profile of
 * the NodeClass), and iam:PassRole cannot pass a role to another account, so no other account can make these services
 * act with them. Their trust policies are as EKS documents them, without `aws:SourceAccount`: that EC2 and EKS send
 * that key when they assume a role is not documented, EC2 is reported not to (prowler-cloud/prowler#2810), and a
 * condition on a missing key would keep the control plane or every node from its credentials
 * (https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html).
 */
const PASSED_ROLE_TRUST = { pinSourceAccount: false } as const;

/** The EKS access policies the cluster's access entries carry, by name (`eksAccessPolicyArn` makes their ARNs). */
export const ACCESS_POLICIES = {
  clusterAdmin: 'AmazonEKSClusterAdminPolicy',
  /** Read of every resource except Secrets. */
  view: 'AmazonEKSViewPolicy',
  /**
   * What Auto Mode nodes need in Kubernetes; an access entry of type EC2 carries it for a node role
   * that is not the cluster's default (our NodeClasses name their own).
   * https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
   */
  autoNode: 'AmazonEKSAutoNodePolicy',
} as const;
export type AccessPolicy = (typeof ACCESS_POLICIES)[keyof typeof ACCESS_POLICIES];

export interface EksClusterProps {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly accountId: string;
  /** ARN partition of the environment's region (`Naming.partition`). */
  readonly partition: string;
  readonly vpcId: string;
  /** Private subnets, one per zone: control-plane ENIs and nodes live here. */
  readonly subnetIds: string[];
  /** Customer-managed key for Secrets envelope encryption and the control-plane log group. */
  readonly kmsKeyArn: string;
  readonly roleName: string;
  /** The role Auto Mode nodes run with (named in the NodeClasses of the cluster layer). */
  readonly nodeRoleName: string;
  /** Names of the cluster's and the nodes' security groups. */
  readonly clusterSecurityGroupName: string;
  readonly nodeSecurityGroupName: string;
  readonly logRetentionInDays: number;
  /** Roles with cluster-wide admin through an access entry. At least one: the creator gets none. */
  readonly adminRoleArns: readonly string[];
  /**
   * Roles with cluster-wide read (no Secrets).
   * @default - none
   */
  readonly readOnlyRoleArns?: readonly string[];
  /**
   * Source CIDRs of a public API endpoint; the endpoint is public only when this is non-empty.
   * @default - none: the endpoint is private only
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Networks besides the nodes admitted to the private endpoint on 443.
   * @default - none
   */
  readonly privateAccessCidrs?: readonly string[];
  /**
   * Node ports the control plane may call besides the kubelet (10250) and 443: API services and
   * admission webhooks served by pods, e.g. 10251 of the metrics-server add-on.
   * @default - none
   */
  readonly webhookPorts?: readonly number[];
  /**
   * Stay on a version past its standard support (paid) instead of being upgraded by EKS.
   * @default false
   */
  readonly extendedSupport?: boolean;
  /**
   * Refuse DeleteCluster through the API.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * An EKS control plane reachable only privately by default: API authentication through access
 * entries only (no aws-auth ConfigMap, no implicit creator admin), Secrets envelope-encrypted with a
 * customer key, every control-plane log type in a KMS-encrypted log group, and two security groups
 * holding only the rules between control plane and nodes.
 */
export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly role: AwsServiceRole;
  /** The role of Auto Mode nodes; it has its own access entry (type EC2). */
  readonly nodeRole: AwsServiceRole;
  readonly clusterSecurityGroup: SecurityGroup;
  /** On every node: control-plane traffic and node-to-node (pods, DNS). */
  readonly nodeSecurityGroup: SecurityGroup;
  readonly logGroup: EncryptedLogGroup;
  private readonly partition: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.partition = props.partition;
    const publicAccessCidrs = props.publicAccessCidrs ?? [];
    if (props.adminRoleArns.length === 0)
      invalidProp(
        `EksCluster ${props.name}`,
        'adminRoleArns',
        'at least one role (the cluster creator gets no admin access)',
        props.adminRoleArns,
      );
    for (const port of props.webhookPorts ?? []) {
      if (!isPort(port)) invalidProp(`EksCluster ${props.name}`, 'webhookPorts', `each ${PORT_RANGE}`, port);
    }

    this.role = new AwsServiceRole(this, 'role', {
      roleName: props.roleName,
      description: `EKS control plane of ${props.name}`,
      servicePrincipal: 'eks.amazonaws.com',
      accountId: props.accountId,
      tagSession: true,
      ...PASSED_ROLE_TRUST,
      managedPolicyArns: AUTO_MODE_CLUSTER_POLICIES.map((policy) => awsManagedPolicyArn(props.partition, policy)),
      statements: [
        // EKS uses the key with the cluster role's permissions to wrap the Secrets data keys.
        {
          sid: 'SecretsEnvelopeEncryption',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
          resources: [props.kmsKeyArn],
        },
        // Auto Mode launches nodes whose ephemeral volumes the NodeClass encrypts with this key, as
        // the cluster role: https://docs.aws.amazon.com/eks/latest/userguide/auto-kms.html
        {
          sid: 'NodeVolumeEncryption',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: [props.kmsKeyArn],
        },
        {
          sid: 'NodeVolumeAttachment',
          actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          resources: [props.kmsKeyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
        },
      ],
      inlinePolicyName: 'platform-key',
    });
    this.nodeRole = new AwsServiceRole(this, 'node-role', {
      roleName: props.nodeRoleName,
      description: `Auto Mode nodes of ${props.name}`,
      servicePrincipal: 'ec2.amazonaws.com',
      accountId: props.accountId,
      ...PASSED_ROLE_TRUST,
      managedPolicyArns: AUTO_MODE_NODE_POLICIES.map((policy) => awsManagedPolicyArn(props.partition, policy)),
    });

    this.clusterSecurityGroup = new SecurityGroup(this, 'cluster-sg', {
      name: props.clusterSecurityGroupName,
      description: `EKS control plane of ${props.name}: API from nodes, kubelet and webhooks to nodes`,
      vpcId: props.vpcId,
      tags: { Name: props.clusterSecurityGroupName },
    });
    this.nodeSecurityGroup = new SecurityGroup(this, 'node-sg', {
      name: props.nodeSecurityGroupName,
      description: `Nodes of ${props.name}: from the control plane and each other`,
      vpcId: props.vpcId,
      tags: { Name: props.nodeSecurityGroupName, [`kubernetes.io/cluster/${props.name}`]: 'owned' },
    });
    this.securityGroupRules(props);

    // EKS writes to this exact name; creating it first keeps retention and encryption ours.
    this.logGroup = new EncryptedLogGroup(this, 'logs', {
      name: `/aws/eks/${props.name}/cluster`,
      kmsKeyArn: props.kmsKeyArn,
      retentionInDays: props.logRetentionInDays,
    });

    this.cluster = new EksClusterResource(this, 'cluster', {
      name: props.name,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      // EKS Auto Mode runs the CNI, kube-proxy, CoreDNS, the Pod Identity agent, the EBS CSI driver
      // and the load balancer controller as managed components; it requires no self-managed copies.
      // Its built-in NodePools stay off: every node comes from the cluster layer's NodeClasses (our
      // subnets, security groups and key). https://docs.aws.amazon.com/eks/latest/userguide/automode.html
      bootstrapSelfManagedAddons: false,
      computeConfig: { enabled: true },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      storageConfig: { blockStorage: { enabled: true } },
      deletionProtection: props.deletionProtection ?? true,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      vpcConfig: {
        subnetIds: props.subnetIds,
        securityGroupIds: [this.clusterSecurityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicAccessCidrs.length > 0,
        publicAccessCidrs: publicAccessCidrs.length > 0 ? [...publicAccessCidrs] : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.kmsKeyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      upgradePolicy: { supportType: props.extendedSupport ? 'EXTENDED' : 'STANDARD' },
      tags: { Name: props.name },
      dependsOn: [...this.role.grants, this.logGroup.logGroup],
    });
    stableAddress(this.cluster, props.name);

    const nodeEntry = new EksAccessEntry(this, 'nodes-entry', {
      clusterName: this.cluster.name,
      principalArn: this.nodeRole.arn,
      type: 'EC2',
    });
    new EksAccessPolicyAssociation(this, 'nodes-policy', {
      clusterName: this.cluster.name,
      principalArn: nodeEntry.principalArn,
      policyArn: eksAccessPolicyArn(props.partition, ACCESS_POLICIES.autoNode),
      accessScope: { type: 'cluster' },
    });
    props.adminRoleArns.forEach((arn, i) => this.grantClusterAccess(`admin-${i}`, arn, ACCESS_POLICIES.clusterAdmin));
    (props.readOnlyRoleArns ?? []).forEach((arn, i) => this.grantClusterAccess(`read-only-${i}`, arn, ACCESS_POLICIES.view));
  }

  get name(): string {
    return this.cluster.name;
  }

  get arn(): string {
    return this.cluster.arn;
  }

  /**
   * An access entry that maps `principalArn` to Kubernetes groups and nothing else: what the groups
   * may do is decided by RBAC bindings (the cluster layer), not by an EKS access policy. EKS refuses
   * group names starting with `system:`, `eks:`, `aws:`, `amazon:` or `iam:`.
   * https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
   */
  mapToKubernetesGroups(id: string, principalArn: string, groups: readonly string[]): EksAccessEntry {
    const reserved = groups.find((group) => /^(system|eks|aws|amazon|iam):/.test(group));
    if (groups.length === 0 || reserved !== undefined)
      invalidProp(`EksCluster ${id}`, 'groups', 'one or more group names outside the reserved prefixes', groups);
    return new EksAccessEntry(this, `${id}-entry`, {
      clusterName: this.cluster.name,
      principalArn,
      type: 'STANDARD',
      kubernetesGroups: [...groups],
    });
  }

  /**
   * Admits a security group (e.g. CI runners in the VPC) to the private API endpoint on 443. Network
   * access only: the principals still need an access entry.
   */
  allowApiFrom(id: string, securityGroupId: string, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, `cluster-from-${id}`, {
      securityGroupId: this.clusterSecurityGroup.id,
      description,
      ipProtocol: 'tcp',
      fromPort: API_PORT,
      toPort: API_PORT,
      referencedSecurityGroupId: securityGroupId,
    });
  }

  /** An access entry with the access policy `policy` over the whole cluster. */
  grantClusterAccess(id: string, principalArn: string, policy: AccessPolicy): EksAccessPolicyAssociation {
    const entry = new EksAccessEntry(this, `${id}-entry`, { clusterName: this.cluster.name, principalArn, type: 'STANDARD' });
    return new EksAccessPolicyAssociation(this, `${id}-policy`, {
      clusterName: this.cluster.name,
      principalArn: entry.principalArn,
      policyArn: eksAccessPolicyArn(this.partition, policy),
      accessScope: { type: 'cluster' },
    });
  }

  private securityGroupRules(props: EksClusterProps): void {
    const cluster = this.clusterSecurityGroup.id;
    const nodes = this.nodeSecurityGroup.id;
    const tcp = (port: number) => ({ ipProtocol: 'tcp', fromPort: port, toPort: port });
    new VpcSecurityGroupIngressRule(this, 'cluster-from-nodes', {
      securityGroupId: cluster,
      description: 'Kubernetes API from nodes',
      ...tcp(API_PORT),
      referencedSecurityGroupId: nodes,
    });
    (props.privateAccessCidrs ?? []).forEach(
      (cidr, i) =>
        new VpcSecurityGroupIngressRule(this, `cluster-from-network-${i}`, {
          securityGroupId: cluster,
          description: `Kubernetes API from ${cidr}`,
          ...tcp(API_PORT),
          cidrIpv4: cidr,
        }),
    );
    for (const [port, what] of [
      [10250, 'kubelet'],
      [443, 'webhooks on 443'],
      ...(props.webhookPorts ?? []).map((p) => [p, `webhooks on ${p}`] as const),
    ] as const) {
      new VpcSecurityGroupEgressRule(this, `cluster-to-nodes-${port}`, {
        securityGroupId: cluster,
        description: `To node ${what}`,
        ...tcp(port),
        referencedSecurityGroupId: nodes,
      });
      new VpcSecurityGroupIngressRule(this, `nodes-from-cluster-${port}`, {
        securityGroupId: nodes,
        description: `Control plane to ${what}`,
        ...tcp(port),
        referencedSecurityGroupId: cluster,
      });
    }
    // Pods talk to pods on other nodes (CoreDNS on the system nodes, service-to-service) on any port.
    new VpcSecurityGroupIngressRule(this, 'nodes-from-nodes', {
      securityGroupId: nodes,
      description: 'Node to node: pods and cluster DNS',
      ipProtocol: '-1',
      referencedSecurityGroupId: nodes,
    });
    new VpcSecurityGroupEgressRule(this, 'nodes-to-nodes', {
      securityGroupId: nodes,
      description: 'Node to node: pods and cluster DNS',
      ipProtocol: '-1',
      referencedSecurityGroupId: nodes,
    });
    // The API endpoint, ECR, STS, EKS Auth and image registries are HTTPS; the VPC resolver and time
    // service are not filtered by security groups.
    new VpcSecurityGroupEgressRule(this, 'nodes-to-https', {
      securityGroupId: nodes,
      description: 'HTTPS: control plane, AWS APIs, image registries',
      ...tcp(443),
      cidrIpv4: '0.0.0.0/0',
    });
  }
}
