import { z } from 'zod';
import type { Tier } from './common';

/**
 * A Kubernetes resource quantity: a plain or decimal number with an optional SI or binary suffix
 * (`500m`, `2`, `1.5`, `512Mi`, `8Gi`), as `kubectl` and the API accept them.
 */
export const kubernetesQuantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as "500m", "2", "512Mi" or "8Gi"');

const QUANTITY_SUFFIXES: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** The value of a quantity that passed `kubernetesQuantity`, in base units (cores, bytes). */
export function quantityValue(quantity: string): number {
  const [, number, suffix] = /^(\d+(?:\.\d+)?)(\D*)$/.exec(quantity)!;
  return Number(number) * QUANTITY_SUFFIXES[suffix!]!;
}

/** What all pods of one service's namespace may request and use together (a ResourceQuota). */
const namespaceQuota = z
  .object({
    requestsCpu: kubernetesQuantity,
    requestsMemory: kubernetesQuantity,
    limitsMemory: kubernetesQuantity,
    pods: z.number().int().min(1).max(1000),
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
    cpuRequest: kubernetesQuantity,
    memoryRequest: kubernetesQuantity,
    memoryLimit: kubernetesQuantity,
    /** The largest memory limit one container may ask for. */
    maxMemoryLimit: kubernetesQuantity,
  })
  .strict();
export type ContainerDefaults = z.infer<typeof containerDefaults>;

/** The size of a service namespace; every field has a per-tier default. */
export interface NamespaceSizing {
  readonly quota: NamespaceQuota;
  readonly containerDefaults: ContainerDefaults;
}

/** The one place the per-tier namespace sizes are decided; config overrides them per environment or service. */
export const NAMESPACE_SIZING_BY_TIER: Readonly<Record<Tier, NamespaceSizing>> = {
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
  .object({ quota: namespaceQuota.partial().optional(), containerDefaults: containerDefaults.partial().optional() })
  .strict();
export type SizingOverride = z.infer<typeof sizingOverride>;

/** Namespaces the platform itself runs in (cluster jobs, its own controllers); no service may take these names. */
export const PLATFORM_NAMESPACES = ['platform-system'] as const;

/** Namespaces Kubernetes and EKS create, and the platform's own: never a service's namespace. */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...PLATFORM_NAMESPACES];

/** The in-cluster baseline of every service namespace (the `cluster` layer). */
export const clusterConfig = z
  .object({
    /** Overrides of the tier's namespace sizes for every service of this environment. */
    namespaces: sizingOverride.default({}),
    /** Overrides for single services, by service name (on top of `namespaces`). */
    serviceNamespaces: z.record(z.string(), sizingOverride).default({}),
  })
  .strict();
export type ClusterConfig = z.infer<typeof clusterConfig>;

/** The sizing of one service's namespace: tier default, then the environment's, then the service's override. */
export function namespaceSizing(tier: Tier, cluster: ClusterConfig, service: string): NamespaceSizing {
  const base = NAMESPACE_SIZING_BY_TIER[tier];
  const overrides = [cluster.namespaces, cluster.serviceNamespaces[service] ?? {}];
  return {
    quota: Object.assign({}, base.quota, ...overrides.map((o) => o.quota ?? {})),
    containerDefaults: Object.assign({}, base.containerDefaults, ...overrides.map((o) => o.containerDefaults ?? {})),
  };
}
