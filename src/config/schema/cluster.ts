import { z } from 'zod';
import type { EnvironmentTier } from '../../environment-tiers';

/**
 * A Kubernetes resource quantity: a plain or decimal number with an optional SI or binary suffix
 * (`500m`, `2`, `1.5`, `512Mi`, `8Gi`), as `kubectl` and the API accept them.
 */
const kubernetesQuantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi"');

const QUANTITY_SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** The value of a quantity that passed `kubernetesQuantity`, in base units (cores, bytes). */
export function quantityValue(quantity: string): number {
  const [, number, suffix] = /^(\d+(?:\.\d+)?)(\D*)$/.exec(quantity)!;
  return Number(number) * QUANTITY_SUFFIXES[suffix!]!;
}

/**
 * What all pods of one service's namespace may request and use together (a ResourceQuota). The `tierDefault`s are typed
 * `unknown` because NAMESPACE_SIZING_BY_TIER's type is inferred from this schema.
 */
const namespaceQuota = z
  .object({
    requestsCpu: kubernetesQuantity.meta({
      description: "CPU all the namespace's pods may request together (`requests.cpu`).",
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].quota.requestsCpu,
    }),
    requestsMemory: kubernetesQuantity.meta({
      description: "Memory all the namespace's pods may request together (`requests.memory`).",
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].quota.requestsMemory,
    }),
    limitsMemory: kubernetesQuantity.meta({
      description: "Sum of the memory limits of the namespace's pods (`limits.memory`).",
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].quota.limitsMemory,
    }),
    pods: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .meta({
        description: 'Pods the namespace may run at once.',
        tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].quota.pods,
      }),
  })
  .strict();
export type NamespaceQuota = z.infer<typeof namespaceQuota>;

/**
 * Per-container defaults and ceiling (a LimitRange) for containers that do not set their own. CPU has
 * requests but no limit: a CPU limit throttles a pod that could use idle cores and protects nothing
 * the quota's requests do not.
 */
const containerDefaults = z
  .object({
    cpuRequest: kubernetesQuantity.meta({
      description: 'CPU request of a container that sets none.',
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].containerDefaults.cpuRequest,
    }),
    memoryRequest: kubernetesQuantity.meta({
      description: 'Memory request of a container that sets none.',
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].containerDefaults.memoryRequest,
    }),
    memoryLimit: kubernetesQuantity.meta({
      description: 'Memory limit of a container that sets none.',
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].containerDefaults.memoryLimit,
    }),
    maxMemoryLimit: kubernetesQuantity.meta({
      description: 'The largest memory limit one container may ask for.',
      tierDefault: (tier): unknown => NAMESPACE_SIZING_BY_TIER[tier].containerDefaults.maxMemoryLimit,
    }),
  })
  .strict();
export type ContainerDefaults = z.infer<typeof containerDefaults>;

/** The size of a service namespace; every field has a per-tier default. */
export interface NamespaceSizing {
  readonly quota: NamespaceQuota;
  readonly containerDefaults: ContainerDefaults;
}

/** The one place the per-tier namespace sizes are decided; config overrides them per environment or service. */
export const NAMESPACE_SIZING_BY_TIER: Readonly<Record<EnvironmentTier, NamespaceSizing>> = {
  development: {
    quota: { requestsCpu: '2', requestsMemory: '4Gi', limitsMemory: '8Gi', pods: 20 },
    containerDefaults: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '256Mi', maxMemoryLimit: '2Gi' },
  },
  staging: {
    quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsMemory: '16Gi', pods: 40 },
    containerDefaults: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '512Mi', maxMemoryLimit: '4Gi' },
  },
  production: {
    quota: { requestsCpu: '16', requestsMemory: '32Gi', limitsMemory: '64Gi', pods: 150 },
    containerDefaults: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '1Gi', maxMemoryLimit: '8Gi' },
  },
};

const sizingOverride = z
  .object({
    quota: namespaceQuota.partial().optional().describe("Fields of the namespace's ResourceQuota `namespace-quota` to override."),
    containerDefaults: containerDefaults.partial().optional().describe('Fields of the LimitRange `container-defaults` to override.'),
  })
  .strict();

/** Namespaces the platform itself runs in (cluster jobs, its own controllers); no service may take these names. */
export const PLATFORM_NAMESPACES = ['platform-system'] as const;

/** Namespaces Kubernetes and EKS create, and the platform's own: never a service's namespace. */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...PLATFORM_NAMESPACES];

/** CPU architectures Auto Mode launches (`kubernetes.io/arch`). */
const NODE_ARCHITECTURES = ['arm64', 'amd64'] as const;
/** `karpenter.sh/capacity-type` values; spot is refused in production (rules/cluster.ts). */
const CAPACITY_TYPES = ['on-demand', 'spot'] as const;
/**
 * EC2 instance categories (`eks.amazonaws.com/instance-category`) for general services: compute,
 * general purpose, memory and burstable; all four have Graviton and x86 families.
 */
const INSTANCE_CATEGORIES = ['c', 'm', 'r', 't'] as const;
/**
 * EKS Auto Mode replaces every node after at most 21 days ("maximum lifetime of 21 days, which you can
 * reduce"): https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
const AUTO_MODE_MAX_NODE_HOURS = 21 * 24;

/** One Auto Mode NodePool: what nodes it may launch and how many, at most. */
const nodePool = z
  .object({
    architectures: z
      .array(z.enum(NODE_ARCHITECTURES, { message: `must be one of ${NODE_ARCHITECTURES.join(', ')}` }))
      .min(1)
      .default(['arm64'])
      .describe('CPU architectures of its nodes (`kubernetes.io/arch`).'),
    instanceCategories: z
      .array(z.enum(INSTANCE_CATEGORIES, { message: `must be one of ${INSTANCE_CATEGORIES.join(', ')}` }))
      .min(1)
      .describe('EC2 instance categories (`eks.amazonaws.com/instance-category`): compute, general purpose, memory, burstable.'),
    instanceFamilies: z
      .array(z.string().regex(/^[a-z]+\d+[a-z-]*$/, 'must be an EC2 instance family such as "m7g" or "c7i"'))
      .default([])
      .describe(
        'Narrows the categories to named families, e.g. ["m7g", "m8g"]; each must fit an architecture, a category and ' +
          '`minInstanceGeneration`.',
      ),
    minInstanceGeneration: z
      .number()
      .int()
      .min(1)
      .max(9)
      .describe('Oldest instance generation allowed (older generations cost more per unit of work).'),
    capacityTypes: z
      .array(z.enum(CAPACITY_TYPES, { message: `must be one of ${CAPACITY_TYPES.join(', ')}` }))
      .min(1)
      .default(['on-demand'])
      .describe('`karpenter.sh/capacity-type` values; spot is refused in production.'),
    limits: z
      .object({
        cpu: z.number().int().min(1).describe("vCPUs over all the pool's nodes; for `workload`, at least the largest namespace quota."),
        memoryGiB: z.number().int().min(1).describe("Memory over all the pool's nodes, GiB; for `workload`, at least the largest quota."),
      })
      .strict()
      .describe("The pool's ceiling over all its nodes: a cost limit, and the most the services can scale to."),
    expireAfterHours: z
      .number()
      .int()
      .min(24, 'must be at least 24 hours')
      .max(AUTO_MODE_MAX_NODE_HOURS, `must be at most ${AUTO_MODE_MAX_NODE_HOURS} hours: Auto Mode replaces nodes after 21 days`)
      .default(336)
      .describe("Nodes are replaced after this long (patched AMIs); Auto Mode's ceiling is 21 days."),
    disruptionBudgetPercent: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe("Share of the pool's nodes voluntary disruption (consolidation, expiry, drift) may take down at once."),
  })
  .strict();
export type NodePoolConfig = z.infer<typeof nodePool>;

/** The two pools: `system` for platform components (tainted CriticalAddonsOnly), `workload` for the services. */
export const NODE_POOLS = ['system', 'workload'] as const;

/** The in-cluster baseline of every service namespace (the `cluster` layer). */
export const clusterConfig = z
  .object({
    nodeEphemeralStorageGiB: z
      .number()
      .int()
      .min(20)
      .max(16384)
      .default(80)
      .describe("Size of each node's ephemeral volume (containers, images, logs), GiB, encrypted with the platform key."),
    nodePools: z
      .object({
        system: nodePool.describe('The pool for platform components, tainted `CriticalAddonsOnly`.'),
        workload: nodePool.describe('The pool for the services.'),
      })
      .strict()
      .describe('The Auto Mode NodePools and their NodeClasses (docs/cluster.md, "Nodes").'),
    namespaces: sizingOverride.default({}).describe("Overrides of the tier's namespace sizes for every service of this environment."),
    serviceNamespaces: z
      .record(z.string(), sizingOverride)
      .default({})
      .describe('Overrides for single services, keyed by service name (on top of `namespaces`).'),
  })
  .strict();
export type ClusterConfig = z.infer<typeof clusterConfig>;

/** The sizing of one service's namespace: tier default, then the environment's, then the service's override. */
export function namespaceSizing(tier: EnvironmentTier, cluster: ClusterConfig, service: string): NamespaceSizing {
  const base = NAMESPACE_SIZING_BY_TIER[tier];
  const overrides = [cluster.namespaces, cluster.serviceNamespaces[service] ?? {}];
  return {
    quota: Object.assign({}, base.quota, ...overrides.map((o) => o.quota ?? {})),
    containerDefaults: Object.assign({}, base.containerDefaults, ...overrides.map((o) => o.containerDefaults ?? {})),
  };
}
