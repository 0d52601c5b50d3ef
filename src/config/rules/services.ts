import { RESERVED_NAMESPACES } from '../schema/cluster';
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
    service.calls.forEach((callee, c) => {
      if (callee === service.name) report(['services', i, 'calls', c], 'must not name the service itself (pods of one namespace may always talk to each other)');
      else if (!project.services.some((other) => other.name === callee)) report(['services', i, 'calls', c], `must name a service of this file; known: ${project.services.map((s) => s.name).join(', ')}`);
      if (service.calls.indexOf(callee) !== c) report(['services', i, 'calls', c], 'must not repeat a service');
    });
    if (service.name === project.project || RESERVED_NAMESPACES.includes(service.name)) {
      report(['services', i, 'name'], `must not be the project name or a reserved namespace (${RESERVED_NAMESPACES.join(', ')})`);
    }
  });
}
