import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktn/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { policyDocument } from '../security/policy-document';

/**
 * Only what a node itself needs: join the cluster and pull images. The VPC CNI's ENI permissions are
 * not here (its add-on gets them through Pod Identity), and with IMDS hop limit 1 pods cannot borrow
 * this role's credentials anyway.
 */
export const NODE_MANAGED_POLICIES = ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly'] as const;

export interface EksNodeRoleProps {
  readonly roleName: string;
  readonly description: string;
  readonly accountId: string;
}

/** The EC2 instance role of the managed node groups. */
export class EksNodeRole extends Construct {
  readonly role: IamRole;
  /** Managed node groups wait for these, so nodes never start without their permissions. */
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: EksNodeRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: policyDocument([
        { sid: 'Ec2Nodes', principals: { Service: 'ec2.amazonaws.com' }, actions: ['sts:AssumeRole'], conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } } },
      ]),
    });
    this.attachments = NODE_MANAGED_POLICIES.map((policyArn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn }));
  }

  get arn(): string {
    return this.role.arn;
  }
}
