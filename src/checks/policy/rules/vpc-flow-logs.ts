import { findReferencing, isExpression } from '../../terraform-json';
import { definePolicyRule } from '../rule';

export default definePolicyRule({
  id: 'VPC_001',
  title: 'VPCs have flow logs capturing all traffic',
  severity: 'medium',
  description:
    'Every aws_vpc has an aws_flow_log with vpc_id pointing at it and traffic_type ALL, ' +
    'so both accepted and rejected traffic can be investigated.',
  resourceTypes: ['aws_vpc'],
  check: ({ doc, resource }) => {
    const flowLogs = findReferencing(doc, 'aws_flow_log', 'vpc_id', resource.address);
    if (flowLogs.length === 0) return ['no aws_flow_log has vpc_id pointing at this VPC'];
    if (flowLogs.some((f) => f.body.traffic_type === 'ALL' || isExpression(f.body.traffic_type))) return [];
    return flowLogs.map((f) => ({ message: `${f.address} captures only ${String(f.body.traffic_type)} traffic; use ALL`, path: f.path }));
  },
});
