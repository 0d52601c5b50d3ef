import { dig, isExpression, isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'CODEBUILD_002',
  title: 'CodeBuild projects do not run privileged builds',
  severity: 'high',
  description:
    "environment.privileged_mode is false or unset. Privileged mode runs the build's Docker daemon with full host privileges, " +
    'so any job that lands on the project (for a CI runner: any job of the repositories its webhook admits) gets them too.',
  resourceTypes: ['aws_codebuild_project'],
  check: ({ body }) => {
    const privileged = dig(body, 'environment', 'privileged_mode');
    if (privileged.some(isTrue)) return ['environment.privileged_mode is true'];
    if (privileged.some(isExpression)) return ['environment.privileged_mode is an expression; it cannot be verified to be false'];
    return [];
  },
});
