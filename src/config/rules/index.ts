import type { EnvironmentFile } from '../schema/environment';
import type { ProjectConfig } from '../schema/project';
import { checkAccount } from './account';
import { checkCluster, checkNodePools } from './cluster';
import { checkData } from './data';
import { checkDomains } from './domains';
import { checkCloudflareFallback, checkEdge } from './edge';
import { checkNetwork } from './network';
import { checkObservability } from './observability';
import { checkPlatform } from './platform';
import { checkRecovery } from './recovery';
import { checkServices } from './services';
import type { Report } from './report';

export type { Report } from './report';

/** Rules over project.json: the service catalog and the shared Cloudflare range list. */
export function checkProject(project: ProjectConfig, report: Report): void {
  checkServices(project, report);
  checkCloudflareFallback(project, report);
}

/** Rules that span fields of one environment; field-level rules live in the schema. */
export function checkEnvironment(env: EnvironmentFile, project: ProjectConfig, report: Report): void {
  checkAccount(env, report);
  checkNetwork(env, report);
  checkDomains(env, report);
  checkEdge(env, report);
  checkPlatform(env, project, report);
  checkCluster(env, project, report);
  checkNodePools(env, project, report);
  checkData(env, report);
  checkRecovery(env, report);
  checkObservability(env, report);
}
