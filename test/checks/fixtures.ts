import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackDocument, type StackDocument, type TerraformJson } from '../../src/checks/terraform-json';

/** Repository root, from dist/test/checks. */
export { PROJECT_ROOT as REPO_ROOT } from '../../src/project-root';
import { PROJECT_ROOT as REPO_ROOT } from '../../src/project-root';
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'checks');

export function fixturePath(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function readFixture(...parts: string[]): TerraformJson {
  return JSON.parse(readFileSync(fixturePath(...parts), 'utf8')) as TerraformJson;
}

/** A stack from a document; `text` is rendered as cdktn does (2-space JSON) so line numbers resolve. */
export function stackOf(doc: TerraformJson, name = 'dev-network'): StackDocument {
  return stackDocument(name, doc, `cdktf.out/stacks/${name}/cdk.tf.json`, JSON.stringify(doc, null, 2));
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
