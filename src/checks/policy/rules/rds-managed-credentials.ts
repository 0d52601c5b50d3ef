import { isSet, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'RDS_008',
  title: 'RDS master passwords are managed by RDS and applications use IAM authentication',
  severity: 'high',
  description:
    'manage_master_user_password = true (RDS keeps the password in Secrets Manager; Terraform never sees it) ' +
    'with master_user_secret_kms_key_id set, no password argument, and iam_database_authentication_enabled = true.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body }) => {
    if (isSet(body.replicate_source_db)) return [];
    return [
      ...(isSet(body.password) ? ['password is set: the master password would be stored in Terraform state'] : []),
      ...(isTrue(body.manage_master_user_password) ? [] : ['manage_master_user_password is not true']),
      ...(isTrue(body.manage_master_user_password) && !isSet(body.master_user_secret_kms_key_id)
        ? ['master_user_secret_kms_key_id is not set: the secret would use the AWS-managed key']
        : []),
      ...(isTrue(body.iam_database_authentication_enabled) ? [] : ['iam_database_authentication_enabled is not true']),
    ];
  },
});
