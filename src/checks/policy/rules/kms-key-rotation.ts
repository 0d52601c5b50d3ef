import { isExpression, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'KMS_001',
  title: 'KMS keys rotate their key material',
  severity: 'medium',
  description:
    'Every symmetric aws_kms_key sets enable_key_rotation = true. Asymmetric and HMAC keys ' +
    '(customer_master_key_spec other than SYMMETRIC_DEFAULT) cannot rotate automatically and are skipped.',
  resourceTypes: ['aws_kms_key'],
  check: ({ body }) => {
    const spec = body.customer_master_key_spec;
    if (typeof spec === 'string' && !isExpression(spec) && spec !== 'SYMMETRIC_DEFAULT') return [];
    return isTrue(body.enable_key_rotation) ? [] : ['enable_key_rotation is not true'];
  },
});
