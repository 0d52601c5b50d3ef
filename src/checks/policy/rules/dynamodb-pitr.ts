import { dig, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'DDB_001',
  title: 'DynamoDB tables have point-in-time recovery',
  severity: 'medium',
  description:
    'Every aws_dynamodb_table sets point_in_time_recovery { enabled = true }, ' +
    'so the table can be restored to any second of the recovery window.',
  resourceTypes: ['aws_dynamodb_table'],
  check: ({ body }) => (dig(body, 'point_in_time_recovery', 'enabled').some(isTrue) ? [] : ['point_in_time_recovery.enabled is not true']),
});
