import type { SchemaSet } from '../checks/schema/provider-schema';
import type { StackDocument } from '../checks/terraform-json';
import type { EnvironmentConfig } from '../config/load';
import { CONTRACT, type ContractEntry } from './catalog';
import { diffContracts, expectedVersion } from './compatibility';
import { buildContract, CONTRACT_FILE, parseContract, renderContract } from './contract-file';
import { DOCS_FILE, renderDocs } from './docs';
import { checkSynthesized, type ContractProblem } from './synthesized';

export interface ContractCheckInput {
  readonly environments: readonly EnvironmentConfig[];
  /** Text of the committed `contract/outputs.json`, undefined when the file does not exist. */
  readonly committed: string | undefined;
  /** Text of the committed `docs/outputs.md`, undefined when the file does not exist. */
  readonly docs: string | undefined;
  readonly stacks: readonly StackDocument[];
  readonly schemas?: SchemaSet;
  readonly catalog?: readonly ContractEntry[];
}

/**
 * `contract:check`: the committed contract matches the catalog (else it says which version to
 * generate), the docs match the committed contract, and the synthesized stacks publish exactly the
 * catalog in every environment.
 */
export function checkContract(input: ContractCheckInput): ContractProblem[] {
  const catalog = input.catalog ?? CONTRACT;
  const project = input.environments[0]?.project;
  if (!project) return [{ stack: CONTRACT_FILE, message: 'no environment configured' }];
  if (input.committed === undefined) {
    return [
      { stack: CONTRACT_FILE, message: `${CONTRACT_FILE} does not exist: run npm run contract:generate -- --version 1.0.0 and commit it` },
    ];
  }
  const problems: ContractProblem[] = [];
  const committed = parseContract(input.committed);
  const current = buildContract(committed.version, project, catalog);
  if (renderContract(current) !== input.committed) {
    const changes = diffContracts(committed, current);
    const version = expectedVersion(committed, changes);
    const detail = changes.length > 0 ? `:\n${changes.map((c) => `  - ${c.level}: ${c.message}`).join('\n')}` : ' (formatting only)';
    problems.push({
      stack: CONTRACT_FILE,
      message:
        `out of date with src/contract/catalog.ts and config/project.json${detail}\n` +
        `  run npm run contract:generate -- --version ${version} and commit ${CONTRACT_FILE} and ${DOCS_FILE}`,
    });
  } else if (renderDocs(committed, input.environments) !== input.docs) {
    problems.push({
      stack: DOCS_FILE,
      message: `${input.docs === undefined ? 'missing' : 'out of date'}: run npm run contract:generate and commit ${DOCS_FILE}`,
    });
  }
  problems.push(
    ...checkSynthesized({
      stacks: input.stacks,
      catalog,
      project: project.project,
      environments: input.environments.map((e) => e.name),
      ...(input.schemas ? { schemas: input.schemas } : {}),
    }),
  );
  return problems;
}
