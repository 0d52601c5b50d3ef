import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { CI_APPLY_JOB_MINUTES } from '../config/schema/ci';
import type { PublicHost, ServiceConfig } from '../config/schema/project';
import { GithubActionsRunner } from '../constructs/ci/github-actions-runner';
import { DATA_STORE_PORTS } from '../constructs/data/store-ports';
import { ACCESS_POLICIES, EksCluster } from '../constructs/compute/eks-cluster';
import { ImageRepository } from '../constructs/compute/image-repository';
import { eksKubernetesProvider } from '../constructs/kubernetes/eks-kubernetes-provider';
import { PodTargetGroup } from '../constructs/compute/pod-target-group';
import { ServiceDeployRole } from '../constructs/compute/service-deploy-role';
import type { GithubSubject } from '../constructs/security/github-oidc-role';
import { githubOidcProviderArn } from '../constructs/security/github-oidc';
import { allowCloudWatchLogs, EncryptionKey } from '../constructs/security/kms-key';
import { ServiceIdentity } from '../constructs/security/service-identity';
import { outputsFor } from '../contract/catalog';
import type { KubernetesProvider } from '../generated/kubernetes/provider';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';

/**
 * The metrics-server add-on's port, which the API server calls for the metrics API; the EKS build
 * listens on 10251 ("pre-configured to use port 10251"):
 * https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html
 */
const METRICS_SERVER_PORT = 10251;

/**
 * The Kubernetes platform: the EKS Auto Mode cluster, the target groups of the public services, images,
 * the in-VPC CI runner and the identities of the services.
 * Service roles are created here, where the workloads live; the layers that own the resources a
 * service uses attach the grants (see ServiceGrant).
 */
export class PlatformStack extends LayerStack {
  /** Pod-identity role per service name. */
  readonly serviceRoles: ReadonlyMap<string, IamRole>;
  /** Target group per public host, for the service whose `publicHost` names it. */
  readonly targetGroups: ReadonlyMap<PublicHost, { readonly service: ServiceConfig; readonly targetGroup: PodTargetGroup }>;
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
      preventDestroy: this.protection.preventDestroy,
      description: `Encrypts ${config.name} EKS Secrets, control-plane logs, node volumes and container images`,
      accountId,
      partition: naming.partition,
      administratorArns: config.platform.adminRoleArns,
      additionalStatements: [allowCloudWatchLogs(accountId, region, [`/aws/eks/${naming.clusterName}/*`, runnerNames.logGroupName])],
    });

    this.cluster = new EksCluster(this, 'eks', {
      name: naming.clusterName,
      kubernetesVersion: platform.kubernetesVersion,
      extendedSupport: platform.extendedSupport,
      accountId,
      partition: naming.partition,
      vpcId: network.vpc.vpc.id,
      subnetIds: privateSubnetIds,
      kmsKeyArn: this.key.arn,
      roleName: naming.eksClusterRoleName,
      nodeRoleName: naming.eksNodeRoleName,
      clusterSecurityGroupName: naming.name('eks-cluster'),
      nodeSecurityGroupName: naming.name('eks-node'),
      logRetentionInDays: platform.controlPlaneLogRetentionDays,
      adminRoleArns: platform.adminRoleArns,
      readOnlyRoleArns: platform.readOnlyRoleArns,
      publicAccessCidrs: platform.publicEndpoint.enabled ? platform.publicEndpoint.cidrs : [],
      privateAccessCidrs: platform.privateEndpointSourceCidrs,
      webhookPorts: [METRICS_SERVER_PORT],
      deletionProtection: this.protection.deletionProtection,
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

    this.targetGroups = new Map(
      config.project.services.flatMap((service) =>
        service.publicHost === undefined
          ? []
          : [
              [
                service.publicHost,
                {
                  service,
                  targetGroup: new PodTargetGroup(this, `target-group-${service.publicHost}`, {
                    name: naming.name('public', service.publicHost),
                    vpcId: network.vpc.vpc.id,
                    port: service.port,
                    healthCheckPath: service.healthCheckPath,
                    clusterName: naming.clusterName,
                  }),
                },
              ] as const,
            ],
      ),
    );

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

    const subjects: GithubSubject[] = [
      ...platform.deployFrom.branches.map((branch) => ({ branch })),
      ...platform.deployFrom.environments.map((environment) => ({ environment })),
    ];
    const deployRoles = new Map(
      config.project.services.map((service) => [
        service.name,
        new ServiceDeployRole(this, `deploy-${service.name}`, {
          service: service.name,
          roleName: naming.roleName('deploy', service.name),
          oidcProviderArn: githubOidcProviderArn(naming),
          organization: config.project.github.organization,
          repository: service.repository,
          subjects,
          cluster: this.cluster,
          imageRepositoryArn: repositories.get(service.name)!.arn,
          kubernetesGroup: naming.kubernetesGroup(`deploy-${service.name}`),
          contractParameterArns: outputsFor(service).map((entry) => naming.parameterArn(entry.name)),
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
      // A job on the runner lasts as long as its build: the in-VPC apply job creates the data stores.
      buildTimeoutMinutes: CI_APPLY_JOB_MINUTES,
    });
    // Runner jobs deploy with kubectl/helm and plan the cluster layer; the data stores admit only the
    // workload group, never the runner.
    this.cluster.allowApiFrom('ci-runner', this.ciRunner.securityGroupId, 'Kubernetes API from the CI runner');

    // The CI roles reach the cluster layer's objects: the apply role as cluster admin (it creates
    // namespaces, RBAC and cluster-scoped objects), the plan role only through its read-only group.
    this.cluster.grantClusterAccess('ci-apply', naming.roleArn(naming.ciRoleName('apply')), ACCESS_POLICIES.clusterAdmin);
    this.cluster.mapToKubernetesGroups('ci-plan', naming.roleArn(naming.ciRoleName('plan')), [naming.kubernetesGroup('plan-readers')]);

    const byService = <T>(map: ReadonlyMap<string, T>, value: (item: T) => string) =>
      Object.fromEntries([...map].map(([name, item]) => [name, value(item)]));
    this.publish('eks_cluster_name', clusterName);
    this.publish('eks_cluster_endpoint', this.cluster.cluster.endpoint);
    this.publish('eks_cluster_certificate_authority_data', this.cluster.cluster.certificateAuthority.get(0).data);
    this.publish(
      'ecr_repository_urls',
      byService(repositories, (repository) => repository.url),
    );
    this.publish(
      'service_role_arns',
      byService(this.serviceRoles, (role) => role.arn),
    );
    this.publish('service_namespaces', Object.fromEntries(config.project.services.map((service) => [service.name, service.name])));
    this.publish(
      'deploy_role_arns',
      byService(deployRoles, (role) => role.arn),
    );
    this.publish('ci_runner_label_prefix', this.ciRunner.labelPrefix);
    // The cluster layer's workload NodePool launches exactly these (config cluster.nodePools.workload.architectures).
    this.publish('eks_workload_architectures', [...config.cluster.nodePools.workload.architectures]);
    this.publish(
      'alb_target_group_arns',
      Object.fromEntries([...this.targetGroups].map(([host, { targetGroup }]) => [host, targetGroup.arn])),
    );
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

  /**
   * The Kubernetes provider of a layer that manages objects in this layer's cluster (cluster, data),
   * authenticated with the caller's role like the AWS provider (eksKubernetesProvider).
   */
  kubernetesProvider(stack: LayerStack): KubernetesProvider {
    const { cluster } = this.cluster;
    return eksKubernetesProvider(stack, 'kubernetes', {
      clusterName: this.cluster.name,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthority.get(0).data,
      region: this.config.region,
      assumeRoleArn: this.config.assumeRoleArn,
    });
  }
}
