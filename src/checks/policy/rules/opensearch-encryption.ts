import { dig, isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'OS_001',
  title: 'OpenSearch domains encrypt data at rest with a customer-managed key and between nodes',
  severity: 'high',
  description: 'encrypt_at_rest { enabled = true, kms_key_id set } and node_to_node_encryption { enabled = true }.',
  resourceTypes: ['aws_opensearch_domain'],
  check: ({ body }) => [
    ...(dig(body, 'encrypt_at_rest', 'enabled').some(isTrue) ? [] : ['encrypt_at_rest.enabled is not true']),
    ...(dig(body, 'encrypt_at_rest', 'kms_key_id').some(isSet)
      ? []
      : ['encrypt_at_rest.kms_key_id is not set: data would use the AWS-managed key']),
    ...(dig(body, 'node_to_node_encryption', 'enabled').some(isTrue) ? [] : ['node_to_node_encryption.enabled is not true']),
  ],
});
