// The committed Kubernetes schema subset and bindings are what `npm run bindings:kubernetes` makes of the
// declared type list: nobody edited them by hand or changed the list without regenerating.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import {
  BINDINGS_DIR,
  buildKubernetesSubset,
  DEFAULT_FULL_SCHEMA,
  KUBERNETES_PROVIDER_ADDRESS,
  KUBERNETES_RESOURCE_TYPES,
  listFiles,
  renderKubernetesBindings,
  SUBSET_FILE,
  subsetText,
} from '../../scripts/kubernetes-bindings';
import type { ProviderSchemasFile } from '../../src/checks/schema/provider-schema';

const REGENERATE = 'run `npm run bindings:kubernetes` and commit schemas/kubernetes-provider-subset.json and src/generated/kubernetes/';
const committedText = readFileSync(SUBSET_FILE, 'utf8');
const committed = JSON.parse(committedText) as ProviderSchemasFile;
const fullSchemaAbsent = existsSync(DEFAULT_FULL_SCHEMA)
  ? false
  : `${DEFAULT_FULL_SCHEMA} not found (CI has it): the subset is not compared with a fresh cut`;

describe('committed Kubernetes subset and bindings', () => {
  it('the subset holds exactly the declared resource types, no data sources, and a provider block', () => {
    assert.deepEqual(Object.keys(committed.provider_schemas), [KUBERNETES_PROVIDER_ADDRESS]);
    const schema = committed.provider_schemas[KUBERNETES_PROVIDER_ADDRESS]!;
    assert.deepEqual(Object.keys(schema.resource_schemas ?? {}), [...KUBERNETES_RESOURCE_TYPES].sort(), REGENERATE);
    assert.deepEqual(schema.data_source_schemas, {});
    assert.ok(schema.provider?.block.block_types?.exec, 'the provider block with its exec block');
  });

  it('the subset is the full provider schema cut to the declared types', { skip: fullSchemaAbsent }, () => {
    const { subset, missing } = buildKubernetesSubset(JSON.parse(readFileSync(DEFAULT_FULL_SCHEMA, 'utf8')) as ProviderSchemasFile);
    assert.deepEqual(missing, []);
    assert.ok(subsetText(subset) === committedText, `schemas/kubernetes-provider-subset.json is stale: ${REGENERATE}`);
  });

  it('the bindings are what the generator makes of the committed subset', async () => {
    const expected = await renderKubernetesBindings(committed);
    const actual = new Map(listFiles(BINDINGS_DIR).map((file) => [relative(BINDINGS_DIR, file), readFileSync(file, 'utf8')]));
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), REGENERATE);
    const differing = [...expected].filter(([path, text]) => actual.get(path) !== text).map(([path]) => path);
    assert.deepEqual(differing, [], `edited or stale generated files: ${REGENERATE}`);
  });
});
