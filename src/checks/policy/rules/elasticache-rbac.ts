import { isSet, list, referenced } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

/** Whether an access string switches the user off ("off" and no later "on"). */
function disabled(accessString: unknown): boolean {
  const words = typeof accessString === 'string' ? accessString.split(/\s+/) : [];
  return words.lastIndexOf('off') > words.lastIndexOf('on');
}

export default definePolicyRule({
  id: 'EC_003',
  title: 'ElastiCache replication groups authenticate users with RBAC and a disabled default user',
  severity: 'high',
  description:
    'No auth_token (a shared secret in state); user_group_ids names an aws_elasticache_user_group of this stack whose ' +
    'user named "default" is switched off ("off" in its access string), so every client must authenticate as its own user.',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: ({ body, doc }) => {
    const violations: RuleViolation[] = [];
    if (isSet(body.auth_token))
      violations.push('auth_token is set: use RBAC users (IAM or write-only passwords) instead of a shared token');
    const groups = list(body.user_group_ids);
    if (groups.length === 0) return [...violations, 'user_group_ids is empty: the open default user would admit every client'];
    for (const value of groups) {
      const group = referenced(doc, 'aws_elasticache_user_group', value);
      if (!group) {
        violations.push(
          `user group ${String(value)} is not an aws_elasticache_user_group of this stack, so its default user cannot be verified`,
        );
        continue;
      }
      const users = list(group.body.user_ids).map((id) => referenced(doc, 'aws_elasticache_user', id));
      const defaults = users.filter((user) => user?.body.user_name === 'default');
      if (users.some((user) => user === undefined))
        violations.push({
          message: 'user_ids references users outside this stack, so the default user cannot be verified',
          address: `aws_elasticache_user_group.${group.name}`,
        });
      else if (defaults.length === 0 || defaults.some((user) => !disabled(user!.body.access_string))) {
        violations.push({
          message: 'the group\'s "default" user is missing or not switched off ("off" in access_string)',
          address: `aws_elasticache_user_group.${group.name}`,
        });
      }
    }
    return violations;
  },
});
