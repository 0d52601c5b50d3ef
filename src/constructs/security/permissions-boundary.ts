import { IamPolicy } from '@cdktn/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import type { IAspect } from 'cdktn';
import { Construct, type IConstruct } from 'constructs';
import { policyDocument } from './policy-document';

/**
 * What no role below the boundary may do, whatever its own policies say: change identities or
 * permissions, pass roles, or touch the organization. This is what stops the CI apply role, which
 * may write the platform's roles, from granting itself more through one of them.
 */
export const BOUNDARY_DENIED_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary',
  'iam:PassRole', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy',
  'iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:PutUserPolicy',
  'iam:AttachUserPolicy', 'iam:AddUserToGroup', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy',
  'iam:CreateOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:CreateSAMLProvider',
  'organizations:*', 'account:*',
] as const;

export interface PermissionsBoundaryProps {
  /** Policy name; the ARN other layers attach is derived from it. */
  readonly policyName: string;
}

/**
 * The managed policy every role of the upper layers carries as its permissions boundary: a ceiling
 * that allows what the role's own policies allow, minus identity and organization changes.
 */
export class PermissionsBoundary extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, 'policy', {
      name: props.policyName,
      description: 'Permissions boundary of every platform role: no identity, permission or organization changes',
      policy: policyDocument([
        // A boundary grants nothing by itself; this only sets the ceiling for the roles' own policies.
        { sid: 'Ceiling', actions: ['*'], resources: ['*'] },
        { sid: 'NoIdentityChanges', effect: 'Deny', actions: BOUNDARY_DENIED_ACTIONS, resources: ['*'] },
      ]),
    });
  }
}

/** Sets the permissions boundary on every IAM role in the scope it is added to. */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}
