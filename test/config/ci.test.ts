import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_RUNNER_CONCURRENCY, RUNNER_COMPUTE_TYPES, RUNNER_DEFAULTS } from '../../src/config/schema/ci';
import { configOfTier, configWith, exampleEnvironmentNames, rawConfig } from '../support/synth';

const ENVIRONMENTS = exampleEnvironmentNames();

describe('ci.runner config', () => {
  for (const name of ENVIRONMENTS) {
    it(`${name}: takes the fields its file leaves out from its tier's defaults`, () => {
      const config = configWith(name, (r) => delete r.environment.ci.runner);
      assert.deepEqual(config.ci.runner, RUNNER_DEFAULTS[config.tier]);
    });
  }

  it('keeps the fields a file sets and defaults only the others', () => {
    const config = configOfTier('development', (r) => (r.environment.ci.runner = { concurrency: 5 }));
    assert.deepEqual(config.ci.runner, { computeType: RUNNER_DEFAULTS.development.computeType, concurrency: 5 });
  });

  it('the bundled files resolve to what they set over their tier defaults', () => {
    for (const name of ENVIRONMENTS) {
      const config = configWith(name, () => undefined);
      assert.deepEqual(config.ci.runner, { ...RUNNER_DEFAULTS[config.tier], ...rawConfig(name).environment.ci.runner });
    }
  });

  it('every tier default is itself valid', () => {
    for (const defaults of Object.values(RUNNER_DEFAULTS)) {
      assert.ok((RUNNER_COMPUTE_TYPES as readonly string[]).includes(defaults.computeType));
      assert.ok(Number.isInteger(defaults.concurrency) && defaults.concurrency >= 1 && defaults.concurrency <= MAX_RUNNER_CONCURRENCY);
    }
  });
});
