import { isObject, isSet } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'EKS_005',
  title: 'Auto Mode nodes encrypt their volumes with a customer-managed KMS key',
  severity: 'high',
  description:
    'Every EKS Auto Mode NodeClass (kubernetes_manifest of kind NodeClass, eks.amazonaws.com) sets spec.ephemeralStorage.kmsKeyID; ' +
    'without it the volumes use the AWS-managed key: https://docs.aws.amazon.com/eks/latest/userguide/auto-kms.html',
  resourceTypes: ['kubernetes_manifest'],
  check: ({ body }) => {
    const manifest = body.manifest;
    if (!isObject(manifest) || manifest.kind !== 'NodeClass' || !String(manifest.apiVersion ?? '').startsWith('eks.amazonaws.com/'))
      return [];
    const spec = isObject(manifest.spec) ? manifest.spec : {};
    const storage = isObject(spec.ephemeralStorage) ? spec.ephemeralStorage : {};
    return isSet(storage.kmsKeyID) ? [] : ['spec.ephemeralStorage.kmsKeyID is not set: node volumes use the AWS-managed key'];
  },
});
