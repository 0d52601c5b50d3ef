import { dig, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

/** TLS security policies whose minimum version is 1.2. */
const TLS_12_POLICIES = ['Policy-Min-TLS-1-2-2019-07', 'Policy-Min-TLS-1-2-PFS-2023-10'];

export default definePolicyRule({
  id: 'OS_002',
  title: 'OpenSearch domains accept only HTTPS with TLS 1.2 or later',
  severity: 'high',
  description: `domain_endpoint_options { enforce_https = true, tls_security_policy one of ${TLS_12_POLICIES.join(', ')} }.`,
  resourceTypes: ['aws_opensearch_domain'],
  check: ({ body }) => {
    const policy = dig(body, 'domain_endpoint_options', 'tls_security_policy')[0];
    return [
      ...(dig(body, 'domain_endpoint_options', 'enforce_https').some(isTrue) ? [] : ['domain_endpoint_options.enforce_https is not true']),
      ...(typeof policy === 'string' && TLS_12_POLICIES.includes(policy)
        ? []
        : [`tls_security_policy is ${JSON.stringify(policy ?? null)}; use one of ${TLS_12_POLICIES.join(', ')}`]),
    ];
  },
});
