import { isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { bucketCompanions } from '../s3';

const SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export default definePolicyRule({
  id: 'S3_003',
  title: 'S3 buckets block all public access',
  severity: 'critical',
  description:
    'Every aws_s3_bucket needs an aws_s3_bucket_public_access_block with block_public_acls, ' +
    'block_public_policy, ignore_public_acls and restrict_public_buckets all true. ' +
    'Public content is served through CloudFront with origin access control, never from the bucket.',
  resourceTypes: ['aws_s3_bucket'],
  check: ({ doc, resource }) => {
    const blocks = bucketCompanions(doc, resource, 'aws_s3_bucket_public_access_block');
    if (blocks.length === 0) return ['no aws_s3_bucket_public_access_block for this bucket'];
    if (blocks.some((b) => SETTINGS.every((setting) => isTrue(b.body[setting])))) return [];
    return blocks.map((b) => ({
      message: `${b.address} does not set ${SETTINGS.filter((setting) => !isTrue(b.body[setting])).join(', ')} to true`,
      path: b.path,
    }));
  },
});
