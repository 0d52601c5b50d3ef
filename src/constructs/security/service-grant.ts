import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import type { Capability } from '../../config/schema/project';
import { invalidProp } from '../invalid-prop';
import { policyDocument, type PolicyStatement } from './policy-document';

/**
 * Grants that follow from what a service's config entry declares rather than from a capability:
 * the shared cache keyspaces it owns or reads, and the application secrets it owns or reads.
 */
export const DECLARED_GRANTS = ['cache-keyspaces', 'secrets'] as const;
/** What a ServiceGrant is named after: one inline policy `capability-<grant>` per service and grant. */
export type GrantName = Capability | (typeof DECLARED_GRANTS)[number];

export interface ServiceGrantProps {
  /** Service name from the catalog; part of the construct path the grant tests look for. */
  readonly service: string;
  /** Name of the service's pod-identity role (created by the platform layer). */
  readonly roleName: string;
  readonly capability: GrantName;
  /** Narrowly scoped statements: named actions on named resources. */
  readonly statements: readonly PolicyStatement[];
}

/**
 * The seam between layers for least privilege: the platform layer creates each service's role, and
 * the layer that owns a resource attaches the grant for it here, as an inline policy named after
 * the capability. References therefore only point down the layer order. The construct that owns the
 * resource creates the grant (`cache.grantConnect(...)`), in its stack's scope, so a grant's address
 * (`<stack>/grant-<service>-<grant>`) does not depend on which construct makes it.
 */
export class ServiceGrant extends Construct {
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, props: ServiceGrantProps) {
    super(scope, `grant-${props.service}-${props.capability}`);
    const where = `ServiceGrant ${props.service}/${props.capability}`;
    for (const [i, statement] of props.statements.entries()) {
      const wildcard = statement.actions.find((action) => action === '*' || action.endsWith(':*'));
      if (wildcard) invalidProp(where, `statements[${i}].actions`, 'the actions the capability needs, no wildcard', wildcard);
      if (!statement.resources || statement.resources.length === 0) {
        invalidProp(where, `statements[${i}].resources`, 'at least one resource', statement.resources);
      }
    }
    this.policy = new IamRolePolicy(this, 'policy', {
      name: `capability-${props.capability}`,
      role: props.roleName,
      policy: policyDocument(props.statements),
    });
  }
}
