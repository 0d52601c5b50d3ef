import { blocks, isTrue } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

export default definePolicyRule({
  id: 'EKS_004',
  title: 'Clusters run on EKS Auto Mode: managed compute, load balancing and block storage, no node groups',
  severity: 'medium',
  description:
    'Every aws_eks_cluster enables compute_config, kubernetes_network_config.elastic_load_balancing and storage_config.block_storage ' +
    '(AWS then patches, replaces and scales the nodes and runs the CNI, DNS, load balancer controller and EBS CSI driver), and no ' +
    'aws_eks_node_group or aws_launch_template for nodes exists beside it: https://docs.aws.amazon.com/eks/latest/userguide/automode.html',
  resourceTypes: ['aws_eks_cluster', 'aws_eks_node_group'],
  check: ({ type, body }) => {
    if (type === 'aws_eks_node_group') return ['is a managed node group; nodes come from Auto Mode NodePools'];
    const violations: RuleViolation[] = [];
    const [compute] = blocks(body.compute_config);
    if (!compute || !isTrue(compute.enabled)) violations.push('compute_config.enabled is not true');
    const [network] = blocks(body.kubernetes_network_config);
    const [balancing] = blocks(network?.elastic_load_balancing);
    if (!balancing || !isTrue(balancing.enabled)) violations.push('kubernetes_network_config.elastic_load_balancing.enabled is not true');
    const [storage] = blocks(body.storage_config);
    const [block] = blocks(storage?.block_storage);
    if (!block || !isTrue(block.enabled)) violations.push('storage_config.block_storage.enabled is not true');
    return violations;
  },
});
