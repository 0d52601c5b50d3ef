import { isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { preventsDestroy, tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'RDS_004',
  title: 'Staging and production RDS instances are protected from deletion',
  severity: 'high',
  description:
    'deletion_protection = true outside development; in production also lifecycle { prevent_destroy = true }, ' +
    'so neither a console click nor a plan can drop the database.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body, doc }) => {
    const tier = tierOf(body, doc);
    return [
      ...(tier !== 'development' && !isTrue(body.deletion_protection) ? [`deletion_protection is not true in a ${tier} environment`] : []),
      ...(tier === 'production' && !preventsDestroy(body) ? ['lifecycle.prevent_destroy is not true in production'] : []),
    ];
  },
});
