import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load';
import { CONFIG_DIR, rawConfig } from '../support/synth';
import { escapeRegExp } from '../../src/regexp';

const work = mkdtempSync(join(tmpdir(), 'across-environments-'));
after(() => rmSync(work, { recursive: true, force: true }));
let copies = 0;

/** A copy of the bundled config with some environment files changed, loaded as a whole (or only `only`). */
function load(change: Partial<Record<'dev' | 'staging' | 'prod', (env: any) => void>>, only?: string[]) {
  const dir = join(work, String(copies++));
  cpSync(CONFIG_DIR, dir, { recursive: true });
  for (const [name, mutate] of Object.entries(change)) {
    const file = join(dir, 'environments', `${name}.json`);
    const env = JSON.parse(readFileSync(file, 'utf8'));
    mutate!(env);
    writeFileSync(file, JSON.stringify(env));
  }
  return () => loadConfig(dir, only);
}

/** The problems of a load, as `<file name>: <path>: <message>`. */
function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.file.split('/').pop()}: ${p.path}: ${p.message}`);
  }
  return [];
}

/** The bundled zones the cases reuse: production's app zone and dev's user-content zone. */
const PROD_ZONE: string = rawConfig('prod').environment.cloudflareZone;
const DEV_USER_CONTENT: string = rawConfig('dev').environment.edge.userContentDomain;

const appZone = (zone: string) => (env: any) => {
  env.domain = zone;
  env.cloudflareZone = zone;
  env.edge.email.domain = zone;
};

describe('zones across environments', () => {
  it('the bundled environments each have zones of their own', () => {
    assert.deepEqual(problems(load({})), []);
  });

  it('refuse a non-production environment in the production zone, reported where it is fixed', () => {
    const found = problems(load({ dev: appZone(PROD_ZONE) }));
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      /^dev\.json: cloudflareZone: is the zone of the production environment prod \(.*\); a development environment needs a zone/,
    );
  });

  it('refuse two non-production environments sharing a zone, also when only one is synthesized', () => {
    const shared = { staging: (env: any) => (env.edge.userContentDomain = DEV_USER_CONTENT) };
    for (const only of [undefined, ['prod']]) {
      const found = problems(load(shared, only));
      assert.deepEqual(
        found.map((p) => p.split(': ').slice(0, 2).join(': ')),
        ['dev.json: edge.userContentDomain', 'staging.json: edge.userContentDomain'],
      );
      assert.match(found[0]!, /is also a zone of staging .*no two environments share a zone, nor the token that edits it/);
      assert.match(found[1]!, /is also a zone of dev /);
    }
  });

  it('refuse a subdomain zone below Enterprise, and accept it on Enterprise', () => {
    const found = problems(load({ dev: appZone(`dev.${PROD_ZONE}`) }));
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      new RegExp(`^dev\\.json: cloudflareZone: is a subdomain of ${escapeRegExp(PROD_ZONE)}, a zone of prod .*only on the enterprise plan`),
    );
    const onEnterprise = (env: any) => {
      appZone(`dev.${PROD_ZONE}`)(env);
      env.edge.zonePlan = 'enterprise';
    };
    assert.deepEqual(problems(load({ dev: onEnterprise })), []);
  });

  it("refuse user content below another environment's app zone, whatever its plan", () => {
    const found = problems(
      load({
        staging: (env: any) =>
          Object.assign(env.edge, { userContentDomain: `staging-media.${PROD_ZONE}`, userContentZonePlan: 'enterprise' }),
      }),
    );
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      new RegExp(
        `^staging\\.json: edge\\.userContentDomain: is below ${escapeRegExp(PROD_ZONE)}, the app zone of prod .*would share a site`,
      ),
    );
  });
});

describe('GitHub environments across environments', () => {
  it('the bundled environments each apply through one of their own', () => {
    assert.deepEqual(problems(load({})), []);
  });

  it('refuse two environments applying through one GitHub environment, reported in both files', () => {
    const found = problems(load({ dev: (env: any) => (env.ci.applyEnvironment = 'staging') }, ['dev']));
    assert.deepEqual(
      found.map((p) => p.split(': ').slice(0, 2).join(': ')),
      ['dev.json: ci.applyEnvironment', 'staging.json: ci.applyEnvironment'],
    );
    assert.match(found[0]!, /is also the GitHub environment of staging \(.*staging\.json\); each environment needs its own/);
    assert.match(found[1]!, /is also the GitHub environment of dev \(/);
  });
});
