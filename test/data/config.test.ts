import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load';
import { dailyWindowIntervals, intervalsOverlap, weeklyWindowInterval } from '../../src/config/rules/data';
import { BACKUP_MAINTENANCE_MARGIN_MINUTES, DAILY_BACKUP_START, DAILY_BACKUP_START_WINDOW } from '../../src/config/schema/recovery';
import type { EnvironmentTier } from '../../src/environment-tiers';
import { configOfTier } from '../support/synth';

const ACCEPTANCE = {
  reason: 'Single-AZ while the 2026 migration runs; restores are tested weekly',
  acceptedBy: 'cto@example.com',
  expires: '2026-12-31',
};

function rejects(
  tier: EnvironmentTier,
  mutate: (data: any, raw: { project: any; environment: any }) => void,
  path: string,
  message: RegExp,
): void {
  assert.throws(
    () => configOfTier(tier, (raw) => mutate(raw.environment.data, raw)),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      const problem = error.problems.find((p) => p.path === path);
      assert.ok(problem, `no problem at ${path}; got ${error.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      assert.match(problem.message, message);
      return true;
    },
  );
}

describe('data config: field validation', () => {
  const cases: [string, EnvironmentTier, (data: any) => void, string, RegExp][] = [
    ['PostgreSQL major below 16', 'development', (d) => (d.postgres.engineMajor = 15), 'data.postgres.engineMajor', /16 to 18/],
    ['PostgreSQL major above 18', 'development', (d) => (d.postgres.engineMajor = 19), 'data.postgres.engineMajor', /16 to 18/],
    [
      'RDS instance class of an unknown family',
      'development',
      (d) => (d.postgres.instanceClass = 'db.z1d.large'),
      'data.postgres.instanceClass',
      /families t3, t4g, m5–m8, r5–r8, x2g/,
    ],
    [
      'RDS instance class without the db. prefix',
      'development',
      (d) => (d.postgres.instanceClass = 'r7g.large'),
      'data.postgres.instanceClass',
      /db\.r7g\.large/,
    ],
    [
      'backup retention of 0 (no point-in-time recovery)',
      'development',
      (d) => (d.postgres.backupRetentionDays = 0),
      'data.postgres.backupRetentionDays',
      /1–35/,
    ],
    [
      'Performance Insights retention not 7 or whole months',
      'development',
      (d) => (d.postgres.performanceInsightsRetentionDays = 30),
      'data.postgres.performanceInsightsRetentionDays',
      /7, a multiple of 31/,
    ],
    [
      'database name with a hyphen',
      'development',
      (d) => (d.postgres.databaseName = 'my-app'),
      'data.postgres.databaseName',
      /PostgreSQL identifier/,
    ],
    [
      'cache node type of an unknown family',
      'development',
      (d) => (d.cache.nodeType = 'cache.x9.large'),
      'data.cache.nodeType',
      /families t3, t4g/,
    ],
    ['cache engine not valkey or redis', 'development', (d) => (d.cache.engine = 'memcached'), 'data.cache.engine', /"valkey" or "redis"/],
    [
      'OpenSearch version outside the allowed list',
      'development',
      (d) => (d.search.engineVersion = 'OpenSearch_1.3'),
      'data.search.engineVersion',
      /OpenSearch_2\.19/,
    ],
    [
      'OpenSearch instance type of an unknown family',
      'development',
      (d) => (d.search.instanceType = 'x1.large.search'),
      'data.search.instanceType',
      /families t3/,
    ],
  ];
  for (const [name, env, mutate, path, message] of cases) it(`rejects ${name}`, () => rejects(env, mutate, path, message));

  it('defaults engine major 17, database "app", Valkey and admin password version 1', () => {
    const config = configOfTier('development', (raw) => {
      delete raw.environment.data.postgres.engineMajor;
      delete raw.environment.data.cache.engine;
    });
    assert.equal(config.data.postgres.engineMajor, 17);
    assert.equal(config.data.postgres.databaseName, 'app');
    assert.equal(config.data.cache.engine, 'valkey');
    assert.equal(config.data.cache.adminPasswordVersion, 1);
  });
});

describe('data config: cross-field rules', () => {
  it('rejects a cache version the engine does not offer with RBAC and IAM auth', () =>
    rejects(
      'development',
      (d) => (d.cache.engineVersion = '6.2'),
      'data.cache.engineVersion',
      /one of 7\.2, 8\.0, 8\.1 for engine "valkey"/,
    ));
  it('checks the cache version against the chosen engine', () => {
    rejects(
      'development',
      (d) => ((d.cache.engine = 'redis'), (d.cache.engineVersion = '8.1')),
      'data.cache.engineVersion',
      /one of 7\.0, 7\.1 for engine "redis"/,
    );
    assert.equal(
      configOfTier(
        'development',
        (raw) => ((raw.environment.data.cache.engine = 'redis'), (raw.environment.data.cache.engineVersion = '7.1')),
      ).data.cache.engine,
      'redis',
    );
  });
  it('rejects a PostgreSQL maintenance window that overlaps the daily backup window', () =>
    rejects(
      'production',
      (d) => (d.postgres.maintenanceWindow = 'wed:01:30-wed:02:30'),
      'data.postgres.maintenanceWindow',
      /must not overlap backupWindow \(01:00-02:00 daily, UTC\)/,
    ));
  it("rejects a PostgreSQL maintenance window during AWS Backup's daily start window or in the hour after it", () => {
    const { hourUtc, windowMinutes } = DAILY_BACKUP_START;
    const at = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const start = hourUtc * 60;
    const window = (from: number) => `sun:${at(from)}-sun:${at(from + 60)}`;
    // The window as AWS Backup's console shows it, from the start hour and window of DAILY_BACKUP_START.
    assert.deepEqual(
      { hourUtc, windowMinutes, DAILY_BACKUP_START_WINDOW },
      { hourUtc: 3, windowMinutes: 60, DAILY_BACKUP_START_WINDOW: '03:00-04:00' },
    );
    const message = new RegExp(`AWS Backup's daily start window \\(${DAILY_BACKUP_START_WINDOW} UTC\\)`);
    // Starting in the start window, or in the margin after it, would keep that day's snapshot from starting.
    for (const from of [start, start + windowMinutes + BACKUP_MAINTENANCE_MARGIN_MINUTES - 30])
      rejects('production', (d) => (d.postgres.maintenanceWindow = window(from)), 'data.postgres.maintenanceWindow', message);
    // Clear of it: starting the margin after the start window ends, or ending before it begins.
    for (const from of [start + windowMinutes + BACKUP_MAINTENANCE_MARGIN_MINUTES, start - 60]) {
      assert.doesNotThrow(() => configOfTier('production', (raw) => (raw.environment.data.postgres.maintenanceWindow = window(from))));
    }
  });
  it('rejects a cache maintenance window that overlaps the snapshot window across midnight', () =>
    rejects(
      'production',
      (d) => ((d.cache.snapshotWindow = '23:30-00:30'), (d.cache.maintenanceWindow = 'mon:00:00-mon:01:00')),
      'data.cache.maintenanceWindow',
      /must not overlap snapshotWindow/,
    ));
  it('rejects windows shorter than the service minimum', () => {
    rejects('development', (d) => (d.postgres.backupWindow = '01:00-01:15'), 'data.postgres.backupWindow', /at least 30 minutes/);
    rejects('development', (d) => (d.cache.snapshotWindow = '01:00-01:30'), 'data.cache.snapshotWindow', /at least 60 minutes/);
  });
  it('rejects production backup retention under 14 days', () =>
    rejects('production', (d) => (d.postgres.backupRetentionDays = 7), 'data.postgres.backupRetentionDays', /14–35 days in production/));
  it('rejects a single-AZ database in production and staging without a risk acceptance', () => {
    rejects(
      'production',
      (d) => (d.postgres.multiAz = false),
      'data.postgres.multiAz',
      /must be true in a production environment, unless singleAzRiskAcceptance/,
    );
    rejects('staging', (d) => (d.postgres.multiAz = false), 'data.postgres.multiAz', /must be true in a staging environment/);
  });
  it('accepts a single-AZ production database with a reasoned risk acceptance, and rejects one without a reason', () => {
    const config = configOfTier(
      'production',
      (raw) => ((raw.environment.data.postgres.multiAz = false), (raw.environment.data.postgres.singleAzRiskAcceptance = ACCEPTANCE)),
    );
    assert.deepEqual(config.data.postgres.singleAzRiskAcceptance, ACCEPTANCE);
    rejects(
      'production',
      (d) => ((d.postgres.multiAz = false), (d.postgres.singleAzRiskAcceptance = { ...ACCEPTANCE, reason: 'because' })),
      'data.postgres.singleAzRiskAcceptance.reason',
      /at least 20 characters/,
    );
  });
  it('rejects a risk acceptance on a Multi-AZ database (nothing to accept)', () =>
    rejects(
      'production',
      (d) => (d.postgres.singleAzRiskAcceptance = ACCEPTANCE),
      'data.postgres.singleAzRiskAcceptance',
      /omitted while multiAz is true/,
    ));
  it('rejects a production cache without a replica or with under 7 days of snapshots', () => {
    rejects('production', (d) => (d.cache.replicas = 0), 'data.cache.replicas', /at least 1 in production/);
    rejects('production', (d) => (d.cache.snapshotRetentionDays = 3), 'data.cache.snapshotRetentionDays', /7–35 days in production/);
  });
  it('rejects a production OpenSearch domain without 3 zones worth of nodes or dedicated masters', () => {
    rejects('production', (d) => (d.search.instanceCount = 4), 'data.search.instanceCount', /multiple of 3 in production/);
    rejects('production', (d) => delete d.search.dedicatedMasterType, 'data.search.dedicatedMasterType', /required in production/);
  });
  it('rejects an OpenSearch node count that does not divide over its zones', () =>
    rejects('staging', (d) => (d.search.instanceCount = 4), 'data.search.instanceCount', /multiple of the zones it spreads over \(3\)/));
});

describe('data config: window arithmetic', () => {
  it('treats touching windows as not overlapping and wraps the week', () => {
    const [monday] = dailyWindowIntervals('01:00-02:00');
    assert.equal(intervalsOverlap(monday, weeklyWindowInterval('mon:02:00-mon:03:00')), false);
    assert.equal(intervalsOverlap(monday, weeklyWindowInterval('mon:01:59-mon:03:00')), true);
    assert.ok(dailyWindowIntervals('23:30-00:30').some((day) => intervalsOverlap(day, weeklyWindowInterval('sun:23:00-mon:00:15'))));
  });
});
