import { isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'RDS_006',
  title: 'RDS instances are not publicly accessible',
  severity: 'critical',
  description: 'publicly_accessible must not be true: the database lives in isolated subnets and admits only the workload security group.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body }) => (isTrue(body.publicly_accessible) ? ['publicly_accessible is true'] : []),
});
