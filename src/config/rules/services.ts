import type { ProjectConfig } from '../schema/project';
import type { Report } from './report';

/** Service names become namespaces, role and repository names; repositories map to one deploy role each. */
export function checkServices(project: ProjectConfig, report: Report): void {
  const names = new Map<string, number>();
  const repositories = new Map<string, number>();
  project.services.forEach((service, i) => {
    const sameName = names.get(service.name);
    if (sameName !== undefined) report(['services', i, 'name'], `must be unique; services[${sameName}] already uses "${service.name}"`);
    else names.set(service.name, i);
    const sameRepository = repositories.get(service.repository.toLowerCase());
    if (sameRepository !== undefined) report(['services', i, 'repository'], `must be unique; services[${sameRepository}] already deploys from "${service.repository}"`);
    else repositories.set(service.repository.toLowerCase(), i);
    if (new Set(service.capabilities).size !== service.capabilities.length) report(['services', i, 'capabilities'], 'must not repeat a capability');
    if (service.name === project.project || ['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(service.name)) {
      report(['services', i, 'name'], 'must not be a reserved Kubernetes namespace (default, kube-system, kube-public, kube-node-lease)');
    }
  });
}
