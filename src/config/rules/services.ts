import { RESERVED_NAMESPACES } from '../schema/cluster';
import type { ProjectConfig, ServiceConfig, SharedWithReaders } from '../schema/project';
import type { Report } from './report';

/** Service names become namespaces, role and repository names; repositories map to one deploy role each. */
export function checkServices(project: ProjectConfig, report: Report): void {
  const names = new Map<string, number>();
  const repositories = new Map<string, number>();
  const hosts = new Map<string, number>();
  project.services.forEach((service, i) => {
    const sameName = names.get(service.name);
    if (sameName !== undefined) report(['services', i, 'name'], `must be unique; services[${sameName}] already uses "${service.name}"`);
    else names.set(service.name, i);
    const sameRepository = repositories.get(service.repository.toLowerCase());
    if (sameRepository !== undefined)
      report(['services', i, 'repository'], `must be unique; services[${sameRepository}] already deploys from "${service.repository}"`);
    else repositories.set(service.repository.toLowerCase(), i);
    if (service.publicHost !== undefined) {
      const sameHost = hosts.get(service.publicHost);
      if (sameHost !== undefined)
        report(['services', i, 'publicHost'], `must be unique; services[${sameHost}] already serves "${service.publicHost}"`);
      else hosts.set(service.publicHost, i);
    }
    if (new Set(service.capabilities).size !== service.capabilities.length)
      report(['services', i, 'capabilities'], 'must not repeat a capability');
    service.calls.forEach((callee, c) => {
      if (callee === service.name)
        report(['services', i, 'calls', c], 'must not name the service itself (pods of one namespace may always talk to each other)');
      else if (!project.services.some((other) => other.name === callee))
        report(['services', i, 'calls', c], `must name a service of this file; known: ${project.services.map((s) => s.name).join(', ')}`);
      if (service.calls.indexOf(callee) !== c) report(['services', i, 'calls', c], 'must not repeat a service');
    });
    if (service.name === project.project || RESERVED_NAMESPACES.includes(service.name)) {
      report(['services', i, 'name'], `must not be the project name or a reserved namespace (${RESERVED_NAMESPACES.join(', ')})`);
    }
  });
  checkSharing(project, report);
  checkEmailSenders(project, report);
}

/** Owners and readers of cache keyspaces and secrets must be catalog services; keyspaces are shared by name across the catalog. */
function checkSharing(project: ProjectConfig, report: Report): void {
  const byName = new Map(project.services.map((service) => [service.name, service]));
  const keyspaceOwners = new Map<string, number>();
  project.services.forEach((service, i) => {
    const hasCache = service.capabilities.includes('cache');
    if (service.cacheKeyspaces.length > 0 && !hasCache) {
      report(['services', i, 'cacheKeyspaces'], 'needs the "cache" capability: keyspaces live in the cache');
    }
    service.cacheKeyspaces.forEach((keyspace, j) => {
      const owner = keyspaceOwners.get(keyspace.name);
      const path = ['services', i, 'cacheKeyspaces', j];
      if (owner !== undefined) report([...path, 'name'], `must be unique across services; services[${owner}] owns "${keyspace.name}"`);
      else keyspaceOwners.set(keyspace.name, i);
      checkReaders(service, keyspace, [...path, 'readers'], byName, report, (reader) =>
        reader.capabilities.includes('cache') ? undefined : `"${reader.name}" has no "cache" capability to read "${keyspace.name}" with`,
      );
    });
    const secretNames = new Set<string>();
    service.secrets.forEach((secret, j) => {
      if (secretNames.has(secret.name)) {
        report(['services', i, 'secrets', j, 'name'], `must be unique within ${service.name}; "${secret.name}" is listed twice`);
      }
      secretNames.add(secret.name);
      checkReaders(service, secret, ['services', i, 'secrets', j, 'readers'], byName, report);
    });
  });
}

function checkReaders(
  owner: ServiceConfig,
  shared: SharedWithReaders,
  path: readonly (string | number)[],
  services: ReadonlyMap<string, ServiceConfig>,
  report: Report,
  unfit: (reader: ServiceConfig) => string | undefined = () => undefined,
): void {
  const seen = new Set<string>();
  shared.readers.forEach((name, k) => {
    const reader = services.get(name);
    if (!reader) report([...path, k], `must name a service in "services"; known: ${[...services.keys()].join(', ')}`);
    else if (name === owner.name) report([...path, k], `must not name the owner: ${owner.name} already reads and writes "${shared.name}"`);
    else if (seen.has(name)) report([...path, k], `must not repeat a reader ("${name}")`);
    else {
      const problem = unfit(reader);
      if (problem) report([...path, k], problem);
    }
    seen.add(name);
  });
}

/** Each email-send service names its own From addresses; no address is shared, so a message's sender is always one service. */
function checkEmailSenders(project: ProjectConfig, report: Report): void {
  const senders = new Map<string, number>();
  project.services.forEach((service, i) => {
    const sends = service.capabilities.includes('email-send');
    const path = ['services', i, 'emailFrom'];
    if (sends && service.emailFrom.length === 0) report(path, 'must list at least one From local part for an "email-send" service');
    if (!sends && service.emailFrom.length > 0) report(path, 'must be empty: only a service with the "email-send" capability sends mail');
    service.emailFrom.forEach((localPart, j) => {
      const other = senders.get(localPart);
      if (other !== undefined) report([...path, j], `must be unique across services; services[${other}] already sends as "${localPart}"`);
      else senders.set(localPart, i);
    });
  });
}
