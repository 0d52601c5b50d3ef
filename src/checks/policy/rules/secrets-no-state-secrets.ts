import { allResources } from '../../terraform-json';
import { definePolicyRule } from '../rule';

/** Managed resources and data sources whose secret result is stored in Terraform state. */
const STATE_SECRETS: Record<string, string> = {
  random_password: 'use an ephemeral password (ephemeral "aws_secretsmanager_random_password") passed to write-only arguments',
  tls_private_key: 'the private key is stored in state',
  aws_iam_access_key: 'the secret access key is stored in state; use roles',
  'data.aws_secretsmanager_secret_version': 'the secret value is read into state; use the ephemeral resource of the same name',
  'data.aws_secretsmanager_random_password': 'the password is stored in state; use the ephemeral resource of the same name',
};

export default definePolicyRule({
  id: 'SECRETS_001',
  title: 'No resource or data source stores secret material in Terraform state',
  severity: 'high',
  description:
    'Secrets are managed by the service (RDS), ephemeral, ' +
    `or passed through write-only arguments. Flags ${Object.keys(STATE_SECRETS).join(', ')}.`,
  scope: 'stack',
  check: ({ doc }) =>
    allResources(doc)
      .filter((r) => r.mode !== 'ephemeral')
      .flatMap((r) => {
        const key = r.mode === 'data' ? `data.${r.type}` : r.type;
        const why = STATE_SECRETS[key];
        return why ? [{ message: `${key}: ${why}`, address: r.address, path: r.path }] : [];
      }),
});
