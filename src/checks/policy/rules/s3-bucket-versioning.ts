import { dig, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { bucketCompanions } from '../s3';

export default definePolicyRule({
  id: 'S3_002',
  title: 'S3 buckets have versioning enabled',
  severity: 'medium',
  description:
    'Every aws_s3_bucket needs an aws_s3_bucket_versioning with versioning_configuration.status = "Enabled", ' +
    'so overwritten or deleted objects (Terraform state among them) can be recovered.',
  resourceTypes: ['aws_s3_bucket'],
  check: ({ doc, resource, body }) => {
    const versionings = bucketCompanions(doc, resource, 'aws_s3_bucket_versioning');
    if (dig(body, 'versioning', 'enabled').some(isTrue)) return [];
    if (versionings.length === 0) return ['no aws_s3_bucket_versioning for this bucket'];
    if (versionings.some((v) => dig(v.body, 'versioning_configuration', 'status').includes('Enabled'))) return [];
    return versionings.map((v) => ({
      message:
        `${v.address} does not set versioning_configuration.status = "Enabled" (found ` +
        `${JSON.stringify(dig(v.body, 'versioning_configuration', 'status')[0] ?? null)})`,
      path: v.path,
    }));
  },
});
