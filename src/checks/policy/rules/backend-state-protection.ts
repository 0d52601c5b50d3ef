import { isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'BACKEND_001',
  title: 'State is stored encrypted with KMS and locked',
  severity: 'high',
  description:
    'Every stack uses the s3 backend with encrypt = true, kms_key_id and use_lockfile = true (S3 native locking). ' +
    'Only the *-bootstrap stacks, which create the state bucket and key, may use local state.',
  scope: 'backend',
  check: ({ stack, backend }) => {
    const bootstrap = stack.name.endsWith('-bootstrap');
    if (!backend || backend.type === 'local') {
      return bootstrap
        ? []
        : [`${backend ? 'local backend' : 'no backend (local state)'}: only *-bootstrap stacks may keep local state; use the s3 backend`];
    }
    if (backend.type !== 's3') return [`backend type "${backend.type}" is not allowed; use the s3 backend`];
    const violations: string[] = [];
    if (!isTrue(backend.config.encrypt)) violations.push('s3 backend does not set encrypt = true');
    if (!isSet(backend.config.kms_key_id))
      violations.push('s3 backend does not set kms_key_id (state would be encrypted with the AWS managed key)');
    if (!isTrue(backend.config.use_lockfile)) violations.push('s3 backend does not set use_lockfile = true (state is not locked)');
    return violations;
  },
});
