import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import type { ServiceConfig } from '../config/schema/project';
import { GithubActionsRunner } from '../constructs/ci/github-actions-runner';
import { ClusterAddon } from '../constructs/compute/cluster-addon';
import { DATA_STORE_PORTS } from '../constructs/data/store-ports';
import { ACCESS_POLICIES, EksCluster } from '../constructs/compute/eks-cluster';
import { ImageRepository } from '../constructs/compute/image-repository';
import { ManagedNodeGroup, NODE_MANAGED_POLICIES } from '../constructs/compute/managed-node-group';
import { ServiceDeployRole } from '../constructs/compute/service-deploy-role';
import { AwsServiceRole } from '../constructs/security/aws-service-role';
import type { GithubSubject } from '../constructs/security/github-oidc-role';
import { githubOidcProviderArn } from '../constructs/security/github-oidc';
import { allowCloudWatchLogs, EncryptionKey } from '../constructs/security/kms-key';
import type { PolicyStatement } from '../constructs/security/policy-document';
import { ServiceIdentity } from '../constructs/security/service-identity';
import { outputsFor } from '../contract/catalog';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';

/** Taint and label of the system node group: only cluster add-ons that tolerate it run there. */
export const SYSTEM_NODE_TAINT = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' } as const;
export const SYSTEM_NODE_LABEL = { role: 'system' } as const;
const ON_SYSTEM_NODES = { nodeSelector: SYSTEM_NODE_LABEL, tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: 'Exists', effect: 'NoSchedule' }] };

/** The AWS Load Balancer Controller's admission webhook (TargetGroupBinding), called by the control plane. */
const LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT = 9443;

/**
 * The Kubernetes platform: EKS cluster, nodes, add-ons, images and the identities of the services.
 * Service roles are created here, where the workloads live; the layers that own the resources a
 * service uses attach the grants (see ServiceGrant).
 */
export class PlatformStack extends LayerStack {
  /** Pod-identity role per service name. */
  readonly serviceRoles: ReadonlyMap<string, IamRole>;
  /** Attached to every workload node; data stores admit traffic from this group only. */
  readonly workloadSecurityGroup: SecurityGroup;
  readonly cluster: EksCluster;
  /** Encrypts Kubernetes Secrets, control-plane logs, node volumes, images and the runner's logs. */
  readonly key: EncryptionKey;
  /** Runs this repository's and the consumer repositories' jobs inside the VPC, next to the private API. */
  readonly ciRunner: GithubActionsRunner;

  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack) {
    super(scope, config, 'platform');
    const { naming } = this;
    const { platform, accountId, region } = config;
    const privateSubnetIds = network.vpc.subnetIds('private');
    const runnerNames = naming.ciRunner;

    this.key = new EncryptionKey(this, 'key', {
      aliasName: naming.name('platform'),
      // Production keys outlive a mistaken destroy; other tiers can be torn down.
      preventDestroy: config.tier === 'production',
      description: `Encrypts ${config.name} EKS Secrets, control-plane logs, node volumes and container images`,
      accountId,
      additionalStatements: [
        allowCloudWatchLogs(accountId, region, [`/aws/eks/${naming.clusterName}/*`, runnerNames.logGroupName]),
        ...autoScalingVolumeStatements(accountId),
      ],
    });

    this.cluster = new EksCluster(this, 'eks', {
      name: naming.clusterName,
      kubernetesVersion: platform.kubernetesVersion,
      extendedSupport: platform.extendedSupport,
      accountId,
      vpcId: network.vpc.vpc.id,
      subnetIds: privateSubnetIds,
      kmsKeyArn: this.key.arn,
      roleName: naming.roleName('eks-cluster'),
      clusterSecurityGroupName: naming.name('eks-cluster'),
      nodeSecurityGroupName: naming.name('eks-node'),
      logRetentionInDays: platform.controlPlaneLogRetentionDays,
      adminRoleArns: platform.adminRoleArns,
      readOnlyRoleArns: platform.readOnlyRoleArns,
      publicAccessCidrs: platform.publicEndpoint.enabled ? platform.publicEndpoint.cidrs : [],
      privateAccessCidrs: platform.privateEndpointSourceCidrs,
      webhookPorts: [LOAD_BALANCER_CONTROLLER_WEBHOOK_PORT],
      deletionProtection: config.tier === 'production',
    });
    const clusterName = this.cluster.name;

    this.workloadSecurityGroup = new SecurityGroup(this, 'workload-sg', {
      name: naming.name('workload'),
      description: 'EKS workload nodes; data stores admit traffic from this group',
      vpcId: network.vpc.vpc.id,
      tags: { Name: naming.name('workload') },
    });
    // Workload pods may leave towards the data tier only on the stores' ports; the stores' own groups
    // in turn admit only this group.
    config.networkPlan.subnetCidrs.data.forEach((cidr, i) =>
      DATA_STORE_PORTS.forEach(
        (port) =>
          new VpcSecurityGroupEgressRule(this, `workload-to-data-${i}-${port}`, {
            securityGroupId: this.workloadSecurityGroup.id,
            description: `Data stores in ${cidr}, port ${port}`,
            ipProtocol: 'tcp',
            fromPort: port,
            toPort: port,
            cidrIpv4: cidr,
          }),
      ),
    );

    // Add-ons running as DaemonSets come first: nodes are not Ready without the CNI and kube-proxy,
    // and the CNI gets its credentials from the pod identity agent.
    const podIdentityAgent = new ClusterAddon(this, 'addon-pod-identity-agent', { clusterName, addonName: 'eks-pod-identity-agent', addonVersion: platform.addons.podIdentityAgent });
    const kubeProxy = new ClusterAddon(this, 'addon-kube-proxy', { clusterName, addonName: 'kube-proxy', addonVersion: platform.addons.kubeProxy });
    const vpcCni = new ClusterAddon(this, 'addon-vpc-cni', {
      clusterName,
      addonName: 'vpc-cni',
      addonVersion: platform.addons.vpcCni,
      configuration: { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } },
      podIdentity: { serviceAccount: 'aws-node', roleName: naming.roleName('eks-vpc-cni'), accountId, managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'] },
    });

    const nodeRole = new AwsServiceRole(this, 'node-role', {
      roleName: naming.roleName('eks-node'),
      description: `Nodes of ${naming.clusterName}`,
      servicePrincipal: 'ec2.amazonaws.com',
      accountId,
      managedPolicyArns: NODE_MANAGED_POLICIES,
    });
    const nodeGroupBase = {
      clusterName,
      kubernetesVersion: platform.kubernetesVersion,
      nodeRoleArn: nodeRole.arn,
      subnetIds: privateSubnetIds,
      amiFamily: platform.amiType,
      architecture: platform.architecture,
      kmsKeyArn: this.key.arn,
      metadataHopLimit: platform.metadataHopLimit,
      dependsOn: [...nodeRole.grants, podIdentityAgent.addon, kubeProxy.addon, vpcCni.addon],
    };
    const groupSizes = (group: (typeof platform.nodeGroups)['system']) => ({
      instanceTypes: group.instanceTypes,
      minSize: group.minSize,
      desiredSize: group.desiredSize,
      maxSize: group.maxSize,
      maxUnavailable: group.maxUnavailable,
      diskSizeGiB: group.diskSizeGiB,
    });
    const systemNodes = new ManagedNodeGroup(this, 'nodes-system', {
      ...nodeGroupBase,
      ...groupSizes(platform.nodeGroups.system),
      name: naming.name('eks', 'system'),
      securityGroupIds: [this.cluster.nodeSecurityGroup.id],
      labels: SYSTEM_NODE_LABEL,
      taints: [SYSTEM_NODE_TAINT],
    });
    const workloadNodes = new ManagedNodeGroup(this, 'nodes-workload', {
      ...nodeGroupBase,
      ...groupSizes(platform.nodeGroups.workload),
      name: naming.name('eks', 'workload'),
      securityGroupIds: [this.cluster.nodeSecurityGroup.id, this.workloadSecurityGroup.id],
      labels: { role: 'workload' },
    });
    const nodes = [systemNodes.nodeGroup, workloadNodes.nodeGroup];

    // Deployments need schedulable nodes, or the add-on never becomes ACTIVE.
    new ClusterAddon(this, 'addon-coredns', { clusterName, addonName: 'coredns', addonVersion: platform.addons.coredns, configuration: ON_SYSTEM_NODES, dependsOn: nodes });
    new ClusterAddon(this, 'addon-ebs-csi-driver', {
      clusterName,
      addonName: 'aws-ebs-csi-driver',
      addonVersion: platform.addons.ebsCsiDriver,
      configuration: { controller: ON_SYSTEM_NODES },
      podIdentity: {
        serviceAccount: 'ebs-csi-controller-sa',
        roleName: naming.roleName('eks-ebs-csi'),
        accountId,
        managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
        statements: keyUseForVolumes(this.key.arn),
      },
      dependsOn: nodes,
    });

    const identities = new Map(config.project.services.map((service) => [service.name, this.serviceIdentity(service)]));
    this.serviceRoles = new Map([...identities].map(([name, identity]) => [name, identity.role.role]));

    const repositories = new Map(
      config.project.services.map((service) => [
        service.name,
        new ImageRepository(this, `images-${service.name}`, {
          name: naming.name(service.name),
          kmsKeyArn: this.key.arn,
          untaggedExpiryDays: platform.ecr.untaggedExpiryDays,
          keepReleases: platform.ecr.keepReleases,
        }),
      ]),
    );

    const subjects: GithubSubject[] = [...platform.deployFrom.branches.map((branch) => ({ branch })), ...platform.deployFrom.environments.map((environment) => ({ environment }))];
    const deployRoles = new Map(
      config.project.services.map((service) => [
        service.name,
        new ServiceDeployRole(this, `deploy-${service.name}`, {
          service: service.name,
          roleName: naming.roleName('deploy', service.name),
          oidcProviderArn: githubOidcProviderArn(accountId),
          organization: config.project.github.organization,
          repository: service.repository,
          subjects,
          cluster: this.cluster,
          imageRepositoryArn: repositories.get(service.name)!.arn,
          kubernetesGroup: naming.kubernetesGroup(`deploy-${service.name}`),
          contractParameterArns: outputsFor(service).map((entry) => `arn:aws:ssm:${region}:${accountId}:parameter${naming.parameterPath(entry.name)}`),
        }),
      ]),
    );

    const { github } = config.project;
    this.ciRunner = new GithubActionsRunner(this, 'ci-runner', {
      ...runnerNames,
      accountId,
      region,
      vpcId: network.vpc.vpc.id,
      subnetIds: privateSubnetIds,
      organization: github.organization,
      repositories: [github.infraRepository, ...config.project.services.map((service) => service.repository)],
      computeType: config.ci.runner.computeType,
      concurrency: config.ci.runner.concurrency,
      kmsKeyArn: this.key.arn,
      logRetentionInDays: config.defaultLogRetentionDays,
      // The data layer applies here too, and creating its stores can take most of an hour.
      buildTimeoutMinutes: 120,
    });
    // Runner jobs deploy with kubectl/helm and plan the cluster layer; the data stores admit only the
    // workload group, never the runner.
    this.cluster.allowApiFrom('ci-runner', this.ciRunner.securityGroupId, 'Kubernetes API from the CI runner');

    // The CI roles reach the cluster layer's objects: the apply role as cluster admin (it creates
    // namespaces, RBAC and cluster-scoped objects), the plan role only through its read-only group.
    this.cluster.grantClusterAccess('ci-apply', naming.roleArn(naming.ciRoleName('apply')), ACCESS_POLICIES.clusterAdmin);
    this.cluster.mapToKubernetesGroups('ci-plan', naming.roleArn(naming.ciRoleName('plan')), [naming.kubernetesGroup('plan-readers')]);

    const byService = <T>(map: ReadonlyMap<string, T>, value: (item: T) => string) => Object.fromEntries([...map].map(([name, item]) => [name, value(item)]));
    this.publish('eks_cluster_name', clusterName);
    this.publish('eks_cluster_endpoint', this.cluster.cluster.endpoint);
    this.publish('eks_cluster_certificate_authority_data', this.cluster.cluster.certificateAuthority.get(0).data);
    this.publish('ecr_repository_urls', byService(repositories, (repository) => repository.url));
    this.publish('service_role_arns', byService(this.serviceRoles, (role) => role.arn));
    this.publish('service_namespaces', Object.fromEntries(config.project.services.map((service) => [service.name, service.name])));
    this.publish('deploy_role_arns', byService(deployRoles, (role) => role.arn));
    this.publish('ci_runner_label_prefix', this.ciRunner.labelPrefix);
  }

  private serviceIdentity(service: ServiceConfig): ServiceIdentity {
    const { config, naming } = this;
    return new ServiceIdentity(this, `service-${service.name}`, {
      service: service.name,
      repository: service.repository,
      roleName: naming.serviceRoleName(service.name),
      accountId: config.accountId,
      clusterName: this.cluster.name,
    });
  }
}

/**
 * Key-policy statements for the EC2 Auto Scaling service-linked role, which launches the managed
 * nodes and so creates their encrypted volumes. KMS accepts only existing principals in a key policy;
 * the bootstrap layer creates the role. Resource "*" in a key policy means this key.
 */
function autoScalingVolumeStatements(accountId: string): PolicyStatement[] {
  const principals = { AWS: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` };
  return [
    { sid: 'AutoScalingEncryptsNodeVolumes', principals, actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], resources: ['*'] },
    { sid: 'AutoScalingAttachesNodeVolumes', principals, actions: ['kms:CreateGrant'], resources: ['*'], conditions: { Bool: { 'kms:GrantIsForAWSResource': true } } },
  ];
}

/** What the EBS CSI controller needs to create and attach volumes encrypted with the platform key. */
function keyUseForVolumes(keyArn: string): PolicyStatement[] {
  return [
    { sid: 'EncryptVolumes', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], resources: [keyArn] },
    { sid: 'AttachVolumes', actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], resources: [keyArn], conditions: { Bool: { 'kms:GrantIsForAWSResource': true } } },
  ];
}
