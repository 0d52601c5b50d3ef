import { isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'EC_001',
  title: 'ElastiCache replication groups encrypt data at rest with a customer-managed key and require TLS',
  severity: 'high',
  description:
    'at_rest_encryption_enabled = true with kms_key_id set, transit_encryption_enabled = true and ' +
    'transit_encryption_mode "required" (not "preferred", which still admits plain connections).',
  resourceTypes: ['aws_elasticache_replication_group'],
  check: ({ body }) => [
    ...(isTrue(body.at_rest_encryption_enabled) ? [] : ['at_rest_encryption_enabled is not true']),
    ...(isSet(body.kms_key_id) ? [] : ['kms_key_id is not set: data at rest would use the AWS-owned key']),
    ...(isTrue(body.transit_encryption_enabled) ? [] : ['transit_encryption_enabled is not true']),
    ...(isTrue(body.transit_encryption_enabled) && body.transit_encryption_mode !== 'required'
      ? [`transit_encryption_mode is ${JSON.stringify(body.transit_encryption_mode ?? null)}, not "required"`]
      : []),
  ],
});
