import { blocks, isSet, isTrue } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

export default definePolicyRule({
  id: 'EKS_005',
  title: 'Node volumes are encrypted with a customer-managed KMS key',
  severity: 'high',
  description:
    'Every EBS block device of an aws_launch_template sets encrypted = true and a kms_key_id, and every aws_eks_node_group uses a launch template (without one, its volumes follow whatever the account default encryption is).',
  resourceTypes: ['aws_launch_template', 'aws_eks_node_group'],
  check: ({ type, body, resource }) => {
    if (type === 'aws_eks_node_group') return blocks(body.launch_template).length > 0 ? [] : ['uses no launch template, so its volumes are not known to be encrypted'];
    const violations: RuleViolation[] = [];
    blocks(body.block_device_mappings).forEach((mapping, index) => {
      const [ebs] = blocks(mapping.ebs);
      if (!ebs) return;
      const path = `${resource.path}.block_device_mappings[${index}]`;
      if (!isTrue(ebs.encrypted)) violations.push({ message: `volume ${String(mapping.device_name)} is not encrypted`, path });
      else if (!isSet(ebs.kms_key_id)) violations.push({ message: `volume ${String(mapping.device_name)} uses the AWS-managed key; set kms_key_id`, path });
    });
    return violations;
  },
});
