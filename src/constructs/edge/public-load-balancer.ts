import { Lb } from '@cdktn/provider-aws/lib/lb';
import { LbListener } from '@cdktn/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktn/provider-aws/lib/lb-listener-rule';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, TerraformIterator, Token, type ITerraformDependable } from 'cdktn';
import { Construct } from 'constructs';
import type { LoadBalancerThresholds } from '../../config/schema/observability';
import { invalidProp } from '../invalid-prop';
import { MetricAlarm, type AlarmDestination, type MetricAlarmProps, type MetricSpec } from '../observability/metric-alarm';

/** TLS 1.2 and 1.3 only, forward-secret ciphers. */
const DEFAULT_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
const ALLOWED_TLS_POLICIES = [DEFAULT_TLS_POLICY, 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06', 'ELBSecurityPolicy-TLS13-1-3-2021-06'];
const LISTENER_PORTS = [443, 80] as const;

export interface PublicTarget {
  /** Host name (FQDN) routed to this target group. */
  readonly host: string;
  /** Construct id suffix of the route, e.g. "app". */
  readonly name: string;
  /** The IP target group of the pods serving the host (the platform layer's PodTargetGroup). */
  readonly targetGroupArn: string;
  /** The pods' port, which the load balancer's security group may reach. */
  readonly port: number;
}

export interface PublicLoadBalancerProps {
  /** Load balancer and security group name, from Naming. */
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** ARN of a validated certificate covering every target host. */
  readonly certificateArn: string;
  /**
   * Trust store (`aws_lb_trust_store`) of the CAs whose client certificates may connect: the HTTPS listener
   * runs mutual TLS in verify mode and completes no TLS handshake without a certificate that chains to one of
   * them (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html).
   */
  readonly clientTrustStoreArn: string;
  /** Source ranges admitted on 443 (and on 80, which only redirects); literal or a plan-time token list. */
  readonly allowedIpv4Cidrs: string[];
  readonly allowedIpv6Cidrs: string[];
  /**
   * Access log destination; ELB checks it may write there when the load balancer is created, so pass
   * the bucket policy that allows it in `dependsOn`.
   */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string; readonly dependsOn?: ITerraformDependable[] };
  /** One route per entry, by Host header, to its target group. */
  readonly targets: readonly PublicTarget[];
  /** Security group of the pods the target groups reach. */
  readonly targetSecurityGroupId: string;
  /**
   * Refuse deletion of the load balancer through the API.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * TLS negotiation policy of the HTTPS listener; only TLS 1.2+ policies are accepted.
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06'
   */
  readonly tlsPolicy?: string;
}

/**
 * An internet-facing Application Load Balancer that admits only the given source ranges: HTTPS with a
 * TLS 1.2+ policy and verified client certificates, HTTP only to redirect, invalid headers dropped, access
 * logs on, and one route per host to the IP target group that EKS Auto Mode fills with the pods of that
 * host's service.
 */
export class PublicLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly httpsListener: LbListener;
  private readonly props: PublicLoadBalancerProps;

  constructor(scope: Construct, id: string, props: PublicLoadBalancerProps) {
    super(scope, id);
    this.props = props;
    const tlsPolicy = props.tlsPolicy ?? DEFAULT_TLS_POLICY;
    const where = `PublicLoadBalancer ${props.name}`;
    if (!ALLOWED_TLS_POLICIES.includes(tlsPolicy)) invalidProp(where, 'tlsPolicy', `one of ${ALLOWED_TLS_POLICIES.join(', ')}`, tlsPolicy);
    if (props.targets.length === 0) invalidProp(where, 'targets', 'at least one host', props.targets);
    if (props.name.length > 32) {
      invalidProp(
        where,
        'name',
        'at most 32 characters (the load balancer name limit; shorten the project or environment name)',
        props.name,
      );
    }

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: props.name,
      description: 'Public load balancer: HTTPS (and the HTTP redirect) from the CDN ranges only',
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    this.admit('ipv4', props.allowedIpv4Cidrs);
    this.admit('ipv6', props.allowedIpv6Cidrs);
    // Only the targets' ports, in both directions: the pods' group admits the load balancer there and nowhere else.
    for (const port of [...new Set(props.targets.map((target) => target.port))].sort((a, b) => a - b)) {
      const rule = { ipProtocol: 'tcp', fromPort: port, toPort: port };
      new VpcSecurityGroupEgressRule(this, `to-targets-${port}`, {
        securityGroupId: this.securityGroup.id,
        description: `To the pods behind the target groups, port ${port}`,
        ...rule,
        referencedSecurityGroupId: props.targetSecurityGroupId,
      });
      new VpcSecurityGroupIngressRule(this, `targets-from-lb-${port}`, {
        securityGroupId: props.targetSecurityGroupId,
        description: `From the public load balancer ${props.name}, port ${port}`,
        ...rule,
        referencedSecurityGroupId: this.securityGroup.id,
      });
    }

    this.loadBalancer = new Lb(this, 'lb', {
      name: props.name,
      internal: false,
      loadBalancerType: 'application',
      ipAddressType: 'ipv4',
      securityGroups: [this.securityGroup.id],
      subnets: props.subnetIds,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: { bucket: props.accessLogs.bucket, prefix: props.accessLogs.prefix.replace(/\/$/, ''), enabled: true },
      tags: { Name: props.name },
      dependsOn: props.accessLogs.dependsOn,
    });

    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: tlsPolicy,
      certificateArn: props.certificateArn,
      // Expired client certificates are refused too; the CA names stay private (the only client is our CDN zone).
      mutualAuthentication: {
        mode: 'verify',
        trustStoreArn: props.clientTrustStoreArn,
        ignoreClientCertificateExpiry: false,
        advertiseTrustStoreCaNames: 'off',
      },
      defaultAction: [
        { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not found' } },
      ],
    });
    props.targets.forEach((target, index) => {
      new LbListenerRule(this, `route-${target.name}`, {
        listenerArn: this.httpsListener.arn,
        priority: (index + 1) * 10,
        condition: [{ hostHeader: { values: [target.host] } }],
        action: [{ type: 'forward', targetGroupArn: target.targetGroupArn }],
      });
    });
    new LbListener(this, 'http-redirect', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
  }

  /**
   * The load balancer's alarms, each to `destination`: 5xx it returns itself, and per routed target
   * group the 5xx its pods return, their p99 response time, unhealthy targets and no healthy target at
   * all. Rates are shares of the requests, so they mean the same at any traffic.
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
   */
  addAlarms(destination: AlarmDestination, thresholds: LoadBalancerThresholds): MetricAlarm[] {
    const lbName = this.props.name;
    const alarm = (id: string, runbook: string, props: Omit<MetricAlarmProps, 'name' | 'runbook' | 'destination'>) =>
      new MetricAlarm(this, `alarm-${id}`, { name: `${lbName}-${id}`, runbook, destination, ...props });
    const metric = (metricName: string, statistic: string, dimensions: Record<string, string>): MetricSpec => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions,
      statistic,
    });
    const errorRate = (errors: string, dimensions: Record<string, string>) => ({
      expression: '100 * errors / requests',
      label: `${errors} per 100 requests`,
      metrics: { errors: metric(errors, 'Sum', dimensions), requests: metric('RequestCount', 'Sum', dimensions) },
    });
    const lb = { LoadBalancer: this.loadBalancer.arnSuffix };
    return [
      alarm('elb-5xx', 'alb-elb-5xx', {
        summary: `Over ${thresholds.elb5xxPercent} % of the requests to ${lbName} got a 5xx from the load balancer itself for 10 minutes.`,
        expression: errorRate('HTTPCode_ELB_5XX_Count', lb),
        comparison: 'GreaterThanThreshold',
        threshold: thresholds.elb5xxPercent,
        periodSeconds: 300,
        evaluationPeriods: 2,
        treatMissingData: 'notBreaching',
      }),
      ...this.props.targets.flatMap((target) => {
        // The TargetGroup dimension is the ARN's last part, `targetgroup/<name>/<id>`.
        const group = { TargetGroup: Fn.element(Fn.split(':', target.targetGroupArn), 5), ...lb };
        const on = `the ${target.name} target group (${target.host})`;
        return [
          alarm(`${target.name}-target-5xx`, 'alb-target-5xx', {
            summary: `More than ${thresholds.target5xxPercent} % of the requests to ${on} got a 5xx from its pods for 10 minutes.`,
            expression: errorRate('HTTPCode_Target_5XX_Count', group),
            comparison: 'GreaterThanThreshold',
            threshold: thresholds.target5xxPercent,
            periodSeconds: 300,
            evaluationPeriods: 2,
            treatMissingData: 'notBreaching',
          }),
          alarm(`${target.name}-latency`, 'alb-target-latency', {
            summary: `The p99 response time of ${on} has been above ${thresholds.p99ResponseTimeMs} ms for 15 minutes.`,
            metric: metric('TargetResponseTime', 'p99', group),
            comparison: 'GreaterThanThreshold',
            threshold: thresholds.p99ResponseTimeMs / 1000,
            periodSeconds: 300,
            evaluationPeriods: 3,
            treatMissingData: 'notBreaching',
          }),
          alarm(`${target.name}-unhealthy-hosts`, 'alb-unhealthy-hosts', {
            summary: `${thresholds.unhealthyHosts} or more targets of ${on} have failed health checks for 5 minutes.`,
            metric: metric('UnHealthyHostCount', 'Maximum', group),
            comparison: 'GreaterThanOrEqualToThreshold',
            threshold: thresholds.unhealthyHosts,
            periodSeconds: 60,
            evaluationPeriods: 5,
            treatMissingData: 'notBreaching',
          }),
          alarm(`${target.name}-no-healthy-hosts`, 'alb-no-healthy-hosts', {
            summary: `No target of ${on} has been healthy for 2 minutes: every request to ${target.host} fails.`,
            metric: metric('HealthyHostCount', 'Minimum', group),
            comparison: 'LessThanThreshold',
            threshold: 1,
            periodSeconds: 60,
            evaluationPeriods: 2,
            // No datapoint means no target reports healthy either.
            treatMissingData: 'breaching',
          }),
        ];
      }),
    ];
  }

  /** One ingress rule per range and port; a plan-time list becomes one for_each rule per port. */
  private admit(family: 'ipv4' | 'ipv6', cidrs: string[]): void {
    const cidrKey = family === 'ipv4' ? 'cidrIpv4' : 'cidrIpv6';
    for (const port of LISTENER_PORTS) {
      const base = {
        securityGroupId: this.securityGroup.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: `CDN edge range to ${port === 443 ? 'HTTPS' : 'the HTTP redirect'}`,
      };
      if (Token.isUnresolved(cidrs)) {
        const iterator = TerraformIterator.fromList(cidrs);
        new VpcSecurityGroupIngressRule(this, `in-${port}-${family}`, { ...base, forEach: iterator, [cidrKey]: iterator.value });
      } else {
        cidrs.forEach(
          (cidr) => new VpcSecurityGroupIngressRule(this, `in-${port}-${cidr.replace(/[^0-9a-f]+/gi, '-')}`, { ...base, [cidrKey]: cidr }),
        );
      }
    }
  }
}
