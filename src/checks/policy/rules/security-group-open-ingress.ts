import { blocks, list } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

const ANYWHERE_V4 = '0.0.0.0/0';
const ANYWHERE_V6 = '::/0';

function ports(rule: Record<string, unknown>): string {
  const protocol = rule.protocol ?? rule.ip_protocol;
  if (protocol === '-1' || protocol === 'all') return 'all ports';
  const from = rule.from_port;
  const to = rule.to_port;
  return from === to ? `port ${String(from)}/${String(protocol)}` : `ports ${String(from)}-${String(to)}/${String(protocol)}`;
}

function openCidrs(v4: unknown, v6: unknown): string[] {
  return [...list(v4).filter((c) => c === ANYWHERE_V4), ...list(v6).filter((c) => c === ANYWHERE_V6)] as string[];
}

export default definePolicyRule({
  id: 'SG_001',
  title: 'Security groups allow no ingress from the whole internet',
  severity: 'critical',
  description:
    'No ingress from 0.0.0.0/0 or ::/0, whether as an inline ingress block of aws_security_group, ' +
    'an aws_security_group_rule of type ingress, or an aws_vpc_security_group_ingress_rule. ' +
    'Internet-facing entry points use CloudFront / prefix lists; a reviewed exception goes in policy/suppressions.json.',
  resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
  check: ({ type, body, resource }) => {
    const violations: RuleViolation[] = [];
    if (type === 'aws_security_group') {
      blocks(body.ingress).forEach((rule, index) => {
        const open = openCidrs(rule.cidr_blocks, rule.ipv6_cidr_blocks);
        if (open.length > 0)
          violations.push({
            message: `ingress allows ${open.join(' and ')} on ${ports(rule)}`,
            path: `${resource.path}.ingress[${index}]`,
          });
      });
    } else if (type === 'aws_security_group_rule') {
      const open = openCidrs(body.cidr_blocks, body.ipv6_cidr_blocks);
      if (body.type === 'ingress' && open.length > 0) violations.push(`ingress rule allows ${open.join(' and ')} on ${ports(body)}`);
    } else {
      const open = openCidrs(body.cidr_ipv4, body.cidr_ipv6);
      if (open.length > 0) violations.push(`ingress rule allows ${open.join(' and ')} on ${ports(body)}`);
    }
    return violations;
  },
});
