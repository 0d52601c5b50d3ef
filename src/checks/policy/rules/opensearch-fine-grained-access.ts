import { dig, isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'OS_003',
  title: 'OpenSearch domains use fine-grained access control with an IAM master role',
  severity: 'high',
  description:
    'advanced_security_options { enabled = true, anonymous_auth_enabled not true, ' +
    'internal_user_database_enabled not true, master_user_options { master_user_arn set, ' +
    'no master_user_password } }: no password exists, every request is SigV4-signed by a role.',
  resourceTypes: ['aws_opensearch_domain'],
  check: ({ body }) => {
    const options = (key: string) => dig(body, 'advanced_security_options', key);
    const master = (key: string) => dig(body, 'advanced_security_options', 'master_user_options', key);
    return [
      ...(options('enabled').some(isTrue) ? [] : ['advanced_security_options.enabled is not true']),
      ...(options('anonymous_auth_enabled').some(isTrue) ? ['anonymous_auth_enabled is true'] : []),
      ...(options('internal_user_database_enabled').some(isTrue) ? ['internal_user_database_enabled is true: users with passwords'] : []),
      ...(master('master_user_arn').some(isSet) ? [] : ['master_user_options.master_user_arn is not set']),
      ...(master('master_user_password').some(isSet) || master('master_user_name').some(isSet)
        ? ['master_user_options sets a master user name or password']
        : []),
    ];
  },
});
