// Relations between an aws_s3_bucket and its companion resources (provider v4+ split bucket settings
// into separate resources that point back with `bucket = "${aws_s3_bucket.x.id}"` or the literal name).
import {
  blocks,
  findReferencing,
  isExpression,
  references,
  resourcesOfType,
  type PolicyStatement,
  type ResourceEntry,
  type TerraformJson,
} from '../terraform-json';

/** Companion resources of `type` configuring `bucket` (by reference or by the bucket's literal name). */
export function bucketCompanions(doc: TerraformJson, bucket: ResourceEntry, type: string): ResourceEntry[] {
  return findReferencing(doc, type, 'bucket', bucket.address, bucket.body.bucket);
}

/**
 * True when `bucket` receives S3 server access logs from a bucket of the same stack: the target of an
 * `aws_s3_bucket_logging` (or a legacy inline `logging` block). Such a bucket is exempt from access
 * logging (logging it to itself loops, logging it elsewhere only moves the problem) and must use SSE-S3,
 * because S3 server access logging cannot deliver to SSE-KMS target buckets.
 * A log target in another stack is not visible here: suppress S3_005 for it with a reason.
 */
export function isAccessLogTarget(doc: TerraformJson, bucket: ResourceEntry): boolean {
  const name = bucket.body.bucket;
  const points = (target: unknown) =>
    references(target, bucket.address) || (typeof name === 'string' && name !== '' && !isExpression(name) && target === name);
  if (resourcesOfType(doc, 'aws_s3_bucket_logging').some((logging) => points(logging.body.target_bucket))) return true;
  return resourcesOfType(doc, 'aws_s3_bucket').some((other) => blocks(other.body.logging).some((logging) => points(logging.target_bucket)));
}

/** Deny of every S3 action, to everyone, on the bucket and its objects, when aws:SecureTransport is false. */
export function deniesInsecureTransport(statement: PolicyStatement): boolean {
  if (statement.effect !== 'Deny') return false;
  if (!statement.actions.some((action) => action === 's3:*' || action === '*')) return false;
  const everyone = statement.principals.some((p) => (p.type === '*' || p.type === 'AWS') && p.identifiers.includes('*'));
  if (!everyone) return false;
  const insecure = statement.conditions.some(
    (c) =>
      (c.test === 'Bool' || c.test === 'BoolIfExists') && c.variable.toLowerCase() === 'aws:securetransport' && c.values.includes('false'),
  );
  if (!insecure) return false;
  const all = statement.resources.includes('*');
  const objects = all || statement.resources.some((r) => r.endsWith('/*'));
  const bucket = all || statement.resources.some((r) => !r.endsWith('/*'));
  return objects && bucket;
}
