import { EksPodIdentityAssociation } from '@cdktn/provider-aws/lib/eks-pod-identity-association';
import { Construct } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';

export interface ServiceIdentityProps {
  /** Service name: its namespace and its service account. */
  readonly service: string;
  /** Where the service's code lives, for the role description. */
  readonly repository: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly clusterName: string;
}

/**
 * The AWS identity of one consumer service: a role only its service account in its namespace can get
 * through Pod Identity, and the association that hands it out. It carries no permission of its own:
 * every permission, its secrets included, is a ServiceGrant attached by the layer that owns the resource.
 */
export class ServiceIdentity extends Construct {
  readonly role: PodIdentityRole;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: ServiceIdentityProps) {
    super(scope, id);
    this.role = new PodIdentityRole(this, 'identity', {
      roleName: props.roleName,
      description: `Pod identity of ${props.service} (${props.repository}); grants are attached by the layers that own the resources`,
      accountId: props.accountId,
      clusterName: props.clusterName,
      namespace: props.service,
      serviceAccount: props.service,
      // Its grants are other layers' inline policies, still attached when removing the service deletes the role
      // (README, Removing a service); IAM refuses DeleteRole while a role has policies.
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html
      forceDetachPolicies: true,
    });
    this.association = new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: props.service,
      serviceAccount: props.service,
      roleArn: this.role.arn,
    });
  }
}
