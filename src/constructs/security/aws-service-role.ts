import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import type { IamRolePolicyAttachment } from '@cdktn/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { policyDocument } from './policy-document';
import { attachRolePermissions, type RolePermissions } from './role-permissions';

export interface AwsServiceRoleProps extends RolePermissions {
  readonly roleName: string;
  readonly description: string;
  /** The AWS service that assumes the role, e.g. `ec2.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** Only this account's resources may make the service assume the role (confused-deputy guard). */
  readonly accountId: string;
  /**
   * The service passes session tags when it assumes the role (EKS, EKS Pod Identity).
   * @default false
   */
  readonly tagSession?: boolean;
  /**
   * Further `StringEquals` conditions of the trust policy, e.g. pinned session tags.
   * @default - only `aws:SourceAccount`
   */
  readonly trustConditions?: Readonly<Record<string, string>>;
  /**
   * Pin `aws:SourceAccount` in the trust policy (confused-deputy guard). Only for a service that does
   * not send the key when it assumes its role, where the condition would lock the service out.
   * @default true
   */
  readonly pinSourceAccount?: boolean;
  /**
   * Delete the role's inline policies and detach its managed policies when the role is deleted, also those other
   * stacks attached (Terraform's `force_detach_policies`). IAM refuses to delete a role that still has policies, and a
   * stack cannot order its role's deletion after another stack's policies.
   * @default false
   */
  readonly forceDetachPolicies?: boolean;
}

/**
 * An IAM role that one AWS service assumes on behalf of this account, with what that service needs:
 * AWS-managed policies and/or inline statements.
 */
export class AwsServiceRole extends Construct {
  readonly role: IamRole;
  /** Resources that must exist before the service uses the role (attachments and inline policy). */
  readonly grants: (IamRolePolicyAttachment | IamRolePolicy)[];

  constructor(scope: Construct, id: string, props: AwsServiceRoleProps) {
    super(scope, id);
    if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(props.servicePrincipal)) {
      invalidProp(
        `AwsServiceRole ${props.roleName}`,
        'servicePrincipal',
        'an AWS service principal such as "ec2.amazonaws.com"',
        props.servicePrincipal,
      );
    }
    const sourceAccount: Record<string, string> = props.pinSourceAccount === false ? {} : { 'aws:SourceAccount': props.accountId };
    const trustConditions: Record<string, string> = { ...sourceAccount, ...props.trustConditions };
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      ...(props.forceDetachPolicies ? { forceDetachPolicies: true } : {}),
      assumeRolePolicy: policyDocument([
        {
          sid: 'AssumedByService',
          principals: { Service: props.servicePrincipal },
          actions: props.tagSession ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'],
          ...(Object.keys(trustConditions).length > 0 ? { conditions: { StringEquals: trustConditions } } : {}),
        },
      ]),
    });
    this.grants = attachRolePermissions(this, this.role, props);
  }

  get arn(): string {
    return this.role.arn;
  }

  get name(): string {
    return this.role.name;
  }
}
