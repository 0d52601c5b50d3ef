import { accountOf } from './account';
import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

/**
 * The first add-on build that takes its role from EKS Pod Identity:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-setup-EKS-addon.html
 */
const CLOUDWATCH_OBSERVABILITY_MIN_VERSION = [3, 1, 0] as const;

/** Cross-field rules of `observability` and of the Container Insights add-on it relies on. */
export function checkObservability(env: EnvironmentFile, report: Report): void {
  const { notifications, budget, audit } = env.observability;
  if (notifications.emails.length === 0 && !notifications.slack) {
    report(
      ['observability', 'notifications'],
      'must name at least one e-mail address or a Slack channel: alarms on a topic without subscribers reach nobody',
    );
  }
  notifications.emails.forEach((email, i) => {
    if (notifications.emails.findIndex((other) => other.toLowerCase() === email.toLowerCase()) !== i) {
      report(['observability', 'notifications', 'emails', i], 'must not repeat an address');
    }
  });
  budget.forecastAlertPercents.forEach((percent, i) => {
    if (budget.forecastAlertPercents.indexOf(percent) !== i) {
      report(['observability', 'budget', 'forecastAlertPercents', i], 'must not repeat a share');
    }
  });
  audit.breakGlassRoleArns.forEach((arn, i) => {
    const path = ['observability', 'audit', 'breakGlassRoleArns', i];
    // The alert matches sessions of roles of this account; another account's role never acts here as itself.
    if (accountOf(arn) !== env.accountId) report(path, `must be a role of this environment's account (${env.accountId})`);
    if (audit.breakGlassRoleArns.indexOf(arn) !== i) report(path, 'must not repeat a role');
  });
  const version = /^v(\d+)\.(\d+)\.(\d+)-/.exec(env.platform.addons.cloudwatchObservability);
  if (version && compareVersions(version.slice(1, 4).map(Number), CLOUDWATCH_OBSERVABILITY_MIN_VERSION) < 0) {
    const minimum = CLOUDWATCH_OBSERVABILITY_MIN_VERSION.join('.');
    report(['platform', 'addons', 'cloudwatchObservability'], `must be v${minimum} or later: earlier builds cannot use EKS Pod Identity`);
  }
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
