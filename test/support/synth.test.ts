import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS, stackName } from '../../src/layers';
import { CROSS_STACK_OUTPUT_PREFIX } from '../../src/checks/terraform-json';
import { exampleEnvironments, exampleStacks, stack, synthesizeLayer, type TerraformJson } from './synth';

const isCrossStack = (name: unknown) => typeof name === 'string' && name.startsWith(CROSS_STACK_OUTPUT_PREFIX);
const withoutCrossStack = <T>(record: Record<string, T>, nameOf: (key: string, value: T) => unknown) =>
  Object.fromEntries(Object.entries(record).filter(([key, value]) => !isCrossStack(nameOf(key, value))));

/** The document without its cross-stack outputs and cdktn's record of them (`//.outputs.<stack>`: construct id → name). */
function withoutCrossStackOutputs({ output, ...rest }: TerraformJson): TerraformJson {
  const metadata = rest['//'] as { outputs: Record<string, Record<string, unknown>> };
  const recorded = Object.fromEntries(
    Object.entries(metadata.outputs).map(([stackId, ids]) => [stackId, withoutCrossStack(ids, (_, name) => name)]),
  );
  const outputs = withoutCrossStack(output ?? {}, (name) => name);
  return { ...rest, '//': { ...metadata, outputs: recorded }, ...(Object.keys(outputs).length > 0 ? { output: outputs } : {}) };
}

describe('synthesizeLayer', () => {
  const [config] = exampleEnvironments();
  // The first layer that others reference (its outputs come from later layers' references) and the last one.
  for (const layer of [LAYERS[1], LAYERS.at(-1)!]) {
    it(`gives the ${layer} document of the whole app's synth, but for the outputs later layers add to it`, () => {
      assert.deepEqual(synthesizeLayer(config!, layer), withoutCrossStackOutputs(stack(exampleStacks(), stackName(config!.name, layer))));
    });
  }

  it('the network layer has outputs that later layers add, so the comparison above can tell them apart', () => {
    const outputs = Object.keys(stack(exampleStacks(), stackName(config!.name, LAYERS[1])).output ?? {});
    assert.ok(outputs.some((name) => name.startsWith(CROSS_STACK_OUTPUT_PREFIX)));
  });
});
