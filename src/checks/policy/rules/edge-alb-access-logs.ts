import { blocks, isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'EDGE_003',
  title: 'Application load balancers log access and drop invalid headers',
  severity: 'medium',
  description:
    'Every application aws_lb needs access_logs with enabled = true and a bucket (an SSE-S3 bucket whose policy admits ' +
    'the ELB log delivery principal), and drop_invalid_header_fields = true so malformed headers never reach the targets.',
  resourceTypes: ['aws_lb'],
  check: ({ body }) => {
    if (body.load_balancer_type !== undefined && body.load_balancer_type !== 'application') return [];
    const problems: string[] = [];
    if (!blocks(body.access_logs).some((logs) => isTrue(logs.enabled) && isSet(logs.bucket)))
      problems.push('access_logs is not enabled with a bucket');
    if (!isTrue(body.drop_invalid_header_fields)) problems.push('drop_invalid_header_fields is not true');
    return problems;
  },
});
