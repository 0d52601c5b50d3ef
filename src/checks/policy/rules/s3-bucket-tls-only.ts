import { resolvePolicyDocument } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { bucketCompanions, deniesInsecureTransport } from '../s3';

export default definePolicyRule({
  id: 'S3_004',
  title: 'S3 bucket policies deny requests without TLS',
  severity: 'high',
  description:
    'Every aws_s3_bucket needs an aws_s3_bucket_policy with a statement denying s3:* to every principal on the bucket and ' +
    'bucket/* when aws:SecureTransport is false. The policy may be a JSON string or a data.aws_iam_policy_document reference.',
  resourceTypes: ['aws_s3_bucket'],
  check: ({ doc, resource, body }) => {
    const policies = [
      ...bucketCompanions(doc, resource, 'aws_s3_bucket_policy').map((p) => ({
        value: p.body.policy,
        address: p.address,
        path: `${p.path}.policy`,
      })),
      ...(body.policy !== undefined && body.policy !== null
        ? [{ value: body.policy, address: resource.address, path: `${resource.path}.policy` }]
        : []),
    ];
    if (policies.length === 0) return ['no aws_s3_bucket_policy for this bucket, so requests over plain HTTP are not denied'];
    const unresolved: { message: string; path: string }[] = [];
    for (const policy of policies) {
      const statements = resolvePolicyDocument(doc, policy.value);
      if (statements === undefined) {
        unresolved.push({
          message: `the policy of ${policy.address} cannot be read statically (use a JSON string or data.aws_iam_policy_document)`,
          path: policy.path,
        });
      } else if (statements.some(deniesInsecureTransport)) {
        return [];
      }
    }
    if (unresolved.length > 0) return unresolved;
    return [
      {
        message: 'the bucket policy has no Deny of s3:* for aws:SecureTransport = false on the bucket and its objects',
        path: policies[0]!.path,
      },
    ];
  },
});
