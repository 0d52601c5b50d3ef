import type { EnvironmentConfig } from '../config/load';
import { CONTRACT, type ContractEntry } from './catalog';
import { diffContracts, expectedVersion, releaseProblems } from './compatibility';
import { buildContract, parseContract, renderContract, type ContractFile } from './contract-file';
import { renderDocs } from './docs';

export class ReleaseError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export interface GenerateInput {
  readonly environments: readonly EnvironmentConfig[];
  /** Text of the committed `contract/outputs.json`; undefined for the first release. */
  readonly previous: string | undefined;
  /** The version to release; may be omitted when nothing changed (the committed version is kept). */
  readonly version?: string;
  readonly catalog?: readonly ContractEntry[];
}

export interface Generated {
  readonly contract: ContractFile;
  readonly contractText: string;
  readonly docsText: string;
}

/**
 * `contract:generate`: the contract file and docs for the catalog as it is now, at a version that
 * matches what changed since the committed contract. Throws ReleaseError (writing nothing) otherwise.
 */
export function generateContract(input: GenerateInput): Generated {
  const project = input.environments[0]?.project;
  if (!project) throw new ReleaseError(['no environment configured']);
  const catalog = input.catalog ?? CONTRACT;
  const previous = input.previous === undefined ? undefined : parseContract(input.previous);
  let version = input.version;
  if (version === undefined) {
    if (!previous) throw new ReleaseError(['no committed contract yet: give the first version, e.g. --version 1.0.0']);
    const changes = diffContracts(previous, buildContract(previous.version, project, catalog));
    const expected = expectedVersion(previous, changes);
    if (expected !== previous.version) {
      throw new ReleaseError([
        `the contract changed since ${previous.version}: rerun with --version ${expected}`,
        ...changes.map((c) => `  - ${c.level}: ${c.message}`),
      ]);
    }
    version = previous.version;
  }
  const contract = buildContract(version, project, catalog);
  const problems = releaseProblems(previous, contract);
  if (problems.length > 0) throw new ReleaseError(problems);
  return { contract, contractText: renderContract(contract), docsText: renderDocs(contract, input.environments) };
}
