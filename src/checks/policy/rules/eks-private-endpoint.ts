import { dig, isTrue, list } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

export default definePolicyRule({
  id: 'EKS_001',
  title: 'EKS API endpoints are private, or public only to listed networks',
  severity: 'high',
  description:
    'aws_eks_cluster sets vpc_config.endpoint_private_access = true. A public endpoint (endpoint_public_access = true, ' +
    'which is also the AWS default) needs public_access_cidrs that are set and never include 0.0.0.0/0; ' +
    'otherwise the Kubernetes API is reachable from the whole internet.',
  resourceTypes: ['aws_eks_cluster'],
  check: ({ body }) => {
    const violations: RuleViolation[] = [];
    if (!dig(body, 'vpc_config', 'endpoint_private_access').some(isTrue)) violations.push('vpc_config.endpoint_private_access is not true');
    const publicAccess = dig(body, 'vpc_config', 'endpoint_public_access');
    // AWS enables the public endpoint when the argument is omitted.
    if (publicAccess.length === 0 || publicAccess.some(isTrue)) {
      const cidrs = dig(body, 'vpc_config', 'public_access_cidrs').flatMap((value) => list(value));
      if (cidrs.length === 0)
        violations.push('public endpoint is open to 0.0.0.0/0 (no public_access_cidrs); disable it or list the networks');
      else if (cidrs.includes('0.0.0.0/0')) violations.push('public_access_cidrs includes 0.0.0.0/0');
    }
    return violations;
  },
});
