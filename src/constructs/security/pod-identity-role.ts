import type { Construct } from 'constructs';
import { AwsServiceRole, type AwsServiceRoleProps } from './aws-service-role';
import type { PolicyStatement } from './policy-document';

export interface PodIdentityRoleProps extends Pick<AwsServiceRoleProps, 'forceDetachPolicies'> {
  readonly roleName: string;
  readonly description: string;
  readonly accountId: string;
  /** The cluster whose pod identity associations may use the role. */
  readonly clusterName: string;
  /** Kubernetes namespace and service account the role is for. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /**
   * AWS-managed policies to attach, for AWS's own add-ons whose permissions AWS maintains.
   * @default - none: permissions come from inline policies (ServiceGrant)
   */
  readonly managedPolicyArns?: readonly string[];
  /**
   * Inline statements owned by this layer (an add-on's extra needs, such as its KMS key).
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM role only EKS Pod Identity can assume, and only for one service account of one namespace in
 * one cluster: the session tags Pod Identity sets are pinned in the trust policy, so another
 * association in the account pointing at this role gets nothing.
 */
export class PodIdentityRole extends AwsServiceRole {
  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id, {
      roleName: props.roleName,
      description: props.description,
      servicePrincipal: 'pods.eks.amazonaws.com',
      accountId: props.accountId,
      tagSession: true,
      trustConditions: {
        'aws:RequestTag/eks-cluster-name': props.clusterName,
        'aws:RequestTag/kubernetes-namespace': props.namespace,
        'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
      },
      managedPolicyArns: props.managedPolicyArns,
      statements: props.statements,
      forceDetachPolicies: props.forceDetachPolicies,
    });
  }
}
