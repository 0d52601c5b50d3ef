import { isExpression, list } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'PROVIDER_001',
  title: 'AWS providers pin the accounts they may touch',
  severity: 'high',
  description:
    'Every aws provider configuration (each alias too) sets allowed_account_ids, ' +
    'so credentials for the wrong account make Terraform fail before it changes anything.',
  scope: 'provider',
  check: ({ provider, config }) => {
    if (provider !== 'aws') return [];
    const ids = config.allowed_account_ids;
    return isExpression(ids) || list(ids).length > 0 ? [] : ['allowed_account_ids is not set'];
  },
});
