import { dig, isExpression, isObject, isSet } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { bucketCompanions, isAccessLogTarget } from '../s3';

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

export default definePolicyRule({
  id: 'S3_001',
  title: 'S3 buckets use SSE-KMS with a customer managed key',
  severity: 'high',
  description:
    'Every aws_s3_bucket needs an aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms (or aws:kms:dsse) ' +
    'and kms_master_key_id, so access to the data also requires the key policy. A bucket that receives S3 server ' +
    'access logs from this stack must use AES256 instead: S3 cannot deliver access logs to SSE-KMS buckets.',
  resourceTypes: ['aws_s3_bucket'],
  check: ({ doc, resource, body }) => {
    const logTarget = isAccessLogTarget(doc, resource);
    const sources = [
      ...bucketCompanions(doc, resource, 'aws_s3_bucket_server_side_encryption_configuration').map((c) => ({
        body: c.body,
        path: c.path,
        address: c.address,
      })),
      ...(body.server_side_encryption_configuration
        ? [{ body, path: `${resource.path}.server_side_encryption_configuration`, address: resource.address }]
        : []),
    ];
    const defaults = sources.flatMap((source) =>
      dig(
        source.body,
        ...(source.body === body ? ['server_side_encryption_configuration'] : []),
        'rule',
        'apply_server_side_encryption_by_default',
      )
        .filter(isObject)
        .map((settings) => ({ settings, path: source.path, address: source.address })),
    );
    if (defaults.length === 0) return ['no aws_s3_bucket_server_side_encryption_configuration sets a default encryption for this bucket'];
    return defaults.flatMap(({ settings, path, address }) => {
      const algorithm = settings.sse_algorithm;
      if (isExpression(algorithm) || typeof algorithm !== 'string') {
        return [{ message: `sse_algorithm in ${address} is not a literal and cannot be verified`, path }];
      }
      if (logTarget) {
        return algorithm === 'AES256'
          ? []
          : [
              {
                message:
                  'this bucket receives S3 server access logs, ' +
                  `which S3 can only deliver to SSE-S3 (AES256) buckets; sse_algorithm is ${algorithm}`,
                path,
              },
            ];
      }
      if (!KMS_ALGORITHMS.has(algorithm))
        return [{ message: `sse_algorithm is ${algorithm}; use aws:kms with a customer managed key`, path }];
      if (!isSet(settings.kms_master_key_id)) {
        return [
          {
            message: 'kms_master_key_id is not set, so the AWS managed aws/s3 key is used and access cannot be scoped by key policy',
            path,
          },
        ];
      }
      return [];
    });
  },
});
