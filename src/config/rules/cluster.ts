import { NODE_POOLS, namespaceSizing, quantityValue, type NodePoolConfig } from '../schema/cluster';
import type { EnvironmentFile } from '../schema/environment';
import type { ProjectConfig } from '../schema/project';
import type { Report } from './report';

/** Graviton families carry a "g" after the generation (m7g, c7gn, r8gd, t4g); a1 is the first one. */
export function isGravitonFamily(family: string): boolean {
  const match = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family);
  if (!match) return false;
  return family === 'a1' || match[3]!.replace(/-.*$/, '').includes('g');
}

const GIB = 2 ** 30;

/**
 * Node pools: no spot capacity in production, families that fit the pool's architectures, categories
 * and generation, and a workload ceiling that lets one service reach its namespace quota.
 */
export function checkNodePools(env: EnvironmentFile, project: ProjectConfig, report: Report): void {
  for (const name of NODE_POOLS) {
    const pool: NodePoolConfig = env.cluster.nodePools[name];
    const path = ['cluster', 'nodePools', name];
    if (env.tier === 'production' && pool.capacityTypes.includes('spot')) {
      report(
        [...path, 'capacityTypes'],
        'must not include "spot" in a production environment: a spot reclaim takes capacity away with two minutes\' notice',
      );
    }
    pool.instanceFamilies.forEach((family, i) => {
      const graviton = isGravitonFamily(family);
      if (!pool.architectures.includes(graviton ? 'arm64' : 'amd64')) {
        report(
          [...path, 'instanceFamilies', i],
          `must fit architectures ${pool.architectures.join(', ')}: "${family}" is ${graviton ? 'arm64 (Graviton)' : 'amd64'}`,
        );
      }
      const [, category, generation] = /^([a-z]+?)(\d+)/.exec(family) ?? [];
      if (!category || !(pool.instanceCategories as readonly string[]).includes(category[0]!)) {
        report([...path, 'instanceFamilies', i], `must belong to instanceCategories (${pool.instanceCategories.join(', ')})`);
      } else if (Number(generation) < pool.minInstanceGeneration) {
        report([...path, 'instanceFamilies', i], `must be of generation ${pool.minInstanceGeneration} or later (minInstanceGeneration)`);
      }
    });
  }
  const workload = env.cluster.nodePools.workload.limits;
  const largest = (field: 'requestsCpu' | 'requestsMemory') =>
    Math.max(...project.services.map((service) => quantityValue(namespaceSizing(env.tier, env.cluster, service.name).quota[field])));
  if (workload.cpu < largest('requestsCpu')) {
    report(
      ['cluster', 'nodePools', 'workload', 'limits', 'cpu'],
      `must be at least the largest namespace quota's requests.cpu (${largest('requestsCpu')}), or that service can never use its quota`,
    );
  }
  if (workload.memoryGiB * GIB < largest('requestsMemory')) {
    report(
      ['cluster', 'nodePools', 'workload', 'limits', 'memoryGiB'],
      `must be at least the largest namespace quota's requests.memory (${largest('requestsMemory') / GIB} GiB)`,
    );
  }
}

/** Namespace sizes must name real services and be satisfiable: a container's defaults fit its ceiling and the quota. */
export function checkCluster(env: EnvironmentFile, project: ProjectConfig, report: Report): void {
  const services = project.services.map((service) => service.name);
  for (const name of Object.keys(env.cluster.serviceNamespaces)) {
    if (!services.includes(name))
      report(['cluster', 'serviceNamespaces', name], `must be a service of project.json; known: ${services.join(', ')}`);
  }
  const checked = new Set<string>();
  for (const service of services) {
    const { quota, containerDefaults: c } = namespaceSizing(env.tier, env.cluster, service);
    const path = env.cluster.serviceNamespaces[service] ? ['cluster', 'serviceNamespaces', service] : ['cluster', 'namespaces'];
    const where = path.join('.');
    if (checked.has(where)) continue;
    checked.add(where);
    // Values may come from the tier's defaults, so the message names the effective ceiling.
    const atMost = (field: string, value: string, ceilingField: string, ceiling: string) => {
      if (quantityValue(value) > quantityValue(ceiling))
        report([...path, ...field.split('.')], `must not exceed ${ceilingField} (${ceiling} in effect)`);
    };
    atMost('containerDefaults.memoryRequest', c.memoryRequest, 'containerDefaults.memoryLimit', c.memoryLimit);
    atMost('containerDefaults.memoryLimit', c.memoryLimit, 'containerDefaults.maxMemoryLimit', c.maxMemoryLimit);
    atMost('containerDefaults.cpuRequest', c.cpuRequest, 'quota.requestsCpu', quota.requestsCpu);
    atMost('containerDefaults.memoryRequest', c.memoryRequest, 'quota.requestsMemory', quota.requestsMemory);
    atMost('quota.requestsMemory', quota.requestsMemory, 'quota.limitsMemory', quota.limitsMemory);
  }
}
