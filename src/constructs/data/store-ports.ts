import type { Capability } from '../../config/schema/project';
import { CACHE_PORT } from './cache-cluster';
import { POSTGRES_PORT } from './postgres-database';
import { SEARCH_PORT } from './search-domain';

/** The data-store port each capability connects to; capabilities served by AWS APIs over HTTPS have none. */
export const STORE_PORT_OF_CAPABILITY: Readonly<Partial<Record<Capability, number>>> = {
  postgres: POSTGRES_PORT,
  cache: CACHE_PORT,
  'search-read': SEARCH_PORT,
  'search-write': SEARCH_PORT,
};

/** Every port of the data tier: PostgreSQL, the cache and OpenSearch (HTTPS). */
export const DATA_STORE_PORTS: readonly number[] = [...new Set(Object.values(STORE_PORT_OF_CAPABILITY))];

/** The ports a service with these capabilities needs in the data tier. */
export function storePortsFor(capabilities: readonly Capability[]): number[] {
  return [...new Set(capabilities.flatMap((capability) => STORE_PORT_OF_CAPABILITY[capability] ?? []))].sort((a, b) => a - b);
}
