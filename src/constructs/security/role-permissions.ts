import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktn/provider-aws/lib/iam-role-policy-attachment';
import type { Construct } from 'constructs';
import { policyDocument, type PolicyStatement } from './policy-document';

export interface RolePermissions {
  /** AWS-managed policies, attached as separate resources (the role's managed_policy_arns is deprecated). */
  readonly managedPolicyArns?: readonly string[];
  /** Statements of one inline policy. */
  readonly statements?: readonly PolicyStatement[];
  /** @default 'permissions' */
  readonly inlinePolicyName?: string;
}

/**
 * Attaches a role's permissions inside `scope` (as `managed-<n>` and `policy`) and returns the
 * resources, for whatever must wait until the role can act.
 */
export function attachRolePermissions(
  scope: Construct,
  role: IamRole,
  permissions: RolePermissions,
): (IamRolePolicyAttachment | IamRolePolicy)[] {
  const grants: (IamRolePolicyAttachment | IamRolePolicy)[] = (permissions.managedPolicyArns ?? []).map(
    (policyArn, i) => new IamRolePolicyAttachment(scope, `managed-${i}`, { role: role.name, policyArn }),
  );
  if (permissions.statements && permissions.statements.length > 0) {
    grants.push(
      new IamRolePolicy(scope, 'policy', {
        name: permissions.inlinePolicyName ?? 'permissions',
        role: role.name,
        policy: policyDocument(permissions.statements),
      }),
    );
  }
  return grants;
}
