import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

/** Cross-field rules of the recovery copies: a production environment keeps a copy in a second region. */
export function checkRecovery(env: EnvironmentFile, report: Report): void {
  const { recovery } = env;
  if (!recovery) {
    if (env.tier === 'production')
      report(['recovery', 'region'], 'is required in production: backups and the state replica must have a copy in a second region');
    return;
  }
  if (recovery.region === env.region)
    report(['recovery', 'region'], `must differ from region (${env.region}): a copy in the same region shares its outages`);
  if (recovery.accountId === env.accountId)
    report(
      ['recovery', 'accountId'],
      `must differ from accountId (${env.accountId}), or be omitted: the second account is what a compromise of this one cannot reach`,
    );
}
