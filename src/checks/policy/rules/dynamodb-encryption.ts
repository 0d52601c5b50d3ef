import { blocks, isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'DDB_002',
  title: 'DynamoDB tables encrypt with a customer managed KMS key',
  severity: 'high',
  description:
    'Every aws_dynamodb_table sets server_side_encryption { enabled = true, kms_key_arn = <customer managed key> }. ' +
    'Without kms_key_arn DynamoDB uses an AWS owned or managed key whose use cannot be restricted by key policy.',
  resourceTypes: ['aws_dynamodb_table'],
  check: ({ body, resource }) => {
    const sse = blocks(body.server_side_encryption);
    if (sse.length === 0) return ['server_side_encryption is not configured (the AWS owned key is used)'];
    const path = `${resource.path}.server_side_encryption`;
    if (!sse.some((s) => isTrue(s.enabled))) return [{ message: 'server_side_encryption.enabled is not true', path }];
    if (!sse.some((s) => isTrue(s.enabled) && isSet(s.kms_key_arn)))
      return [{ message: 'server_side_encryption.kms_key_arn is not set (the AWS managed aws/dynamodb key is used)', path }];
    return [];
  },
});
