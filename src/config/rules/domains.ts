import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

/** `name` is `parent` or below it. */
export function isWithin(name: string, parent: string): boolean {
  return name === parent || name.endsWith(`.${parent}`);
}

/**
 * Records can only be created in the environment's zones, and every host must be exactly one label below
 * its zone: Universal SSL covers a zone's apex and one wildcard level (`*.<zone>`), nothing deeper.
 */
export function checkDomains(env: EnvironmentFile, report: Report): void {
  const zone = env.cloudflareZone;
  if (!isWithin(env.domain, zone)) {
    report(['domain'], `must be cloudflareZone ("${zone}") or a subdomain of it`);
  } else if (env.domain !== zone) {
    const { app, api, admin } = env.edge.hosts;
    const hosts = [app, api, admin].map((label) => `${label}.${env.domain}`);
    report(
      ['domain'],
      `must equal cloudflareZone ("${zone}"): ${hosts.join(', ')} would be more than one label below the zone, which its Universal SSL ` +
        `certificate (${zone}, *.${zone}) does not cover; they would need an advanced certificate for *.${env.domain}. ` +
        `Use a zone of its own for ${env.domain}`,
    );
  }
  if (!isWithin(env.edge.email.domain, zone)) {
    report(['edge', 'email', 'domain'], `must be cloudflareZone ("${zone}") or a subdomain of it`);
  }
  const userContent = env.edge.userContentDomain;
  if (isWithin(userContent, zone) || isWithin(zone, userContent)) {
    report(
      ['edge', 'userContentDomain'],
      `must be a registrable domain of its own, apart from cloudflareZone ("${zone}"): uploads served below the app's domain ` +
        'run with its site and receive its cookies',
    );
  }
}
