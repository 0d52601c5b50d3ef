import { isTrue } from '../../terraform-json';
import { definePolicyRule } from '../rule';
import { tierOf } from './_data-stores';

export default definePolicyRule({
  id: 'RDS_002',
  title: 'Staging and production RDS instances are Multi-AZ',
  severity: 'high',
  description:
    'multi_az = true unless the instance is tagged EnvironmentTier = development. A production database without ' +
    'Multi-AZ needs data.postgres.singleAzRiskAcceptance in the config, which the report shows as an accepted risk.',
  resourceTypes: ['aws_db_instance'],
  check: ({ body, doc }) => {
    const tier = tierOf(body, doc);
    return tier === 'development' || isTrue(body.multi_az) ? [] : [`multi_az is not true in a ${tier} environment`];
  },
});
