import { definePolicyRule } from '../rule';
import { preventsDestroy, tierOf } from './_data-stores';

/**
 * The guard blocks plans that destroy or weaken protected resources, but it cannot see a removed
 * `prevent_destroy`: Terraform's plan JSON carries no lifecycle settings. So production's buckets, keys,
 * tables and vaults must keep it in the synthesized JSON; dropping it needs a reasoned suppression in
 * policy/suppressions.json, which CODEOWNERS sends to the platform owners like guard-allow.json.
 * (Databases, caches and search domains: RDS_004, ELASTICACHE_*, OPENSEARCH_*.)
 */
export default definePolicyRule({
  id: 'PROTECT_001',
  title: 'Production buckets, keys, tables and backup vaults refuse a plan that destroys them',
  severity: 'high',
  description:
    'lifecycle { prevent_destroy = true } on every S3 bucket, KMS key, DynamoDB table, backup vault and vault lock of a ' +
    'production stack: what they hold cannot be recreated by applying again.',
  resourceTypes: ['aws_s3_bucket', 'aws_kms_key', 'aws_dynamodb_table', 'aws_backup_vault', 'aws_backup_vault_lock_configuration'],
  check: ({ body, doc }) =>
    tierOf(body, doc) === 'production' && !preventsDestroy(body) ? ['lifecycle.prevent_destroy is not true in production'] : [],
});
