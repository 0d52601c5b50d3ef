import type { EnvironmentFile } from '../schema/environment';
import type { Report } from './report';

export function checkData(env: EnvironmentFile, report: Report): void {
  const { postgres } = env.data;
  if (postgres.maxAllocatedStorageGiB < postgres.allocatedStorageGiB) {
    report(['data', 'postgres', 'maxAllocatedStorageGiB'], `must be at least allocatedStorageGiB (${postgres.allocatedStorageGiB})`);
  }
}
