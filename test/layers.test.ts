import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS, parseStackName, stackName } from '../src/layers';

describe('stack names', () => {
  it('parse back into the environment and layer they were built from', () => {
    for (const environment of ['dev', 'qa', 'prod-eu']) {
      for (const layer of LAYERS) assert.deepEqual(parseStackName(stackName(environment, layer)), { environment, layer });
    }
  });

  it('that do not end in -<layer> after an environment parse to nothing', () => {
    for (const name of ['cf', 'dev', 'dev-database', 'dev-edges', '-edge', 'edge', 'dev_edge']) {
      assert.equal(parseStackName(name), undefined, name);
    }
  });
});
