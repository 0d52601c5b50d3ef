import { invalidProp } from '../invalid-prop';

/**
 * IAM policy documents as plain data, rendered with JSON.stringify. Token strings (`${…}`) inside
 * survive as Terraform interpolations, and the rendered policy stays readable JSON for the checks.
 */
export interface PolicyStatement {
  readonly sid?: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  /** Omitted in trust policies. */
  readonly resources?: readonly string[];
  /** Everything but these; for Deny statements that carve out an exception. */
  readonly notResources?: readonly string[];
  /** `{ AWS: [...] }`, `{ Service: [...] }` or `{ Federated: '...' }`; `'*'` only with conditions. */
  readonly principals?: Readonly<Record<string, string | readonly string[]>> | '*';
  /** `{ operator: { key: value(s) } }` as in IAM JSON. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  if (statements.length === 0) invalidProp('policyDocument', 'statements', 'at least one statement', statements);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      ...(s.principals ? { Principal: s.principals } : {}),
      Action: s.actions.length === 1 ? s.actions[0] : s.actions,
      ...(s.resources ? { Resource: s.resources.length === 1 ? s.resources[0] : s.resources } : {}),
      ...(s.notResources ? { NotResource: s.notResources.length === 1 ? s.notResources[0] : s.notResources } : {}),
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/**
 * IAM's quota on a customer-managed policy: 6,144 characters, whitespace not counted
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

/**
 * `policyDocument(statements)` for a customer-managed policy, refused at synth time (naming `owner`'s `prop`) when
 * IAM would refuse it at apply. A `${…}` interpolation counts as its own text, so a document holding references can
 * still grow past the quota once Terraform fills them in; the policies built here name their ARNs in full.
 */
export function managedPolicyDocument(owner: string, prop: string, statements: readonly PolicyStatement[]): string {
  const document = policyDocument(statements);
  const size = document.replace(/\s/g, '').length;
  if (size > MANAGED_POLICY_MAX_CHARACTERS)
    invalidProp(owner, prop, `at most ${MANAGED_POLICY_MAX_CHARACTERS} characters without whitespace (IAM quota)`, size);
  return document;
}

/** Denies every request to `resources` that does not arrive over TLS. */
export function denyInsecureTransport(resources: readonly string[]): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: '*',
    actions: ['s3:*'],
    resources,
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
