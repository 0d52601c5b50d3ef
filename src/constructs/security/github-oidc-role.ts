import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { GITHUB_OIDC_HOST } from './github-oidc';
import { policyDocument } from './policy-document';
import { attachRolePermissions, type RolePermissions } from './role-permissions';

/** Which GitHub Actions jobs may assume the role: the OIDC `sub` claims of one repository. */
export type GithubSubject = { readonly pullRequest: true } | { readonly branch: string } | { readonly environment: string };

export interface GithubOidcRoleProps extends RolePermissions {
  readonly roleName: string;
  readonly description: string;
  readonly oidcProviderArn: string;
  readonly organization: string;
  readonly repository: string;
  /** At least one; each becomes an exact `sub` value, never a wildcard across repositories. */
  readonly subjects: readonly GithubSubject[];
  /**
   * Session length in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number;
}

const SUBJECT_VALUE = /^[A-Za-z0-9_./-]+$/;

function githubSubjectClaim(organization: string, repository: string, subject: GithubSubject): string {
  const base = `repo:${organization}/${repository}`;
  const [kind, value] =
    'pullRequest' in subject
      ? ['pull_request', undefined]
      : 'branch' in subject
        ? ['ref', `refs/heads/${subject.branch}`]
        : ['environment', subject.environment];
  if (value !== undefined && !SUBJECT_VALUE.test(value)) {
    invalidProp('GithubOidcRole', 'subjects', 'names of letters, digits and "_ . / -" only (wildcards would widen the trust)', value);
  }
  return value === undefined ? `${base}:${kind}` : `${base}:${kind}:${value}`;
}

/** An IAM role that only GitHub Actions jobs of one repository, on the listed refs, can assume. */
export class GithubOidcRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: GithubOidcRoleProps) {
    super(scope, id);
    if (props.subjects.length === 0)
      invalidProp(`GithubOidcRole ${props.roleName}`, 'subjects', 'at least one pull request, branch or environment', props.subjects);
    const subjects = props.subjects.map((subject) => githubSubjectClaim(props.organization, props.repository, subject));
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
      assumeRolePolicy: policyDocument([
        {
          sid: 'GithubActionsOidc',
          principals: { Federated: props.oidcProviderArn },
          actions: ['sts:AssumeRoleWithWebIdentity'],
          conditions: {
            StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_HOST}:sub`]: subjects },
          },
        },
      ]),
    });
    attachRolePermissions(this, this.role, props);
  }

  get arn(): string {
    return this.role.arn;
  }

  get name(): string {
    return this.role.name;
  }
}
