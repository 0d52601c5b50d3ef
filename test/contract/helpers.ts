import type { ContractEntry } from '../../src/contract/catalog';
import { stackDocument, type StackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { CONTRACT } from '../../src/contract/catalog';
import { buildContract, renderContract } from '../../src/contract/contract-file';
import { exampleEnvironments, exampleStacks } from '../support/synth';

export const environments = exampleEnvironments();
export const project = environments[0]!.project;

/** The catalog with one entry changed (or removed when `change` returns undefined). */
export function catalogWith(name: string, change: (entry: ContractEntry) => ContractEntry | undefined): ContractEntry[] {
  const found = CONTRACT.some((e) => e.name === name);
  if (!found) throw new Error(`no catalog entry ${name}`);
  return CONTRACT.flatMap((e) => (e.name === name ? [change(e)].filter((x): x is ContractEntry => x !== undefined) : [e]));
}

/** A committed contract at `version` for the current catalog. */
export function committedAt(version: string, catalog: readonly ContractEntry[] = CONTRACT): string {
  return renderContract(buildContract(version, project, catalog));
}

/** Deep copies of the example stacks as StackDocuments, for tests that mutate them. */
export function exampleDocuments(): StackDocument[] {
  return [...exampleStacks()].map(([name, doc]) => stackDocument(name, structuredClone(doc) as TerraformJson));
}

export function documentNamed(stacks: readonly StackDocument[], name: string): any {
  const found = stacks.find((s) => s.name === name);
  if (!found) throw new Error(`no stack ${name}`);
  return found.doc;
}
