import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load';
import { compareEnvironments } from '../../src/environment-tiers';
import { CONFIG_DIR, exampleEnvironments, rawConfig, rawConfigOfTier } from '../support/synth';
import { escapeRegExp } from '../../src/regexp';

const work = mkdtempSync(join(tmpdir(), 'across-environments-'));
after(() => rmSync(work, { recursive: true, force: true }));
let copies = 0;

const ordered = exampleEnvironments().sort(compareEnvironments);
const PRODUCTION = ordered.find((env) => env.tier === 'production')!.name;
const [FIRST, BUNDLED_SECOND] = ordered.filter((env) => env.tier !== 'production').map((env) => env.name) as [string, string?];
/**
 * The cases need two environments below production. Where config keeps one (dev and prod), each copy gets a second:
 * a staging environment with zones and a GitHub environment of its own.
 */
const SECOND = BUNDLED_SECOND ?? ['qa', 'qa2'].find((name) => !ordered.some((env) => env.name === name))!;
function addSecond(dir: string): void {
  if (BUNDLED_SECOND) return;
  const { environment } = rawConfigOfTier('staging');
  const zone = `${SECOND}-${environment.cloudflareZone}`;
  Object.assign(environment, { name: SECOND, domain: zone, cloudflareZone: zone });
  environment.edge.email.domain = zone;
  environment.edge.userContentDomain = `${SECOND}-${environment.edge.userContentDomain}`;
  environment.ci.applyEnvironment = SECOND;
  writeFileSync(join(dir, 'environments', `${SECOND}.json`), JSON.stringify(environment));
}

/** A copy of the bundled config with some environment files changed, loaded as a whole (or only `only`). */
function load(change: Record<string, (env: any) => void>, only?: string[]) {
  const dir = join(work, String(copies++));
  cpSync(CONFIG_DIR, dir, { recursive: true });
  addSecond(dir);
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

/** The bundled zones the cases reuse: production's app zone and the first other environment's user-content zone. */
const PROD_ZONE: string = rawConfig(PRODUCTION).environment.cloudflareZone;
const FIRST_USER_CONTENT: string = rawConfig(FIRST).environment.edge.userContentDomain;
const file = (name: string) => escapeRegExp(`${name}.json`);

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
    const found = problems(load({ [FIRST]: appZone(PROD_ZONE) }));
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      new RegExp(
        `^${file(FIRST)}: cloudflareZone: is the zone of the production environment ${PRODUCTION} ` +
          '\\(.*\\); a \\w+ environment needs a zone',
      ),
    );
  });

  it('refuse two non-production environments sharing a zone, also when only one is synthesized', () => {
    const shared = { [SECOND]: (env: any) => (env.edge.userContentDomain = FIRST_USER_CONTENT) };
    for (const only of [undefined, [PRODUCTION]]) {
      const found = problems(load(shared, only));
      assert.deepEqual(
        found.map((p) => p.split(': ').slice(0, 2).join(': ')).sort(),
        [`${FIRST}.json: edge.userContentDomain`, `${SECOND}.json: edge.userContentDomain`].sort(),
      );
      const [inFirst, inSecond] = [FIRST, SECOND].map((name) => found.find((p) => p.startsWith(`${name}.json`))!);
      assert.match(inFirst!, new RegExp(`is also a zone of ${SECOND} .*no two environments share a zone, nor the token that edits it`));
      assert.match(inSecond!, new RegExp(`is also a zone of ${FIRST} `));
    }
  });

  it('refuse a subdomain zone below Enterprise, and accept it on Enterprise', () => {
    const found = problems(load({ [FIRST]: appZone(`${FIRST}.${PROD_ZONE}`) }));
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      new RegExp(
        `^${file(FIRST)}: cloudflareZone: is a subdomain of ${escapeRegExp(PROD_ZONE)}, ` +
          `a zone of ${PRODUCTION} .*only on the enterprise plan`,
      ),
    );
    const onEnterprise = (env: any) => {
      appZone(`${FIRST}.${PROD_ZONE}`)(env);
      env.edge.zonePlan = 'enterprise';
    };
    assert.deepEqual(problems(load({ [FIRST]: onEnterprise })), []);
  });

  it("refuse user content below another environment's app zone, whatever its plan", () => {
    const found = problems(
      load({
        [SECOND]: (env: any) =>
          Object.assign(env.edge, { userContentDomain: `${SECOND}-media.${PROD_ZONE}`, userContentZonePlan: 'enterprise' }),
      }),
    );
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      new RegExp(
        `^${file(SECOND)}: edge\\.userContentDomain: is below ${escapeRegExp(PROD_ZONE)}, ` +
          `the app zone of ${PRODUCTION} .*would share a site`,
      ),
    );
  });
});

describe('GitHub environments across environments', () => {
  it('the bundled environments each apply through one of their own', () => {
    assert.deepEqual(problems(load({})), []);
  });

  it('refuse two environments applying through one GitHub environment, reported in both files', () => {
    const taken = rawConfig(PRODUCTION).environment.ci.applyEnvironment;
    const found = problems(load({ [FIRST]: (env: any) => (env.ci.applyEnvironment = taken) }, [FIRST]));
    assert.deepEqual(
      found.map((p) => p.split(': ').slice(0, 2).join(': ')).sort(),
      [`${FIRST}.json: ci.applyEnvironment`, `${PRODUCTION}.json: ci.applyEnvironment`].sort(),
    );
    const [inFirst, inProduction] = [FIRST, PRODUCTION].map((name) => found.find((p) => p.startsWith(`${name}.json`))!);
    assert.match(
      inFirst!,
      new RegExp(`is also the GitHub environment of ${PRODUCTION} \\(.*${file(PRODUCTION)}\\); each environment needs its own`),
    );
    assert.match(inProduction!, new RegExp(`is also the GitHub environment of ${FIRST} \\(`));
  });
});
