import { blocks, isSet } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { bucketCompanions, isAccessLogTarget } from '../s3';

export default definePolicyRule({
  id: 'S3_005',
  title: 'S3 buckets log access',
  severity: 'medium',
  description:
    'Every aws_s3_bucket needs an aws_s3_bucket_logging delivering server access logs to a log bucket. ' +
    'A bucket that is itself the target_bucket of an aws_s3_bucket_logging in the same stack is exempt; ' +
    'a log bucket whose sources live in another stack is exempted with a reasoned suppression in policy/suppressions.json.',
  resourceTypes: ['aws_s3_bucket'],
  check: ({ doc, resource, body }) => {
    if (isAccessLogTarget(doc, resource)) return [];
    const logging = bucketCompanions(doc, resource, 'aws_s3_bucket_logging');
    if (logging.some((l) => isSet(l.body.target_bucket))) return [];
    if (blocks(body.logging).some((l) => isSet(l.target_bucket))) return [];
    return ['no aws_s3_bucket_logging for this bucket, and it is not the access log target of another bucket of this stack'];
  },
});
