import { referencedName, type TerraformJson } from '../terraform-json';
import { MODELLED_MANAGED_POLICIES, type Statement } from './evaluate';

/** A role of the synthesized output with every policy the evaluator can read for it. */
export interface RolePolicies {
  readonly stack: string;
  readonly name: string;
  readonly arn: string;
  readonly identity: Statement[];
  readonly boundary?: Statement[];
  /** AWS-managed policies attached that MODELLED_MANAGED_POLICIES does not model (they grant nothing here). */
  readonly unmodelledManagedPolicies: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: resource bodies of synthesized JSON, read field by field below
type Resources = Record<string, Record<string, any>>;

/**
 * Every IAM role of one environment's stacks (`<env>-*`), with its inline policies, attached managed
 * policies (customer-managed ones from the same stack, AWS-managed ones as modelled) and its
 * permissions boundary (a customer-managed policy of any stack of the environment, found by name).
 * An inline policy or attachment belongs to a role when its `role` is the role's name or refers to
 * the role's resource (also through a cross-stack reference, which carries the logical name).
 */
export function rolesOf(stacks: ReadonlyMap<string, TerraformJson>, environment: string): RolePolicies[] {
  const docs = [...stacks].filter(([name]) => name.startsWith(`${environment}-`));
  const managedByName = new Map<string, Statement[]>();
  for (const [, doc] of docs) {
    for (const body of Object.values((doc.resource as Resources | undefined)?.aws_iam_policy ?? {}))
      managedByName.set(body.name, statements(body.policy));
  }
  const roles: RolePolicies[] = [];
  for (const [stack, doc] of docs) {
    const resources = (doc.resource ?? {}) as Resources;
    for (const [logical, role] of Object.entries(resources.aws_iam_role ?? {})) {
      const accountId = providerAccount(doc);
      const belongs = (value: unknown) =>
        typeof value === 'string' &&
        (value === role.name || value.includes(`aws_iam_role.${logical}.`) || value.includes(`aws_iam_role${logical}`));
      const identity: Statement[] = [];
      const unmodelled: string[] = [];
      for (const [, d] of docs) {
        const theirs = (d.resource ?? {}) as Resources;
        for (const body of Object.values(theirs.aws_iam_role_policy ?? {}))
          if (belongs(body.role)) identity.push(...statements(body.policy));
        for (const body of Object.values(theirs.aws_iam_role_policy_attachment ?? {})) {
          if (!belongs(body.role)) continue;
          const arn = String(body.policy_arn);
          const local = referencedName(arn, 'aws_iam_policy', 'arn');
          if (local) identity.push(...statements(theirs.aws_iam_policy[local].policy));
          else if (MODELLED_MANAGED_POLICIES[arn]) identity.push(...MODELLED_MANAGED_POLICIES[arn]);
          else unmodelled.push(arn);
        }
      }
      const boundaryName = typeof role.permissions_boundary === 'string' ? role.permissions_boundary.split(':policy/')[1] : undefined;
      roles.push({
        stack,
        name: role.name,
        arn: `arn:aws:iam::${accountId}:role/${role.name}`,
        identity,
        ...(boundaryName ? { boundary: managedByName.get(boundaryName) ?? [] } : {}),
        unmodelledManagedPolicies: unmodelled,
      });
    }
  }
  return roles;
}

/** Parses a policy document attribute (JSON text); an unresolvable one (a token) yields no statements. */
export function statements(policy: unknown): Statement[] {
  if (typeof policy !== 'string' || !policy.trim().startsWith('{')) return [];
  const document = JSON.parse(policy) as { Statement: Statement | Statement[] };
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/** Every stack's AWS provider is pinned to its account (allowed_account_ids). */
function providerAccount(doc: TerraformJson): string {
  const aws = (doc.provider as Record<string, { allowed_account_ids?: unknown[] }[]> | undefined)?.aws;
  const account = aws?.[0]?.allowed_account_ids?.[0];
  if (typeof account !== 'string') throw new Error('rolesOf: a stack without allowed_account_ids on its AWS provider');
  return account;
}
