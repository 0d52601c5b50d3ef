import { resolvePolicyDocument } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

const HOST = 'token.actions.githubusercontent.com';

export default definePolicyRule({
  id: 'IAM_002',
  title: 'GitHub OIDC trust policies are pinned to a repository and its refs',
  severity: 'critical',
  description:
    `An aws_iam_role whose trust policy admits the ${HOST} identity provider requires StringEquals on ` +
    `${HOST}:aud = "sts.amazonaws.com" and on ${HOST}:sub with exact "repo:<owner>/<repository>:…" values, ` +
    'without wildcards: otherwise any repository on GitHub (or any branch of ours) can assume the role.',
  resourceTypes: ['aws_iam_role'],
  check: ({ doc, body }) => {
    const statements = resolvePolicyDocument(doc, body.assume_role_policy);
    if (!statements) return [];
    const violations: RuleViolation[] = [];
    for (const statement of statements) {
      const federated = statement.principals.filter((p) => p.type === 'Federated').flatMap((p) => p.identifiers);
      if (statement.effect !== 'Allow' || !federated.some((id) => id.endsWith(`oidc-provider/${HOST}`))) continue;
      const equals = (variable: string) =>
        statement.conditions.filter((c) => c.test === 'StringEquals' && c.variable === variable).flatMap((c) => c.values);
      if (!equals(`${HOST}:aud`).includes('sts.amazonaws.com'))
        violations.push(`trust does not require ${HOST}:aud = sts.amazonaws.com (StringEquals)`);
      const subjects = equals(`${HOST}:sub`);
      const loose = statement.conditions.filter((c) => c.variable === `${HOST}:sub` && c.test !== 'StringEquals');
      if (subjects.length === 0) violations.push(`trust does not pin ${HOST}:sub with StringEquals`);
      for (const subject of subjects) {
        if (!/^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:[^*?]+$/.test(subject))
          violations.push(`subject "${subject}" is not one repository and ref without wildcards`);
      }
      if (loose.length > 0)
        violations.push(`${HOST}:sub is also matched with ${loose.map((c) => c.test).join(', ')}, which widens the trust`);
    }
    return violations;
  },
});
