import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { policyDocument } from '../constructs/security/policy-document';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';

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

  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack) {
    super(scope, config, 'platform');
    const { naming } = this;

    this.workloadSecurityGroup = new SecurityGroup(this, 'workload-sg', {
      name: naming.name('workload'),
      description: 'EKS workload nodes; data stores admit traffic from this group',
      vpcId: network.vpc.vpc.id,
      tags: { Name: naming.name('workload') },
    });

    this.serviceRoles = new Map(
      config.project.services.map((service) => [
        service.name,
        new IamRole(this, `service-role-${service.name}`, {
          name: naming.roleName('svc', service.name),
          description: `Pod identity of ${service.name} (${service.repository}); grants are attached by the layers that own the resources`,
          assumeRolePolicy: policyDocument([
            {
              sid: 'EksPodIdentity',
              principals: { Service: 'pods.eks.amazonaws.com' },
              actions: ['sts:AssumeRole', 'sts:TagSession'],
              conditions: { StringEquals: { 'aws:SourceAccount': config.accountId } },
            },
          ]),
        }),
      ]),
    );
  }
}
