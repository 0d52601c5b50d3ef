import { dig, list } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'CODEBUILD_001',
  title: 'CodeBuild projects run their builds inside a VPC',
  severity: 'high',
  description:
    'aws_codebuild_project sets vpc_config with a vpc_id, subnets and security groups. Without it builds run on ' +
    "CodeBuild's own network, outside the VPC's security groups and flow logs; a CI runner there cannot reach the private EKS API either.",
  resourceTypes: ['aws_codebuild_project'],
  check: ({ body }) => {
    if (dig(body, 'vpc_config').length === 0) return ["vpc_config is not set: builds run on CodeBuild's network, outside the VPC"];
    const empty = (key: string) => dig(body, 'vpc_config', key).flatMap((value) => list(value)).length === 0;
    return [
      ...(empty('vpc_id') ? ['vpc_config.vpc_id is not set'] : []),
      ...(empty('subnets') ? ['vpc_config.subnets is empty'] : []),
      ...(empty('security_group_ids') ? ['vpc_config.security_group_ids is empty'] : []),
    ];
  },
});
