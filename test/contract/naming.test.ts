import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAPABILITIES } from '../../src/config/schema/project';
import { CONTRACT, isConsumedBy } from '../../src/contract/catalog';
import { compareVersions, parseVersion } from '../../src/contract/semver';
import { exampleEnvironments } from '../support/synth';

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
/** `<component>` prefixes: one per kind of thing the platform provides. */
const COMPONENTS = [
  ...['aws', 'vpc', 'eks', 'ci', 'ecr', 'service', 'deploy'],
  ...['rds', 'cache', 'opensearch', 'application', 'media', 'ses', 'email', 'public', 'alb'],
];
/** Words that name a secret value; such an entry is allowed only as the ARN of where the secret lives. */
const SECRET_WORDS = /(^|_)(password|passwd|token|secret|credentials?|private_key|api_key|auth)(_|$)/;

describe('outputs contract catalog', () => {
  it('names every output <component>_<attribute> in snake_case', () => {
    for (const entry of CONTRACT) {
      assert.match(entry.name, NAME, `${entry.name} is not snake_case <component>_<attribute>`);
      assert.ok(
        COMPONENTS.includes(entry.name.split('_')[0]!),
        `${entry.name}: component "${entry.name.split('_')[0]}" is not one of ${COMPONENTS.join(', ')}`,
      );
    }
  });

  it('has no duplicate names', () => {
    const names = CONTRACT.map((e) => e.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  it('publishes secrets only as ARNs', () => {
    for (const entry of CONTRACT) {
      // One ARN (`_arn`) or a map of them (`_arns`).
      if (SECRET_WORDS.test(entry.name))
        assert.match(entry.name, /_arns?$/, `${entry.name} looks like a secret value; publish the ARN of the secret instead`);
    }
  });

  it('describes every output in one sentence and dates it with a valid version', () => {
    for (const entry of CONTRACT) {
      assert.match(entry.description, /^[A-Z`].*\.$/, `${entry.name}: description must be a sentence ending with "."`);
      assert.doesNotThrow(() => parseVersion(entry.since), `${entry.name}: since`);
      assert.ok(compareVersions(entry.since, '1.0.0') >= 0, `${entry.name}: since ${entry.since} predates the first contract`);
    }
  });

  it('names only known capabilities and configured services as consumers', () => {
    const services = exampleEnvironments()[0]!.project.services.map((s) => s.name);
    for (const { name, consumers } of CONTRACT) {
      if (typeof consumers === 'string') continue;
      if ('capability' in consumers)
        assert.ok(CAPABILITIES.includes(consumers.capability), `${name}: unknown capability ${consumers.capability}`);
      else if ('anyCapability' in consumers) {
        assert.ok(consumers.anyCapability.length > 1, `${name}: anyCapability with one capability is { capability }`);
        for (const capability of consumers.anyCapability)
          assert.ok(CAPABILITIES.includes(capability), `${name}: unknown capability ${capability}`);
      } else
        for (const service of consumers.services)
          assert.ok(services.includes(service), `${name}: ${service} is not in config/project.json`);
    }
  });

  it('gives every output of a consumer-facing layer at least one reader or marks it platform-only', () => {
    const services = exampleEnvironments()[0]!.project.services;
    for (const entry of CONTRACT.filter((e) => e.consumers !== 'platform')) {
      const readers = services.filter((s) => isConsumedBy(entry, s));
      assert.ok(readers.length > 0, `${entry.name} has no consumer in config/project.json`);
    }
  });
});
