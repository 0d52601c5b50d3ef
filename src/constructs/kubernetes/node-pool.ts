import type { ITerraformDependable } from 'cdktn';
import { Construct } from 'constructs';
import { Manifest } from '../../generated/kubernetes/manifest';
import { invalidProp } from '../invalid-prop';
import { NODE_CLASS_API } from './node-class';

/** Karpenter's NodePool kind, which EKS Auto Mode implements: https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html */
export const NODE_POOL_API = { apiVersion: 'karpenter.sh/v1', kind: 'NodePool' } as const;

/** The well-known labels Auto Mode schedules on (create-node-pool.html, "EKS Auto Mode supported labels"). */
const NODE_LABELS = {
  architecture: 'kubernetes.io/arch',
  capacityType: 'karpenter.sh/capacity-type',
  zone: 'topology.kubernetes.io/zone',
  instanceCategory: 'eks.amazonaws.com/instance-category',
  instanceFamily: 'eks.amazonaws.com/instance-family',
  instanceGeneration: 'eks.amazonaws.com/instance-generation',
} as const;

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodePoolProps {
  readonly name: string;
  /** The NodeClass its nodes are launched with. */
  readonly nodeClassName: string;
  readonly architectures: readonly string[];
  readonly capacityTypes: readonly string[];
  /** Zones nodes may be placed in; with two or more, Auto Mode spreads across them. */
  readonly zones: readonly string[];
  readonly instanceCategories: readonly string[];
  /**
   * Instance families within the categories.
   * @default - any family of the categories
   */
  readonly instanceFamilies?: readonly string[];
  readonly minInstanceGeneration: number;
  /** Ceiling over all nodes of the pool: the most it scales to, and so a cost limit. */
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
  /** Node lifetime before replacement, in hours. */
  readonly expireAfterHours: number;
  /** Share of nodes voluntary disruption may take at once. */
  readonly disruptionBudgetPercent: number;
  /**
   * Taints on every node of the pool.
   * @default - none
   */
  readonly taints?: readonly NodeTaint[];
  /** The NodeClass, which must exist first. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A pool of Auto Mode nodes: which instances it may launch (architecture, capacity type, zones,
 * categories, generation), its ceiling, how long nodes live and how many may be replaced at once.
 * Nodes scale with pending pods within the limits and are consolidated when under-used.
 */
export class NodePool extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    for (const [field, values] of [
      ['architectures', props.architectures],
      ['capacityTypes', props.capacityTypes],
      ['zones', props.zones],
      ['instanceCategories', props.instanceCategories],
    ] as const) {
      if (values.length === 0) invalidProp(`NodePool ${props.name}`, field, 'at least one value', values);
    }
    if (props.limits.cpu < 1 || props.limits.memoryGiB < 1)
      invalidProp(`NodePool ${props.name}`, 'limits', 'at least 1 CPU and 1 GiB', props.limits);
    const requirement = (key: string, values: readonly string[]) => ({ key, operator: 'In', values: [...values] });
    this.manifest = new Manifest(this, 'node-pool', {
      manifest: {
        ...NODE_POOL_API,
        metadata: { name: props.name },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: NODE_CLASS_API.apiVersion.split('/')[0], kind: NODE_CLASS_API.kind, name: props.nodeClassName },
              requirements: [
                requirement(NODE_LABELS.architecture, props.architectures),
                requirement(NODE_LABELS.capacityType, props.capacityTypes),
                requirement(NODE_LABELS.zone, props.zones),
                requirement(NODE_LABELS.instanceCategory, props.instanceCategories),
                ...(props.instanceFamilies && props.instanceFamilies.length > 0
                  ? [requirement(NODE_LABELS.instanceFamily, props.instanceFamilies)]
                  : []),
                // Gt is exclusive: generation N or later.
                { key: NODE_LABELS.instanceGeneration, operator: 'Gt', values: [String(props.minInstanceGeneration - 1)] },
              ],
              ...(props.taints && props.taints.length > 0 ? { taints: props.taints.map((taint) => ({ ...taint })) } : {}),
              expireAfter: `${props.expireAfterHours}h`,
            },
          },
          limits: { cpu: String(props.limits.cpu), memory: `${props.limits.memoryGiB}Gi` },
          disruption: {
            consolidationPolicy: 'WhenEmptyOrUnderutilized',
            consolidateAfter: '1m',
            budgets: [{ nodes: `${props.disruptionBudgetPercent}%` }],
          },
        },
      },
      dependsOn: props.dependsOn,
    });
  }
}
