import { blocks, findReferencing, references, resourcesOfType, type ResourceEntry } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

const RULE_RESOURCES = ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

export default definePolicyRule({
  id: 'VPC_002',
  title: 'Default security groups allow no traffic',
  severity: 'medium',
  description:
    'Every aws_vpc has an aws_default_security_group (vpc_id pointing at it) with no ingress and no egress rules, ' +
    'and no separate rule resource attaches to it. Unmanaged, AWS creates the default group allowing ' +
    'all egress and all traffic between its members, and anything launched without a group lands in it.',
  resourceTypes: ['aws_vpc'],
  check: ({ doc, resource }) => {
    const defaults = findReferencing(doc, 'aws_default_security_group', 'vpc_id', resource.address);
    if (defaults.length === 0)
      return ["no aws_default_security_group manages this VPC's default security group, so AWS's allow-all-egress default remains"];
    const violations: RuleViolation[] = [];
    for (const group of defaults) {
      for (const direction of ['ingress', 'egress'] as const) {
        if (blocks(group.body[direction]).length > 0)
          violations.push({
            message: `${group.address} has ${direction} rules; the default security group must have none`,
            path: `${group.path}.${direction}`,
          });
      }
    }
    const attached = (rule: ResourceEntry) =>
      references(rule.body.security_group_id, `${resource.address}.default_security_group_id`) ||
      defaults.some((group) => references(rule.body.security_group_id, group.address));
    for (const rule of RULE_RESOURCES.flatMap((type) => resourcesOfType(doc, type)).filter(attached)) {
      violations.push({ message: `${rule.address} adds a rule to the default security group of this VPC`, path: rule.path });
    }
    return violations;
  },
});
