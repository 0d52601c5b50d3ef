import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTRACT, contractEntry, isConsumedBy, type ContractEntry } from '../../src/contract/catalog';
import { checkContract } from '../../src/contract/check';
import { generateContract, ReleaseError } from '../../src/contract/generate';
import { catalogWith, committedAt, environments, project } from './helpers';

/** Releases `catalog` over a contract committed at 1.2.3 for the unchanged catalog. */
function release(catalog: readonly ContractEntry[], version?: string) {
  return generateContract({ environments, previous: committedAt('1.2.3'), catalog, ...(version ? { version } : {}) });
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
const renamed = catalogWith('rds_port', (e) => ({ ...e, name: 'rds_listener_port', since: '2.0.0' }));
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
    assert.equal(release(CONTRACT).contract.version, '1.2.3');
    refused(CONTRACT, '1.2.4', /nothing changed since 1\.2\.3; keep that version/);
  });

  for (const [what, catalog, message] of [
    ['removing an output', removed, /removed "rds_port"/],
    ['renaming an output', renamed, /removed "rds_port" \(renamed to "rds_listener_port"\?/],
    ['changing the type of an output', retyped, /"rds_port": type changed from number to string/],
    ['changing the sensitivity of an output', sensitive, /"rds_endpoint_address": sensitive changed from false to true/],
  ] as const) {
    it(`${what} needs a major bump`, () => {
      refused(catalog, undefined, /rerun with --version 2\.0\.0/);
      refused(catalog, '1.3.0', /need a major bump to 2\.0\.0, not 1\.3\.0/);
      refused(catalog, '1.2.4', message);
      assert.equal(release(catalog, '2.0.0').contract.version, '2.0.0');
    });
  }

  it('adding an output needs a minor bump, and the new entry says since that version', () => {
    refused(added('1.3.0'), '1.2.4', /need a minor bump to 1\.3\.0, not 1\.2\.4:\n {2}- minor: added "rds_reader_endpoint_address"/);
    refused(added('1.3.0'), '2.0.0', /need a minor bump to 1\.3\.0, not 2\.0\.0/);
    refused(added('1.0.0'), '1.3.0', /"rds_reader_endpoint_address" is new in 1\.3\.0: set since: '1\.3\.0'/);
    const { contract } = release(added('1.3.0'), '1.3.0');
    assert.equal(contract.version, '1.3.0');
    const postgresRepositories = project.services.filter((s) => s.capabilities.includes('postgres')).map((s) => s.repository);
    assert.deepEqual(
      contract.outputs.find((o) => o.name === 'rds_reader_endpoint_address')?.consumers.repositories,
      [...postgresRepositories].sort(),
    );
  });

  it('a description change needs a patch bump', () => {
    const catalog = catalogWith('rds_port', (e) => ({ ...e, description: 'PostgreSQL port of the primary.' }));
    refused(catalog, '1.3.0', /need a patch bump to 1\.2\.4/);
    assert.equal(release(catalog, '1.2.4').contract.version, '1.2.4');
  });

  it('taking an output away from a consumer is major, giving one is minor', () => {
    const readersOf = (name: string) => project.services.filter((service) => isConsumedBy(contractEntry(name), service)).map((s) => s.name);
    const [dropped, ...kept] = readersOf('alb_target_group_arns');
    const narrower = catalogWith('alb_target_group_arns', (e) => ({ ...e, consumers: { services: kept } }));
    refused(narrower, '1.3.0', new RegExp(`major bump to 2\\.0\\.0.*\\n.*no longer readable by ${dropped}`));
    const searchReaders = readersOf('opensearch_endpoint');
    const newcomer = project.services.find((service) => !searchReaders.includes(service.name))!.name;
    const wider = catalogWith('opensearch_endpoint', (e) => ({ ...e, consumers: { services: [...searchReaders, newcomer] } }));
    refused(wider, '1.2.4', new RegExp(`minor bump to 1\\.3\\.0[\\s\\S]*now also readable by ${newcomer}`));
    assert.equal(release(wider, '1.3.0').contract.version, '1.3.0');
    const same = catalogWith('opensearch_endpoint', (e) => ({ ...e, consumers: { services: searchReaders } }));
    refused(same, '1.3.0', /patch bump to 1\.2\.4[\s\S]*consumer rule changed from capability:search-read to services/);
  });

  it('never lets the since of an existing output change', () => {
    refused(
      catalogWith('rds_port', (e) => ({ ...e, since: '1.1.0' })),
      '1.2.3',
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
    ['removed', removed, '2.0.0'],
    ['retyped', retyped, '2.0.0'],
    ['made sensitive', sensitive, '2.0.0'],
    ['added', added('1.3.0'), '1.3.0'],
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
