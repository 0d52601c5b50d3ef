import { namespaceSizing, quantityValue } from '../schema/cluster';
import type { EnvironmentFile } from '../schema/environment';
import type { ProjectConfig } from '../schema/project';
import type { Report } from './report';

/** Namespace sizes must name real services and be satisfiable: a container's defaults fit its ceiling and the quota. */
export function checkCluster(env: EnvironmentFile, project: ProjectConfig, report: Report): void {
  const services = project.services.map((service) => service.name);
  for (const name of Object.keys(env.cluster.serviceNamespaces)) {
    if (!services.includes(name)) report(['cluster', 'serviceNamespaces', name], `must be a service of project.json; known: ${services.join(', ')}`);
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
      if (quantityValue(value) > quantityValue(ceiling)) report([...path, ...field.split('.')], `must not exceed ${ceilingField} (${ceiling} in effect)`);
    };
    atMost('containerDefaults.memoryRequest', c.memoryRequest, 'containerDefaults.memoryLimit', c.memoryLimit);
    atMost('containerDefaults.memoryLimit', c.memoryLimit, 'containerDefaults.maxMemoryLimit', c.maxMemoryLimit);
    atMost('containerDefaults.cpuRequest', c.cpuRequest, 'quota.requestsCpu', quota.requestsCpu);
    atMost('containerDefaults.memoryRequest', c.memoryRequest, 'quota.requestsMemory', quota.requestsMemory);
    atMost('quota.requestsMemory', quota.requestsMemory, 'quota.limitsMemory', quota.limitsMemory);
  }
}
