import { dig, isSet, list } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'EKS_002',
  title: 'EKS clusters envelope-encrypt Secrets with a customer-managed KMS key',
  severity: 'high',
  description:
    'aws_eks_cluster has an encryption_config whose resources include "secrets" and whose provider.key_arn names a KMS key, ' +
    'so Kubernetes Secrets are encrypted with a key whose policy and rotation we control.',
  resourceTypes: ['aws_eks_cluster'],
  check: ({ body }) => {
    const resources = dig(body, 'encryption_config', 'resources').flatMap((value) => list(value));
    if (!resources.includes('secrets')) return ['encryption_config does not cover "secrets"'];
    return dig(body, 'encryption_config', 'provider', 'key_arn').some(isSet) ? [] : ['encryption_config.provider.key_arn is not set'];
  },
});
