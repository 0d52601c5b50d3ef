import type { EnvironmentFile } from '../schema/environment';
import type { ProjectConfig } from '../schema/project';
import type { Report } from './report';

export function checkPlatform(env: EnvironmentFile, _project: ProjectConfig, report: Report): void {
  const { nodeGroups } = env.platform;
  for (const [name, group] of Object.entries(nodeGroups)) {
    const path = ['platform', 'nodeGroups', name];
    if (group.minSize > group.desiredSize || group.desiredSize > group.maxSize) {
      report(path, `must satisfy minSize ≤ desiredSize ≤ maxSize (got ${group.minSize} ≤ ${group.desiredSize} ≤ ${group.maxSize})`);
    }
  }
}
