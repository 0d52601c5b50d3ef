import { isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'RDS_001',
  title: 'RDS instances encrypt storage and Performance Insights with a customer-managed key',
  severity: 'high',
  description:
    'storage_encrypted = true with kms_key_id set (not the AWS-managed aws/rds key), ' +
    'and performance_insights_kms_key_id set when Performance Insights is on.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body }) => [
    ...(isTrue(body.storage_encrypted) ? [] : ['storage_encrypted is not true']),
    ...(isSet(body.kms_key_id) ? [] : ['kms_key_id is not set: storage would use the AWS-managed key']),
    ...(isTrue(body.performance_insights_enabled) && !isSet(body.performance_insights_kms_key_id)
      ? ['performance_insights_kms_key_id is not set']
      : []),
  ],
});
