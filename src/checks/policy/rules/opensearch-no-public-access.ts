import { dig, isSet, resolvePolicyDocument } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

export default definePolicyRule({
  id: 'OS_004',
  title: 'OpenSearch domains are reachable only inside the VPC and only by named principals',
  severity: 'critical',
  description:
    'vpc_options with subnet_ids (no public endpoint), ' +
    'and an access_policies document that allows no anonymous principal ("*") and can be read statically.',
  resourceTypes: ['aws_opensearch_domain'],
  check: ({ body, doc }) => {
    const violations: RuleViolation[] = [];
    if (!dig(body, 'vpc_options', 'subnet_ids').some(isSet))
      violations.push('vpc_options.subnet_ids is not set: the domain would have a public endpoint');
    const statements = resolvePolicyDocument(doc, body.access_policies);
    if (!statements) violations.push('access_policies is missing or cannot be read statically');
    else if (statements.some((s) => s.effect === 'Allow' && s.principals.some((p) => p.identifiers.includes('*'))))
      violations.push('access_policies allows the anonymous principal "*"');
    return violations;
  },
});
