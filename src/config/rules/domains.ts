import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

function isWithin(name: string, parent: string): boolean {
  return name === parent || name.endsWith(`.${parent}`);
}

/** Records can only be created in the Cloudflare zone, so every name must sit inside it. */
export function checkDomains(env: EnvironmentFile, report: Report): void {
  if (!isWithin(env.domain, env.cloudflareZone)) report(['domain'], `must be cloudflareZone ("${env.cloudflareZone}") or a subdomain of it`);
  if (!isWithin(env.edge.email.domain, env.cloudflareZone)) report(['edge', 'email', 'domain'], `must be cloudflareZone ("${env.cloudflareZone}") or a subdomain of it`);
}
