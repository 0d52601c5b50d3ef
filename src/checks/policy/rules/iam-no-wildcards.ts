import { resolvePolicyDocument } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

/**
 * Actions AWS authorizes only on Resource "*" (no resource-level permissions). A statement may use
 * "*" as its resource only when every action is one of these.
 */
const RESOURCE_STAR_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  'ecr:GetAuthorizationToken',
  'sts:GetCallerIdentity',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeVolumes',
  'ec2:DescribeSnapshots',
  'ec2:DescribeTags',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeDhcpOptions',
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
  'ssm:DescribeParameters',
  'kms:ListKeys',
  'kms:ListAliases',
  's3:ListAllMyBuckets',
  'backup-storage:MountCapsule',
  // No resource type in the Service Authorization Reference (AWS Backup); the restore test validation reports with it.
  'backup:PutRestoreValidationResult',
]);

export default definePolicyRule({
  id: 'IAM_001',
  title: 'IAM identity policies name their actions and resources',
  severity: 'high',
  description:
    'Allow statements of inline and managed identity policies (aws_iam_role_policy, aws_iam_policy, aws_iam_user_policy, ' +
    'aws_iam_group_policy) use no "*" or "service:*" action, no NotAction, and no "*" resource unless every action is one AWS ' +
    'authorizes only on "*" (e.g. ecr:GetAuthorizationToken). Key and bucket policies are resource policies and are not checked here.',
  resourceTypes: ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'],
  check: ({ doc, body }) => {
    const statements = resolvePolicyDocument(doc, body.policy);
    if (!statements) return ['policy cannot be read statically; cannot verify it names actions and resources'];
    const violations: RuleViolation[] = [];
    statements.forEach((statement, i) => {
      if (statement.effect !== 'Allow') return;
      const where = statement.sid ? `statement ${statement.sid}` : `statement ${i}`;
      const wildcards = statement.actions.filter((action) => action === '*' || action.endsWith(':*'));
      if (wildcards.length > 0) violations.push(`${where} allows wildcard action ${wildcards.join(', ')}`);
      if (statement.notActions.length > 0) violations.push(`${where} uses NotAction, which allows everything else`);
      const starOnly = statement.actions.length > 0 && statement.actions.every((action) => RESOURCE_STAR_ONLY_ACTIONS.has(action));
      if ((statement.resources.includes('*') && !starOnly) || statement.notResources.length > 0)
        violations.push(`${where} applies to every resource ("*")`);
    });
    return violations;
  },
});
