import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

/** The account field of an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`). */
export function accountOf(arn: string): string | undefined {
  return arn.split(':')[4];
}

/**
 * Every provider and backend is pinned to `accountId` (allowed_account_ids), so a role to assume in another
 * account would make every plan fail on its first call; a deliberate cross-account setup needs its own field.
 */
export function checkAccount(env: EnvironmentFile, report: Report): void {
  if (env.assumeRoleArn && accountOf(env.assumeRoleArn) !== env.accountId)
    report(['assumeRoleArn'], `must be a role in accountId (${env.accountId}): the providers accept only that account`);
}
