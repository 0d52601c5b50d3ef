import { weeklyWindowMinutes } from '../schema/common';
import { CACHE_ENGINE_VERSIONS } from '../schema/data';
import { BACKUP_MAINTENANCE_MARGIN_MINUTES, DAILY_BACKUP_START_WINDOW } from '../schema/recovery';
import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

const DAY = 1440;
const WEEK = 7 * DAY;

type Interval = readonly [number, number];

/** A daily "hh:mm-hh:mm" window as its seven occurrences in the week (minutes since Monday 00:00). */
export function dailyWindowIntervals(window: string): Interval[] {
  const [start, end] = window.split('-').map((part) => {
    const [hour, minute] = part.split(':');
    return Number(hour) * 60 + Number(minute);
  });
  const length = (end - start + DAY) % DAY;
  return Array.from({ length: 7 }, (_, day): Interval => [day * DAY + start, day * DAY + start + length]);
}

/** A weekly "ddd:hh:mm-ddd:hh:mm" window as one interval; a window that wraps past Sunday ends after WEEK. */
export function weeklyWindowInterval(window: string): Interval {
  const [start, end] = weeklyWindowMinutes(window);
  return [start, end > start ? end : end + WEEK];
}

/** Whether two intervals of the weekly cycle share a minute (touching ends do not overlap). */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return [-WEEK, 0, WEEK].some((shift) => a[0] < b[1] + shift && b[0] + shift < a[1]);
}

function checkWindows(
  report: Report,
  path: string[],
  daily: string,
  weekly: string,
  minimumMinutes: number,
  names: [string, string],
): void {
  const days = dailyWindowIntervals(daily);
  const week = weeklyWindowInterval(weekly);
  if (days[0][1] - days[0][0] < minimumMinutes) report([...path, names[0]], `must be at least ${minimumMinutes} minutes long`);
  if (week[1] - week[0] < minimumMinutes) report([...path, names[1]], `must be at least ${minimumMinutes} minutes long`);
  if (days.some((day) => intervalsOverlap(day, week))) {
    report([...path, names[1]], `must not overlap ${names[0]} (${daily} daily, UTC); move one of them`);
  }
}

/**
 * A maintenance window that blocks AWS Backup's daily start window (BACKUP_MAINTENANCE_MARGIN_MINUTES) loses that day's
 * snapshot and its copies in the recovery region and account.
 */
function checkMaintenanceClearsDailyBackup(report: Report, maintenanceWindow: string): void {
  const [begin, end] = weeklyWindowInterval(maintenanceWindow);
  const blocked: Interval = [begin - BACKUP_MAINTENANCE_MARGIN_MINUTES, end];
  if (dailyWindowIntervals(DAILY_BACKUP_START_WINDOW).some((start) => intervalsOverlap(start, blocked))) {
    report(
      ['data', 'postgres', 'maintenanceWindow'],
      `must begin at least ${BACKUP_MAINTENANCE_MARGIN_MINUTES} minutes after AWS Backup's daily start window ` +
        `(${DAILY_BACKUP_START_WINDOW} UTC) ends, or end before it begins: AWS Backup starts no database backup during a ` +
        `maintenance window or in the ` +
        `${BACKUP_MAINTENANCE_MARGIN_MINUTES} minutes before it, so that day's snapshot and its copies would be lost`,
    );
  }
}

/** Cross-field rules of the data layer; every message says what is allowed. */
export function checkData(env: EnvironmentFile, report: Report): void {
  const { postgres, cache, search } = env.data;
  const production = env.tier === 'production';

  if (postgres.maxAllocatedStorageGiB < postgres.allocatedStorageGiB) {
    report(['data', 'postgres', 'maxAllocatedStorageGiB'], `must be at least allocatedStorageGiB (${postgres.allocatedStorageGiB})`);
  }
  checkWindows(report, ['data', 'postgres'], postgres.backupWindow, postgres.maintenanceWindow, 30, ['backupWindow', 'maintenanceWindow']);
  checkMaintenanceClearsDailyBackup(report, postgres.maintenanceWindow);
  if (env.tier !== 'development' && !postgres.multiAz && !postgres.singleAzRiskAcceptance) {
    report(
      ['data', 'postgres', 'multiAz'],
      `must be true in a ${env.tier} environment, unless singleAzRiskAcceptance documents the accepted risk (reason, acceptedBy, expires)`,
    );
  }
  if (postgres.multiAz && postgres.singleAzRiskAcceptance) {
    report(['data', 'postgres', 'singleAzRiskAcceptance'], 'must be omitted while multiAz is true (nothing to accept)');
  }
  if (production && postgres.backupRetentionDays < 14) {
    report(['data', 'postgres', 'backupRetentionDays'], 'must be 14–35 days in production (point-in-time recovery window)');
  }

  const versions: readonly string[] = CACHE_ENGINE_VERSIONS[cache.engine];
  if (!versions.includes(cache.engineVersion)) {
    report(
      ['data', 'cache', 'engineVersion'],
      `must be one of ${versions.join(', ')} for engine "${cache.engine}" (RBAC with IAM authentication)`,
    );
  }
  checkWindows(report, ['data', 'cache'], cache.snapshotWindow, cache.maintenanceWindow, 60, ['snapshotWindow', 'maintenanceWindow']);
  if (production && cache.replicas < 1)
    report(['data', 'cache', 'replicas'], 'must be at least 1 in production (a replica in another zone for automatic failover)');
  if (production && cache.snapshotRetentionDays < 7) report(['data', 'cache', 'snapshotRetentionDays'], 'must be 7–35 days in production');

  const zones = Math.min(search.instanceCount, env.network.azCount, 3);
  if (production) {
    if (search.instanceCount % 3 !== 0)
      report(['data', 'search', 'instanceCount'], 'must be a multiple of 3 in production (zone awareness across 3 zones)');
    if (!search.dedicatedMasterType)
      report(['data', 'search', 'dedicatedMasterType'], 'is required in production (3 dedicated master nodes), e.g. "m7g.large.search"');
  } else if (search.instanceCount % zones !== 0) {
    report(
      ['data', 'search', 'instanceCount'],
      `must be a multiple of the zones it spreads over (${zones}), so every zone holds the same number of nodes`,
    );
  }
}
