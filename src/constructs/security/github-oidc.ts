import { IamOpenidConnectProvider } from '@cdktn/provider-aws/lib/iam-openid-connect-provider';
import { Construct } from 'constructs';
import type { Naming } from '../../naming';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The ARN the account's GitHub OIDC provider has; deterministic, so other layers need no lookup. */
export function githubOidcProviderArn(naming: Pick<Naming, 'iamArn'>): string {
  return naming.iamArn(`oidc-provider/${GITHUB_OIDC_HOST}`);
}

/**
 * The account's identity provider for GitHub Actions' OIDC tokens. One per account: CI jobs
 * exchange a short-lived token for role credentials, so no access key exists anywhere.
 */
export class GithubOidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // No thumbprint_list: AWS validates GitHub's certificate against its own trusted CAs.
    this.provider = new IamOpenidConnectProvider(this, 'provider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: ['sts.amazonaws.com'],
    });
  }

  get arn(): string {
    return this.provider.arn;
  }
}
