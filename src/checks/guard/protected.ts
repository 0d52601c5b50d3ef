/**
 * Resource types whose deletion or replacement loses data, keys or audit history that cannot be
 * recreated by running Terraform again. This is the only list the guard consults: add a type here
 * (with the reason) to protect it everywhere.
 */
export const PROTECTED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: 'RDS instance: the database and its automated backups',
  aws_rds_cluster: 'RDS/Aurora cluster: the database and its automated backups',
  aws_elasticache_replication_group: 'ElastiCache replication group: cached sessions, feeds and counters',
  aws_opensearch_domain: 'OpenSearch domain: the search indexes',
  aws_s3_bucket: 'S3 bucket: stored objects (media, state, logs)',
  aws_kms_key: 'KMS key: everything encrypted with it becomes unreadable once the key is gone',
  aws_dynamodb_table: 'DynamoDB table: its items (including Terraform lock tables)',
  aws_eks_cluster: 'EKS cluster: every workload running on it',
  aws_secretsmanager_secret: 'Secrets Manager secret: credentials that services read at start-up',
  aws_cloudwatch_log_group: 'CloudWatch log group: retained logs and audit history',
  aws_codeconnections_connection:
    'CodeConnections connection: a new one stays PENDING, and the CI runner down, until someone repeats the console handshake',
  aws_backup_vault: 'AWS Backup vault: the recovery points of every store',
  aws_backup_vault_lock_configuration: 'AWS Backup Vault Lock: what keeps recovery points from being deleted early',
  aws_backup_plan: 'AWS Backup plan: no new recovery points or copies without it',
  aws_backup_selection: 'AWS Backup selection: which stores the plan backs up',
  aws_s3_bucket_versioning: 'S3 versioning: destroying it suspends versioning, so old versions stop being kept',
  aws_s3_bucket_replication_configuration: 'S3 replication: the copy of the state in the recovery region',
  aws_kms_key_policy: 'KMS key policy: who administers and uses the key',
  aws_ecr_repository: 'ECR repository: the released images it holds',
  aws_cloudtrail: 'CloudTrail trail: without it no API call of the account is recorded, and the out-of-band change alert goes quiet',
};

/**
 * The argument by which AWS itself refuses to delete a resource of the type while it is `true`. The guard blocks turning
 * it off (destructive-updates.ts); a teardown turns it off first (src/delivery/teardown.ts).
 */
export const DELETION_PROTECTION_ARGUMENTS: Readonly<Record<string, string>> = {
  aws_db_instance: 'deletion_protection',
  aws_rds_cluster: 'deletion_protection',
  aws_eks_cluster: 'deletion_protection',
  aws_lb: 'enable_deletion_protection',
  aws_dynamodb_table: 'deletion_protection_enabled',
};

export function protectionReason(resourceType: string): string | undefined {
  return Object.hasOwn(PROTECTED_RESOURCE_TYPES, resourceType) ? PROTECTED_RESOURCE_TYPES[resourceType] : undefined;
}
