import { blocks, dig, isExpression, isSet, isTrue, references, resourcesOfType } from '../../terraform-json';
import { definePolicyRule, type RuleViolation } from '../rule';

export default definePolicyRule({
  id: 'CODEBUILD_003',
  title: 'CodeBuild projects log to a KMS-encrypted log group of the stack',
  severity: 'medium',
  description:
    'logs_config.cloudwatch_logs is enabled (the default) and its group_name is an aws_cloudwatch_log_group of the same stack ' +
    'with kms_key_id set, so build logs, which CI jobs fill with whatever they print, are encrypted with a customer key and kept ' +
    'for a set retention. Without group_name CodeBuild creates /aws/codebuild/<project> itself, unencrypted by a customer key and ' +
    'never expiring. S3 logs, if enabled, must not set encryption_disabled.',
  resourceTypes: ['aws_codebuild_project'],
  check: ({ doc, body }) => {
    const violations: RuleViolation[] = [];
    const cloudwatch = dig(body, 'logs_config', 'cloudwatch_logs').flatMap(blocks);
    if (cloudwatch.some((c) => c.status === 'DISABLED')) {
      violations.push('logs_config.cloudwatch_logs.status is DISABLED: builds leave no log in the account');
    } else {
      const groupName = cloudwatch.map((c) => c.group_name).find(isSet);
      if (groupName === undefined) {
        violations.push(
          'logs_config.cloudwatch_logs.group_name is not set: CodeBuild creates its own log group without a customer key or retention',
        );
      } else {
        const group = resourcesOfType(doc, 'aws_cloudwatch_log_group').find(
          (g) => references(groupName, g.address) || (!isExpression(groupName) && g.body.name === groupName),
        );
        if (!group) {
          const name = JSON.stringify(groupName);
          violations.push(`logs_config.cloudwatch_logs.group_name ${name} is no aws_cloudwatch_log_group of this stack`);
        } else if (!isSet(group.body.kms_key_id)) violations.push({ message: `${group.address} has no kms_key_id`, path: group.path });
      }
    }
    const s3 = dig(body, 'logs_config', 's3_logs').flatMap(blocks);
    if (s3.some((s) => s.status === 'ENABLED' && isTrue(s.encryption_disabled))) {
      violations.push('logs_config.s3_logs is enabled with encryption_disabled');
    }
    return violations;
  },
});
