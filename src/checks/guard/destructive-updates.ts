/**
 * In-place updates that destroy protection rather than a resource: each one is blocked like a
 * deletion unless an allow entry approves it (guard-allow.json). They read the planned change's
 * `before` and `after` values (Terraform's JSON plan: `resource_changes[].change`); a value unknown
 * until apply is absent from `after` and never matches. Turning off `prevent_destroy` cannot be seen
 * here: the plan's configuration representation has no lifecycle settings (Terraform's
 * internal/command/jsonconfig/config.go), so the policy rules require prevent_destroy in production
 * (PROTECT_001, RDS_004 and the other data-store rules), and dropping it takes a CODEOWNERS-reviewed suppression.
 */

import { isObject } from '../terraform-json';
import { DELETION_PROTECTION_ARGUMENTS } from './protected';

type Values = Readonly<Record<string, unknown>>;

interface DestructiveUpdate {
  readonly type: string;
  readonly reason: string;
  readonly matches: (before: Values, after: Values) => boolean;
}

const turnedOff = (key: string) => (before: Values, after: Values) => before[key] === true && after[key] === false;
const droppedToZero = (key: string) => (before: Values, after: Values) =>
  typeof before[key] === 'number' && (before[key] as number) > 0 && after[key] === 0;
const firstBlock = (value: unknown): Values => (Array.isArray(value) ? ((value[0] ?? {}) as Values) : ((value ?? {}) as Values));

/** An Allow for everyone (`*`) without any condition: readable or writable by the internet. */
function hasPublicAllow(policy: unknown): boolean {
  if (typeof policy !== 'string') return false;
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as Values[];
  return statements.some(
    (s) => s?.Effect === 'Allow' && (s.Principal === '*' || (s.Principal as Values | undefined)?.AWS === '*') && s.Condition === undefined,
  );
}

const DESTRUCTIVE_UPDATES: readonly DestructiveUpdate[] = [
  ...Object.entries(DELETION_PROTECTION_ARGUMENTS).map(([type, argument]) => ({
    type,
    reason: 'turns off deletion protection',
    matches: turnedOff(argument),
  })),
  {
    type: 'aws_s3_bucket_versioning',
    reason: 'suspends versioning: later overwrites and deletions lose the previous version',
    matches: (before, after) =>
      firstBlock(before.versioning_configuration).status === 'Enabled' &&
      firstBlock(after.versioning_configuration).status !== undefined &&
      firstBlock(after.versioning_configuration).status !== 'Enabled',
  },
  {
    type: 'aws_db_instance',
    reason: 'sets backup retention to 0: deletes the automated backups and point-in-time recovery',
    matches: droppedToZero('backup_retention_period'),
  },
  {
    type: 'aws_dynamodb_table',
    reason: 'turns off point-in-time recovery',
    matches: (before, after) =>
      firstBlock(before.point_in_time_recovery).enabled === true && firstBlock(after.point_in_time_recovery).enabled === false,
  },
  {
    type: 'aws_elasticache_replication_group',
    reason: 'sets snapshot retention to 0: no more snapshots',
    matches: droppedToZero('snapshot_retention_limit'),
  },
  {
    type: 'aws_s3_bucket_public_access_block',
    reason: 'turns off a public access block setting',
    matches: (before, after) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].some((key) =>
        turnedOff(key)(before, after),
      ),
  },
  {
    type: 'aws_s3_bucket_policy',
    reason: 'makes the bucket policy public (an Allow for "*" without conditions)',
    matches: (before, after) => !hasPublicAllow(before.policy) && hasPublicAllow(after.policy),
  },
  {
    type: 'aws_kms_key',
    reason: 'replaces the key policy',
    matches: (before, after) =>
      typeof before.policy === 'string' && typeof after.policy === 'string' && normalized(before.policy) !== normalized(after.policy),
  },
  { type: 'aws_kms_key', reason: 'turns off key rotation', matches: turnedOff('enable_key_rotation') },
  // What audits the platform: a trail that stops logging, stops validating its files or leaves regions
  // unrecorded is as good as deleted for the time it is off.
  { type: 'aws_cloudtrail', reason: 'stops the trail logging', matches: turnedOff('enable_logging') },
  { type: 'aws_cloudtrail', reason: 'turns off log file validation', matches: turnedOff('enable_log_file_validation') },
  { type: 'aws_cloudtrail', reason: 'stops recording the other regions', matches: turnedOff('is_multi_region_trail') },
  {
    type: 'aws_backup_vault_lock_configuration',
    reason: 'weakens the vault lock (shorter minimum retention, or no lock date)',
    matches: (before, after) =>
      (typeof before.min_retention_days === 'number' &&
        typeof after.min_retention_days === 'number' &&
        after.min_retention_days < before.min_retention_days) ||
      (typeof before.changeable_for_days === 'number' &&
        (after.changeable_for_days === null || after.changeable_for_days === undefined) &&
        'changeable_for_days' in after),
  },
];

/** Why an in-place update of `type` from `before` to `after` needs approval, if it does. */
export function destructiveUpdateReasons(type: string, before: unknown, after: unknown): string[] {
  if (!isObject(before) || !isObject(after)) return [];
  return DESTRUCTIVE_UPDATES.filter((rule) => rule.type === type && rule.matches(before, after)).map((rule) => rule.reason);
}

/** Key order and whitespace do not change a policy. */
function normalized(policy: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(policy)));
  } catch {
    return policy;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key])]),
    );
  return value;
}
