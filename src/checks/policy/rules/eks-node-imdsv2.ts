import { blocks, isExpression } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

export default definePolicyRule({
  id: 'EKS_004',
  title: 'Launch templates require IMDSv2 with a hop limit that keeps pods away from instance credentials',
  severity: 'high',
  description:
    'aws_launch_template sets metadata_options.http_tokens = "required" (IMDSv2 only) and http_put_response_hop_limit to 1 or 2. Without the block, instances accept IMDSv1, which SSRF bugs in any pod can use to read the node role\'s credentials.',
  resourceTypes: ['aws_launch_template'],
  check: ({ body }) => {
    const [options] = blocks(body.metadata_options);
    if (!options) return ['metadata_options is not set: IMDSv1 is allowed'];
    const violations: RuleViolation[] = [];
    if (options.http_tokens !== 'required') violations.push(`metadata_options.http_tokens is ${JSON.stringify(options.http_tokens ?? null)}, not "required"`);
    if (options.http_endpoint === 'disabled') return violations;
    const hops = options.http_put_response_hop_limit;
    if (!isExpression(hops) && !(hops === 1 || hops === 2)) violations.push(`metadata_options.http_put_response_hop_limit is ${JSON.stringify(hops ?? null)}; use 1 (or 2 where pods must read metadata)`);
    return violations;
  },
});
