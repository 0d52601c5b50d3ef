import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'ECR_001',
  title: 'ECR repositories have immutable tags',
  severity: 'high',
  description:
    'aws_ecr_repository sets image_tag_mutability = "IMMUTABLE" (AWS defaults to MUTABLE): ' +
    'a released tag then always names the image that was scanned and deployed, and a pipeline cannot overwrite what is running.',
  resourceTypes: ['aws_ecr_repository'],
  check: ({ body }) =>
    body.image_tag_mutability === 'IMMUTABLE'
      ? []
      : [`image_tag_mutability is ${JSON.stringify(body.image_tag_mutability ?? 'MUTABLE (default)')}, not "IMMUTABLE"`],
});
