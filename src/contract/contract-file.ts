import { parameterPath } from '../naming';
import type { ProjectConfig } from '../config/schema/project';
import { CONTRACT, isConsumedBy, type ContractConsumers, type ContractEntry, type ContractType } from './catalog';
import { parseVersion } from './semver';

/** Path of the committed contract, relative to the repository root. */
export const CONTRACT_FILE = 'contract/outputs.json';

/** One output as committed in `contract/outputs.json`: the catalog entry with its consumers resolved. */
export interface ContractFileEntry {
  readonly name: string;
  readonly description: string;
  readonly type: ContractType;
  readonly sensitive: boolean;
  readonly layer: string;
  readonly since: string;
  /** `/<project>/<env>/<name>`, with `<env>` left as a placeholder. */
  readonly ssmParameter: string;
  readonly consumers: {
    /** The catalog rule: `all`, `platform`, `capability:<name>[,<name>…]` (any of them) or `services`. */
    readonly rule: string;
    readonly services: readonly string[];
    readonly repositories: readonly string[];
  };
}

export interface ContractFile {
  readonly version: string;
  readonly project: string;
  readonly outputs: readonly ContractFileEntry[];
}

function consumerRule(consumers: ContractConsumers): string {
  if (typeof consumers === 'string') return consumers;
  if ('capability' in consumers) return `capability:${consumers.capability}`;
  return 'anyCapability' in consumers ? `capability:${consumers.anyCapability.join(',')}` : 'services';
}

/** The contract as `contract/outputs.json` holds it, built from the catalog and the project's services. */
export function buildContract(version: string, project: ProjectConfig, catalog: readonly ContractEntry[] = CONTRACT): ContractFile {
  parseVersion(version);
  return {
    version,
    project: project.project,
    outputs: [...catalog]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => {
        const services = project.services.filter((service) => isConsumedBy(entry, service));
        return {
          name: entry.name,
          description: entry.description,
          type: entry.type,
          sensitive: entry.sensitive,
          layer: entry.layer,
          since: entry.since,
          ssmParameter: parameterPath(project.project, '<env>', entry.name),
          consumers: {
            rule: consumerRule(entry.consumers),
            services: services.map((s) => s.name).sort(),
            repositories: services.map((s) => s.repository).sort(),
          },
        };
      }),
  };
}

/** Stable text of the contract file (two-space JSON, trailing newline), so regeneration is byte-identical. */
export function renderContract(contract: ContractFile): string {
  return `${JSON.stringify(contract, null, 2)}\n`;
}

/** Parses `contract/outputs.json`, with a message that says what is wrong rather than a bare JSON error. */
export function parseContract(text: string, origin = CONTRACT_FILE): ContractFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin}: not valid JSON (${(error as Error).message}); regenerate it with npm run contract:generate`);
  }
  const file = parsed as Partial<ContractFile>;
  if (
    typeof file !== 'object' ||
    file === null ||
    typeof file.version !== 'string' ||
    typeof file.project !== 'string' ||
    !Array.isArray(file.outputs)
  ) {
    throw new Error(`${origin}: expected { version, project, outputs[] }; regenerate it with npm run contract:generate`);
  }
  parseVersion(file.version, `${origin} version`);
  return file as ContractFile;
}
