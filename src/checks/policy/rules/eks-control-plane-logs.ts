import { list } from '../../terraform-json';
import { definePolicyRule } from '../rule';

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export default definePolicyRule({
  id: 'EKS_003',
  title: 'EKS clusters send every control-plane log type to CloudWatch Logs',
  severity: 'medium',
  description:
    `aws_eks_cluster.enabled_cluster_log_types lists all of ${LOG_TYPES.join(', ')}; ` +
    'the audit and authenticator logs are what an investigation of cluster access needs.',
  resourceTypes: ['aws_eks_cluster'],
  check: ({ body }) => {
    const enabled = list(body.enabled_cluster_log_types);
    const missing = LOG_TYPES.filter((type) => !enabled.includes(type));
    return missing.length === 0 ? [] : [`enabled_cluster_log_types lacks ${missing.join(', ')}`];
  },
});
