import { blocks, isExpression } from '../../terraform-json';
import { definePolicyRule } from '../rule';

/** ELB policies that negotiate TLS 1.2 or 1.3 only. */
const TLS12_PLUS = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export default definePolicyRule({
  id: 'EDGE_002',
  title: 'Load balancer listeners use TLS 1.2+ and HTTP only redirects',
  severity: 'high',
  description:
    'An HTTPS aws_lb_listener needs an ssl_policy allowing TLS 1.2 and newer only (ELBSecurityPolicy-TLS13-1-2-*, ' +
    '-TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*). An HTTP listener may only redirect to HTTPS.',
  resourceTypes: ['aws_lb_listener'],
  check: ({ body }) => {
    if (body.protocol === 'HTTPS' || body.protocol === 'TLS') {
      const policy = body.ssl_policy;
      if (typeof policy !== 'string' || isExpression(policy))
        return ['ssl_policy is not set to a literal TLS 1.2+ policy (the default allows TLS 1.0)'];
      return TLS12_PLUS.test(policy) ? [] : [`ssl_policy ${policy} allows TLS versions older than 1.2`];
    }
    if (body.protocol === 'HTTP') {
      const actions = blocks(body.default_action);
      const redirects =
        actions.length > 0 && actions.every((a) => a.type === 'redirect' && blocks(a.redirect).every((r) => r.protocol === 'HTTPS'));
      return redirects ? [] : ['an HTTP listener must only redirect to HTTPS (default_action type redirect, protocol HTTPS)'];
    }
    return [];
  },
});
