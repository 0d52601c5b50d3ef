import { CLOUDFLARE_PLAN_FEATURES, type CloudflarePlan } from '../schema/cloudflare';
import type { EnvironmentFile } from '../schema/environment';
import { isWithin } from './domains';
import type { Report } from './report';

/** One validated environment file and the report for problems in it. */
export interface EnvironmentInFile {
  readonly env: EnvironmentFile;
  readonly file: string;
  readonly report: Report;
}

interface Zone {
  readonly of: EnvironmentInFile;
  readonly name: string;
  readonly plan: CloudflarePlan;
  readonly path: readonly string[];
  readonly kind: 'app' | 'user content';
}

/**
 * Rules across environment files: every environment has zones of its own (a zone's token can change all of
 * its records, so sharing one gives a lower tier production's DNS), no zone nests in another unless
 * Cloudflare can run it (subdomain setup is Enterprise-only), and user content shares no site with any app.
 */
export function checkZones(environments: readonly EnvironmentInFile[]): void {
  const zones: Zone[] = environments.flatMap((of) => [
    { of, name: of.env.cloudflareZone, plan: of.env.edge.zonePlan, path: ['cloudflareZone'], kind: 'app' as const },
    {
      of,
      name: of.env.edge.userContentDomain,
      plan: of.env.edge.userContentZonePlan,
      path: ['edge', 'userContentDomain'],
      kind: 'user content' as const,
    },
  ]);
  const reported = new Set<Zone>();
  const flag = (zone: Zone, message: string) => {
    if (reported.has(zone)) return;
    reported.add(zone);
    zone.of.report(zone.path, message);
  };
  for (const [i, zone] of zones.entries()) {
    for (const other of zones.slice(i + 1)) {
      if (other.of === zone.of || other.name !== zone.name) continue;
      const production = [zone, other].find((z) => z.of.env.tier === 'production');
      if (production) {
        // Reported where the fix belongs: in the environment that is not production.
        const lower = production === zone ? other : zone;
        flag(
          lower,
          `is the zone of the production environment ${production.of.env.name} (${production.of.file}); ` +
            `a ${lower.of.env.tier} environment needs a zone of its own, so its Cloudflare token cannot change production's records`,
        );
      } else {
        for (const [one, two] of [
          [zone, other],
          [other, zone],
        ] as const) {
          flag(one, `is also a zone of ${two.of.env.name} (${two.of.file}); no two environments share a zone, nor the token that edits it`);
        }
      }
    }
  }
  for (const zone of zones) {
    for (const parent of zones) {
      if (parent.of === zone.of || parent.name === zone.name || !isWithin(zone.name, parent.name)) continue;
      if (zone.kind === 'user content' && parent.kind === 'app') {
        flag(
          zone,
          `is below ${parent.name}, the app zone of ${parent.of.env.name} (${parent.of.file}): ` +
            'user uploads would share a site with that app',
        );
      } else if (!CLOUDFLARE_PLAN_FEATURES[zone.plan].subdomainZone) {
        flag(
          zone,
          `is a subdomain of ${parent.name}, a zone of ${parent.of.env.name} (${parent.of.file}); ` +
            'Cloudflare runs a subdomain as a zone of its own only on the enterprise plan (subdomain setup), ' +
            `this zone's plan is ${zone.plan}: ` +
            'use a registrable domain of its own (docs/edge.md, "Zones")',
        );
      }
    }
  }
}
