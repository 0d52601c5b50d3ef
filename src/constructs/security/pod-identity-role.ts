import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktn/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { policyDocument } from './policy-document';

export interface PodIdentityRoleProps {
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
}

/**
 * An IAM role only EKS Pod Identity can assume, and only for one service account of one namespace in
 * one cluster: the session tags Pod Identity sets are pinned in the trust policy, so another
 * association in the account pointing at this role gets nothing.
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: policyDocument([
        {
          sid: 'EksPodIdentity',
          principals: { Service: 'pods.eks.amazonaws.com' },
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          conditions: {
            StringEquals: {
              'aws:SourceAccount': props.accountId,
              'aws:RequestTag/eks-cluster-name': props.clusterName,
              'aws:RequestTag/kubernetes-namespace': props.namespace,
              'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
            },
          },
        },
      ]),
    });
    this.attachments = (props.managedPolicyArns ?? []).map((policyArn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn }));
  }

  get arn(): string {
    return this.role.arn;
  }

  get name(): string {
    return this.role.name;
  }
}
