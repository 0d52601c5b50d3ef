import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS, stackName } from '../../src/layers';
import { exampleEnvironments, exampleStacks, stack, synthesizeLayer } from './synth';

describe('synthesizeLayer', () => {
  const [config] = exampleEnvironments();
  // The first layer that others reference (its outputs come from later layers' references) and the last one.
  for (const layer of [LAYERS[1], LAYERS.at(-1)!]) {
    it(`gives the same ${layer} document as synthesizing the whole app`, () => {
      assert.deepEqual(synthesizeLayer(config!, layer), stack(exampleStacks(), stackName(config!.name, layer)));
    });
  }
});
