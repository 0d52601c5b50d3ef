import { blocks, referenced } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'RDS_007',
  title: 'RDS PostgreSQL instances accept only TLS connections',
  severity: 'high',
  description:
    'parameter_group_name references an aws_db_parameter_group in the same stack ' +
    'that sets rds.force_ssl = 1; the default group allows plain connections.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body, doc }) => {
    if (body.engine !== 'postgres') return [];
    const group = referenced(doc, 'aws_db_parameter_group', body.parameter_group_name);
    if (!group)
      return ['parameter_group_name does not reference an aws_db_parameter_group of this stack, so rds.force_ssl cannot be verified'];
    const forced = blocks(group.body.parameter).some((p) => p.name === 'rds.force_ssl' && String(p.value) === '1');
    return forced ? [] : [{ message: 'rds.force_ssl is not 1', address: `aws_db_parameter_group.${group.name}` }];
  },
});
