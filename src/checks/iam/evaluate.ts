/**
 * A small IAM policy evaluator over policies read from synthesized JSON, for proving which requests
 * a role can make (test/checks/iam/evaluate.test.ts). It follows AWS's evaluation logic for one
 * account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny in any policy wins; otherwise an identity-policy Allow counts only if the
 * permissions boundary (when set) also allows; a resource policy (bucket policy) may allow on its own
 * for a principal it names; a KMS key is usable only if its key policy allows the principal directly
 * or allows the account root, which delegates to the identity policies.
 *
 * Modelled: Action/NotAction and Resource/NotResource with `*` and `?` wildcards (actions
 * case-insensitive); Principal `*`, `{ AWS: ... }` (ARNs, account roots); condition operators
 * StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotEquals,
 * ArnNotLike, Bool and their `IfExists` forms, over single- or multi-valued context keys supplied with
 * the request (a missing key fails a positive operator and satisfies a negated one, as in IAM).
 *
 * Not modelled: service control and resource control policies, session policies and session tags,
 * permission changes over time, cross-account access, ForAllValues/ForAnyValue, numeric, date, IP
 * and Null operators (a statement using one is treated as not matching), policy variables, the
 * contents of AWS-managed policies beyond the subsets in MODELLED_MANAGED_POLICIES (any other one
 * grants nothing here), grants, ACLs, VPC endpoint policies, service-specific authorization (EKS
 * access policies, OpenSearch fine-grained access, Kubernetes RBAC) and every condition key the
 * request does not carry. A request it allows is allowed by these policies only; one it denies
 * explicitly is denied whatever the unmodelled policies say.
 */

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface Request {
  readonly principalArn: string;
  readonly action: string;
  readonly resource: string;
  /** Condition keys and their values; `aws:PrincipalArn` is added from principalArn. */
  readonly context?: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export interface Policies {
  /** Inline and attached managed policies of the principal. */
  readonly identity: readonly Statement[];
  /** The permissions boundary's statements, when the principal has one. */
  readonly boundary?: readonly Statement[];
  /** A bucket policy of the resource, when it has one. */
  readonly resourcePolicy?: readonly Statement[];
  /** The key policy, when the resource is a KMS key: required for any access. */
  readonly keyPolicy?: readonly Statement[];
}

/**
 * The AWS-managed policies the evaluator models, as subsets of their real content (read from the
 * AWS Managed Policy Reference, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/).
 * ReadOnlyAccess: its reads (Describe/Get/List/BatchGet) and the data reads it is known to include. Wider than the real
 * policy where a service is missing from it: `codeconnections:*` (only the old `codestar-connections:*` is there, as of
 * its version 178), which the bootstrap test checks the plan role is granted on its own.
 * AmazonEKSComputePolicy (v3) and AmazonEKSLoadBalancingPolicy (v4): only their IAM statements (instance
 * profiles eks*, passing roles to EC2, the EC2 Spot and ELB service-linked roles), not their EC2/ELB ones.
 */
export const MODELLED_MANAGED_POLICIES: Readonly<Record<string, readonly Statement[]>> = {
  'arn:aws:iam::aws:policy/ReadOnlyAccess': [
    {
      Effect: 'Allow',
      Action: [
        '*:Describe*',
        '*:Get*',
        '*:List*',
        '*:BatchGet*',
        'dynamodb:Query',
        'dynamodb:Scan',
        'dynamodb:PartiQLSelect',
        'logs:FilterLogEvents',
        'logs:StartQuery',
        'rds:Download*',
        'es:ESHttpGet',
        'es:ESHttpHead',
      ],
      Resource: '*',
    },
  ],
  'arn:aws:iam::aws:policy/AmazonEKSLoadBalancingPolicy': [
    {
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: 'arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
  ],
  'arn:aws:iam::aws:policy/AmazonEKSComputePolicy': [
    { Effect: 'Allow', Action: 'iam:AddRoleToInstanceProfile', Resource: 'arn:aws:iam::*:instance-profile/eks*' },
    {
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: 'arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'spot.amazonaws.com' } },
    },
  ],
};

export function evaluate(request: Request, policies: Policies): Decision {
  const context: Record<string, string | boolean | readonly string[]> = { 'aws:PrincipalArn': request.principalArn, ...request.context };
  const asPrincipal = (statements: readonly Statement[]) => statements.filter((s) => principalMatches(s, request.principalArn));
  const denied =
    [policies.identity, policies.boundary ?? []].some((statements) =>
      statements.some((s) => s.Effect === 'Deny' && applies(s, request, context)),
    ) ||
    [policies.resourcePolicy ?? [], policies.keyPolicy ?? []].some((statements) =>
      asPrincipal(statements).some((s) => s.Effect === 'Deny' && applies(s, request, context)),
    );
  if (denied) return 'explicit-deny';
  const allows = (statements: readonly Statement[]) => statements.some((s) => s.Effect === 'Allow' && applies(s, request, context));
  const identityAllows = allows(policies.identity) && (policies.boundary === undefined || allows(policies.boundary));
  if (policies.keyPolicy) {
    const direct = allows(policies.keyPolicy.filter((s) => principalMatches(s, request.principalArn, false)));
    const delegated = allows(policies.keyPolicy.filter((s) => principalMatches(s, accountRoot(request.principalArn), false)));
    return direct || (delegated && identityAllows) ? 'allow' : 'implicit-deny';
  }
  if (identityAllows) return 'allow';
  return policies.resourcePolicy && allows(asPrincipal(policies.resourcePolicy)) ? 'allow' : 'implicit-deny';
}

function applies(statement: Statement, request: Request, context: Record<string, unknown>): boolean {
  const actionMatch =
    statement.Action !== undefined
      ? list(statement.Action).some((p) => glob(p, request.action, true))
      : !list(statement.NotAction).some((p) => glob(p, request.action, true));
  if (!actionMatch) return false;
  const resourceMatch =
    statement.Resource !== undefined
      ? list(statement.Resource).some((p) => glob(p, request.resource, false))
      : statement.NotResource !== undefined
        ? !list(statement.NotResource).some((p) => glob(p, request.resource, false))
        : true;
  return resourceMatch && conditionsHold(statement.Condition ?? {}, context);
}

/** `*` matches any principal; an account root or role ARN matches itself; roots also match `<account>`. */
function principalMatches(statement: Statement, principalArn: string, wildcard = true): boolean {
  if (statement.Principal === undefined) return true;
  if (statement.Principal === '*') return wildcard;
  const aws = list(statement.Principal.AWS as string | readonly string[] | undefined);
  return aws.some(
    (p) => p === principalArn || (wildcard && p === '*') || (/^\d{12}$/.test(p) && accountRoot(principalArn) === `arn:aws:iam::${p}:root`),
  );
}

function accountRoot(principalArn: string): string {
  return `arn:aws:iam::${principalArn.split(':')[4]}:root`;
}

const OPERATORS: Readonly<Record<string, { match: (pattern: string, value: string) => boolean; negated: boolean }>> = {
  StringEquals: { match: (p, v) => p === v, negated: false },
  StringNotEquals: { match: (p, v) => p === v, negated: true },
  StringLike: { match: (p, v) => glob(p, v, false), negated: false },
  StringNotLike: { match: (p, v) => glob(p, v, false), negated: true },
  ArnEquals: { match: (p, v) => p === v, negated: false },
  ArnNotEquals: { match: (p, v) => p === v, negated: true },
  ArnLike: { match: (p, v) => glob(p, v, false), negated: false },
  ArnNotLike: { match: (p, v) => glob(p, v, false), negated: true },
  Bool: { match: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
};

function conditionsHold(
  conditions: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  context: Record<string, unknown>,
): boolean {
  return Object.entries(conditions).every(([operatorName, keys]) => {
    const ifExists = operatorName.endsWith('IfExists');
    const operator = OPERATORS[ifExists ? operatorName.slice(0, -'IfExists'.length) : operatorName];
    if (!operator) return false;
    return Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return ifExists || operator.negated;
      const values = list(actual as string | boolean | readonly string[]).map(String);
      const patterns = list(expected as string | boolean | readonly string[]).map(String);
      const anyMatch = values.some((value) => patterns.some((pattern) => operator.match(pattern, value)));
      return operator.negated ? !anyMatch : anyMatch;
    });
  });
}

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'is' : 's',
  );
  return regex.test(value);
}

function list<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}
