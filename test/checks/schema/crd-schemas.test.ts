// The CRD schemas are committed (schemas/kubernetes-crds/) so the checks run without ../shared; this keeps the
// copies equal to the shared originals wherever those are present.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SCHEMAS_DIR } from '../../../src/cli/check';
import { CRD_SCHEMAS_DIR_NAME, CUSTOM_RESOURCE_KINDS, CustomResourceSchemas, schemaFileName } from '../../../src/checks/schema/manifest';
import { REPO_ROOT } from '../fixtures';

const COMMITTED = join(SCHEMAS_DIR, CRD_SCHEMAS_DIR_NAME);
const SHARED = join(REPO_ROOT, '..', 'shared', 'kubernetes-crd-schemas');
const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();

describe('committed custom resource schemas', () => {
  it('load, with a catalog entry (apiVersion, kind, scope) for every file', () => {
    assert.doesNotThrow(() => CustomResourceSchemas.fromDir(COMMITTED));
    assert.deepEqual(jsonFiles(COMMITTED), CUSTOM_RESOURCE_KINDS.map(schemaFileName).sort());
  });

  const skip = existsSync(SHARED) ? false : `${SHARED} is absent: the copies are not compared`;
  it('equal the schemas in ../shared/kubernetes-crd-schemas', { skip }, () => {
    assert.deepEqual(jsonFiles(COMMITTED), jsonFiles(SHARED), 'the same files');
    for (const file of jsonFiles(SHARED)) {
      const [copy, original] = [readFileSync(join(COMMITTED, file), 'utf8'), readFileSync(join(SHARED, file), 'utf8')];
      assert.equal(copy, original, `${file} differs from ../shared: copy it again`);
    }
  });
});
