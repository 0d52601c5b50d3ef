import { Construct } from 'constructs';
import { LimitRangeV1 } from '../../generated/kubernetes/limit-range-v1';
import { NamespaceV1 } from '../../generated/kubernetes/namespace-v1';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgressTo,
  type NetworkPolicyV1SpecIngressFrom,
} from '../../generated/kubernetes/network-policy-v1';
import { ResourceQuotaV1 } from '../../generated/kubernetes/resource-quota-v1';
import { ServiceAccountV1 } from '../../generated/kubernetes/service-account-v1';
import type { ContainerDefaults, NamespaceQuota } from '../../config/schema/cluster';
import { invalidProp, isPort, PORT_RANGE } from '../invalid-prop';
import { NamespaceDeployer } from './namespace-deployer';

/**
 * Pod Security Admission labels: `restricted` refuses privileged, host-namespace, host-path and root
 * pods, so a deploy role that may create pods here cannot escape to the node.
 * https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
} as const;

/** Set by Kubernetes on every namespace (1.22+): lets a policy select a namespace by name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The link-local address of the EKS Pod Identity agent on every node: pods fetch their role's
 * credentials from http://169.254.170.23/v1/credentials.
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html
 */
export const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 } as const;

const DNS_PORT = 53;

export interface NetworkPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** Who is on the other end of an allowed connection: an address block (less some), or every pod of a namespace. */
export type NetworkPeer = { readonly cidr: string; readonly except?: readonly string[] } | { readonly namespace: string };

export interface RestrictedNamespaceProps {
  readonly name: string;
  readonly quota: NamespaceQuota;
  readonly containerDefaults: ContainerDefaults;
  /**
   * Labels besides the Pod Security Admission ones.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A namespace that admits only `restricted` pods, holds its pods to a quota and per-container defaults,
 * and denies every connection in and out but DNS and what `allowIngress`/`allowEgress` add. The quota
 * also forbids NodePort and LoadBalancer Services: traffic enters only through the platform's ALB.
 */
export class RestrictedNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly name: string;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name) || props.name.length > 63) {
      invalidProp('RestrictedNamespace', 'name', 'a DNS-1123 label of at most 63 characters', props.name);
    }
    this.name = props.name;
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: props.name, labels: { ...props.labels, ...POD_SECURITY_LABELS } },
    });
    const metadata = (name: string) => ({ name, namespace: this.namespace.metadata.name });

    const { quota, containerDefaults: c } = props;
    new ResourceQuotaV1(this, 'quota', {
      metadata: metadata('namespace-quota'),
      spec: {
        hard: {
          'requests.cpu': quota.requestsCpu,
          'requests.memory': quota.requestsMemory,
          'limits.memory': quota.limitsMemory,
          pods: String(quota.pods),
          'services.loadbalancers': '0',
          'services.nodeports': '0',
        },
      },
    });
    new LimitRangeV1(this, 'limits', {
      metadata: metadata('container-defaults'),
      spec: {
        limit: [
          {
            type: 'Container',
            defaultRequest: { cpu: c.cpuRequest, memory: c.memoryRequest },
            default: { memory: c.memoryLimit },
            max: { memory: c.maxMemoryLimit },
          },
        ],
      },
    });

    new NetworkPolicyV1(this, 'default-deny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    // Any destination on port 53: under EKS Auto Mode the cluster DNS answers on each node, not from
    // CoreDNS pods a selector could name. Security groups still limit pods to the VPC resolver.
    // https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html
    this.allowEgress('dns', 'Cluster DNS', { cidr: '0.0.0.0/0' }, [{ port: DNS_PORT, protocol: 'UDP' }, { port: DNS_PORT }]);
  }

  /** Lets every pod of the namespace accept connections from `peers` on `ports`. */
  allowIngress(
    id: string,
    description: string,
    peers: NetworkPeer | readonly NetworkPeer[],
    ports: readonly NetworkPort[],
  ): NetworkPolicyV1 {
    return new NetworkPolicyV1(this, `allow-in-${id}`, {
      metadata: { name: `allow-in-${id}`, namespace: this.namespace.metadata.name, annotations: { description } },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [peers].flat().map(peerSelector), ports: ports.map(portSpec) }],
      },
    });
  }

  /** Lets every pod of the namespace open connections to `peers` on `ports`. */
  allowEgress(
    id: string,
    description: string,
    peers: NetworkPeer | readonly NetworkPeer[],
    ports: readonly NetworkPort[],
  ): NetworkPolicyV1 {
    return new NetworkPolicyV1(this, `allow-out-${id}`, {
      metadata: { name: `allow-out-${id}`, namespace: this.namespace.metadata.name, annotations: { description } },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [peers].flat().map(peerSelector), ports: ports.map(portSpec) }] },
    });
  }

  /**
   * The service account a pod identity association names. No API token is mounted: the Pod Identity
   * webhook projects its own token for the agent, and the account holds no Kubernetes permissions.
   */
  /**
   * The deployer Role of this namespace and its binding to `group` (the deploy role's Kubernetes group). They name
   * the namespace by reference, so that Terraform creates them after it.
   */
  addDeployer(group: string): NamespaceDeployer {
    return new NamespaceDeployer(this, 'deployer', { namespace: this.namespace.metadata.name, group });
  }

  addServiceAccount(name: string): ServiceAccountV1 {
    return new ServiceAccountV1(this, `service-account-${name}`, {
      metadata: { name, namespace: this.namespace.metadata.name },
      automountServiceAccountToken: false,
    });
  }
}

function peerSelector(peer: NetworkPeer): NetworkPolicyV1SpecIngressFrom & NetworkPolicyV1SpecEgressTo {
  if ('namespace' in peer) return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } } };
  return { ipBlock: { cidr: peer.cidr, except: peer.except ? [...peer.except] : undefined } };
}

function portSpec(port: NetworkPort): { port: string; protocol: string } {
  if (!isPort(port.port)) invalidProp('RestrictedNamespace', 'port', PORT_RANGE, port.port);
  return { port: String(port.port), protocol: port.protocol ?? 'TCP' };
}
