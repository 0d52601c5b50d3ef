import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTRACT, contractEntry, isConsumedBy, type ContractEntry } from '../../src/contract/catalog';
import { checkContract } from '../../src/contract/check';
import { generateContract, ReleaseError } from '../../src/contract/generate';
import { bump, compareVersions } from '../../src/contract/semver';
import { catalogWith, committedAt, environments, project } from './helpers';

/**
 * The version the contract is released over: the newest `since` of the catalog (a release at least that recent), so
 * that a catalog which gains an output in a new version needs no change here. The bumps follow from it.
 */
const BASE = CONTRACT.map((entry) => entry.since).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
const [PATCH, MINOR, MAJOR] = (['patch', 'minor', 'major'] as const).map((level) => bump(BASE, level)) as [string, string, string];
/** A version as it appears in a message, for a RegExp. */
const v = (version: string) => version.replaceAll('.', '\\.');

/** Releases `catalog` over a contract committed at BASE for the unchanged catalog. */
function release(catalog: readonly ContractEntry[], version?: string) {
  return generateContract({ environments, previous: committedAt(BASE), catalog, ...(version ? { version } : {}) });
}

function refused(catalog: readonly ContractEntry[], version: string | undefined, message: RegExp): void {
  assert.throws(
    () => release(catalog, version),
    (error: unknown) => {
      assert.ok(error instanceof ReleaseError, String(error));
      assert.match(error.message, message);
      return true;
    },
  );
}

const removed = catalogWith('rds_port', () => undefined);
const renamed = catalogWith('rds_port', (e) => ({ ...e, name: 'rds_listener_port', since: MAJOR }));
const retyped = catalogWith('rds_port', (e) => ({ ...e, type: 'string' }));
const sensitive = catalogWith('rds_endpoint_address', (e) => ({ ...e, sensitive: true }));
const added = (since: string): ContractEntry[] => [
  ...CONTRACT,
  {
    name: 'rds_reader_endpoint_address',
    description: 'Host name of the read replicas.',
    type: 'string',
    sensitive: false,
    layer: 'data',
    consumers: { capability: 'postgres' },
    since,
  },
];

describe('contract compatibility (contract:generate refuses a version that does not match the change)', () => {
  it('keeps the version when nothing changed, and refuses any other', () => {
    assert.equal(release(CONTRACT).contract.version, BASE);
    refused(CONTRACT, PATCH, new RegExp(`nothing changed since ${v(BASE)}; keep that version`));
  });

  for (const [what, catalog, message] of [
    ['removing an output', removed, /removed "rds_port"/],
    ['renaming an output', renamed, /removed "rds_port" \(renamed to "rds_listener_port"\?/],
    ['changing the type of an output', retyped, /"rds_port": type changed from number to string/],
    ['changing the sensitivity of an output', sensitive, /"rds_endpoint_address": sensitive changed from false to true/],
  ] as const) {
    it(`${what} needs a major bump`, () => {
      refused(catalog, undefined, new RegExp(`rerun with --version ${v(MAJOR)}`));
      refused(catalog, MINOR, new RegExp(`need a major bump to ${v(MAJOR)}, not ${v(MINOR)}`));
      refused(catalog, PATCH, message);
      assert.equal(release(catalog, MAJOR).contract.version, MAJOR);
    });
  }

  it('adding an output needs a minor bump, and the new entry says since that version', () => {
    refused(
      added(MINOR),
      PATCH,
      new RegExp(`need a minor bump to ${v(MINOR)}, not ${v(PATCH)}:\\n {2}- minor: added "rds_reader_endpoint_address"`),
    );
    refused(added(MINOR), MAJOR, new RegExp(`need a minor bump to ${v(MINOR)}, not ${v(MAJOR)}`));
    refused(added('1.0.0'), MINOR, new RegExp(`"rds_reader_endpoint_address" is new in ${v(MINOR)}: set since: '${v(MINOR)}'`));
    const { contract } = release(added(MINOR), MINOR);
    assert.equal(contract.version, MINOR);
    const postgresRepositories = project.services.filter((s) => s.capabilities.includes('postgres')).map((s) => s.repository);
    assert.deepEqual(
      contract.outputs.find((o) => o.name === 'rds_reader_endpoint_address')?.consumers.repositories,
      [...postgresRepositories].sort(),
    );
  });

  it('a description change needs a patch bump', () => {
    const catalog = catalogWith('rds_port', (e) => ({ ...e, description: 'PostgreSQL port of the primary.' }));
    refused(catalog, MINOR, new RegExp(`need a patch bump to ${v(PATCH)}`));
    assert.equal(release(catalog, PATCH).contract.version, PATCH);
  });

  it('taking an output away from a consumer is major, giving one is minor', () => {
    const readersOf = (name: string) => project.services.filter((service) => isConsumedBy(contractEntry(name), service)).map((s) => s.name);
    const [dropped, ...kept] = readersOf('alb_target_group_arns');
    const narrower = catalogWith('alb_target_group_arns', (e) => ({ ...e, consumers: { services: kept } }));
    refused(narrower, MINOR, new RegExp(`major bump to ${v(MAJOR)}.*\\n.*no longer readable by ${dropped}`));
    const searchReaders = readersOf('opensearch_endpoint');
    const newcomer = project.services.find((service) => !searchReaders.includes(service.name))!.name;
    const wider = catalogWith('opensearch_endpoint', (e) => ({ ...e, consumers: { services: [...searchReaders, newcomer] } }));
    refused(wider, PATCH, new RegExp(`minor bump to ${v(MINOR)}[\\s\\S]*now also readable by ${newcomer}`));
    assert.equal(release(wider, MINOR).contract.version, MINOR);
    const same = catalogWith('opensearch_endpoint', (e) => ({ ...e, consumers: { services: searchReaders } }));
    refused(same, MINOR, new RegExp(`patch bump to ${v(PATCH)}[\\s\\S]*consumer rule changed from capability:search-read to services`));
  });

  it('never lets the since of an existing output change', () => {
    refused(
      catalogWith('rds_port', (e) => ({ ...e, since: '1.1.0' })),
      BASE,
      /"rds_port" was added in 1\.0\.0; its since must stay 1\.0\.0/,
    );
  });

  it('refuses a version that is not MAJOR.MINOR.PATCH', () => {
    assert.throws(() => release(CONTRACT, 'v1.2'), /"v1\.2" is not a semantic version/);
  });
});

describe('contract:check against the committed contract', () => {
  it('passes when the committed contract and docs match the catalog', () => {
    const generated = release(CONTRACT);
    const problems = checkContract({ environments, committed: generated.contractText, docs: generated.docsText, stacks: [] }).filter(
      (p) => !p.message.includes('not synthesized'),
    );
    assert.deepEqual(problems, []);
  });

  for (const [what, catalog, version] of [
    ['removed', removed, MAJOR],
    ['retyped', retyped, MAJOR],
    ['made sensitive', sensitive, MAJOR],
    ['added', added(MINOR), MINOR],
  ] as const) {
    it(`fails when an output was ${what} without regenerating, naming the version to release (${version})`, () => {
      const generated = release(CONTRACT);
      const [problem] = checkContract({ environments, committed: generated.contractText, docs: generated.docsText, stacks: [], catalog });
      assert.equal(problem?.stack, 'contract/outputs.json');
      assert.match(
        problem!.message,
        new RegExp(
          `out of date with src/contract/catalog\\.ts[\\s\\S]*run npm run contract:generate -- --version ${version.replace(/\./g, '\\.')}`,
        ),
      );
    });
  }

  it('fails when the docs are stale, naming the command', () => {
    const generated = release(CONTRACT);
    const [problem] = checkContract({
      environments,
      committed: generated.contractText,
      docs: generated.docsText.replace('PostgreSQL port.', 'Port.'),
      stacks: [],
    });
    assert.equal(problem?.stack, 'docs/outputs.md');
    assert.match(problem!.message, /out of date: run npm run contract:generate/);
  });

  it('fails when there is no committed contract', () => {
    const [problem] = checkContract({ environments, committed: undefined, docs: undefined, stacks: [] });
    assert.match(problem!.message, /does not exist: run npm run contract:generate -- --version 1\.0\.0/);
  });
});
