/**
 * Version changes the service refuses, as its documentation states them. A plan shows them as ordinary updates and
 * only the apply fails, halfway through an environment; `npm run diff` and the guard say so first. `before` and `after`
 * are a resource's arguments (synthesized JSON, or a plan's `before`/`after`); a value that is not a literal (an
 * expression, unknown until apply) is never judged.
 */
import { isObject } from './terraform-json';

interface VersionRule {
  readonly type: string;
  /** The argument that holds the version. */
  readonly argument: string;
  /** Why AWS refuses going from `before` to `after`, if it does. */
  readonly refuses: (
    before: string,
    after: string,
    previous: Readonly<Record<string, unknown>>,
    next: Readonly<Record<string, unknown>>,
  ) => string | undefined;
}

/** `1.36` → [1, 36]; `OpenSearch_2.19` → [2, 19]; undefined for anything else. */
function numbers(version: string, prefix = ''): [number, number] | undefined {
  const match = new RegExp(`^${prefix}(\\d+)\\.(\\d+)`).exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const lower = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

const EKS_ROLLBACK = 'https://docs.aws.amazon.com/eks/latest/userguide/rollback-cluster.html';
const EKS_ONE_MINOR = 'https://docs.aws.amazon.com/eks/latest/eksctl/cluster-upgrade.html';
const ELASTICACHE_MODIFY = 'https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyReplicationGroup.html';
const OPENSEARCH_UPGRADES = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/version-migration.html';
const OPENSEARCH_BRIDGE = [2, 19] as const;

const RULES: readonly VersionRule[] = [
  {
    type: 'aws_eks_cluster',
    argument: 'version',
    refuses: (before, after) => {
      const [from, to] = [numbers(before), numbers(after)];
      if (!from || !to) return undefined;
      // One minor down is a rollback, which EKS does within 7 days of an upgrade: only the apply can know the date.
      if (lower(to, from) && (to[0] !== from[0] || from[1] - to[1] > 1))
        return `EKS rolls a cluster back only to the previous minor version (${before} → ${after}) (${EKS_ROLLBACK})`;
      if (to[0] === from[0] && to[1] - from[1] > 1)
        return (
          `EKS upgrades the control plane one minor version at a time (${before} → ${after}): apply ${from[0]}.${from[1] + 1} ` +
          `first (${EKS_ONE_MINOR})`
        );
      return undefined;
    },
  },
  {
    type: 'aws_elasticache_replication_group',
    argument: 'engine_version',
    refuses: (before, after, previous, next) => {
      const [from, to] = [numbers(before), numbers(after)];
      if (!from || !to || previous.engine !== next.engine || !lower(to, from)) return undefined;
      return (
        `ElastiCache cannot downgrade an engine version (${before} → ${after}): the group would have to be deleted and ` +
        `created anew (${ELASTICACHE_MODIFY})`
      );
    },
  },
  {
    type: 'aws_opensearch_domain',
    argument: 'engine_version',
    refuses: (before, after) => {
      const [from, to] = [numbers(before, 'OpenSearch_'), numbers(after, 'OpenSearch_')];
      if (!from || !to) return undefined;
      if (lower(to, from)) return `an OpenSearch upgrade is irreversible: no downgrade (${before} → ${after}) (${OPENSEARCH_UPGRADES})`;
      if (from[0] < 3 && to[0] >= 3 && lower(from, [...OPENSEARCH_BRIDGE]))
        return (
          `from OpenSearch 1.3 or 2.x a domain upgrades to ${OPENSEARCH_BRIDGE.join('.')} before 3.x (${before} → ${after}): ` +
          `apply OpenSearch_${OPENSEARCH_BRIDGE.join('.')} first (${OPENSEARCH_UPGRADES})`
        );
      return undefined;
    },
  },
];

/** Why AWS refuses to change a resource of `type` from `before` to `after` in place, if it does. */
export function refusedVersionChanges(type: string, before: unknown, after: unknown): string[] {
  if (!isObject(before) || !isObject(after)) return [];
  return RULES.filter((rule) => rule.type === type).flatMap((rule) => {
    const [from, to] = [before[rule.argument], after[rule.argument]];
    if (typeof from !== 'string' || typeof to !== 'string' || from === to || from.includes('${') || to.includes('${')) return [];
    const reason = rule.refuses(from, to, before, after);
    return reason ? [reason] : [];
  });
}
