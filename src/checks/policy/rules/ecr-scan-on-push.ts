import { dig, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'ECR_002',
  title: 'ECR repositories scan images on push and encrypt them with a customer-managed key',
  severity: 'medium',
  description:
    'aws_ecr_repository sets image_scanning_configuration.scan_on_push = true, ' +
    'and encryption_configuration with encryption_type = "KMS" and a kms_key (AWS defaults to AES256 with an AWS-owned key).',
  resourceTypes: ['aws_ecr_repository'],
  check: ({ body }) => {
    const violations: string[] = [];
    if (!dig(body, 'image_scanning_configuration', 'scan_on_push').some(isTrue))
      violations.push('image_scanning_configuration.scan_on_push is not true');
    const kms =
      dig(body, 'encryption_configuration', 'encryption_type').includes('KMS') &&
      dig(body, 'encryption_configuration', 'kms_key').length > 0;
    if (!kms) violations.push('encryption_configuration is not KMS with a customer-managed kms_key');
    return violations;
  },
});
