import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { REFERENCE_FILE } from '../../src/config/load';
import { configFields, UndescribedFieldsError, type ConfigField } from '../../src/config/reference/fields';
import { ENVIRONMENT_TIERS, type EnvironmentTier } from '../../src/environment-tiers';
import { documentedFields, renderReference, slug } from '../../src/config/reference/markdown';
import { RUNNER_DEFAULTS } from '../../src/config/schema/ci';
import { NAMESPACE_SIZING_BY_TIER } from '../../src/config/schema/cluster';
import { CONFIG_DIR, rawConfigOfTier, REPO_ROOT } from '../support/synth';

const [projectFields, environmentFields] = documentedFields().map((d) => d.fields);

function field(fields: readonly ConfigField[], path: string): ConfigField {
  const found = fields.find((f) => f.path === path);
  assert.ok(found, `the reference has no field ${path}`);
  return found;
}

/** The field a path of a file resolves to, following `sameFieldsAs` (`…workload.limits.cpu` → `…system.limits.cpu`). */
function resolve(fields: readonly ConfigField[], path: string): ConfigField | undefined {
  const exact = fields.find((f) => f.path === path);
  if (exact) return exact;
  const alias = fields.find((f) => f.sameFieldsAs && (path.startsWith(`${f.path}.`) || path.startsWith(`${f.path}[]`)));
  return alias ? resolve(fields, alias.sameFieldsAs + path.slice(alias.path.length)) : undefined;
}

/** Every path a JSON document sets, in the reference's notation (`[]` for items, `<key>` for map keys). */
function pathsIn(value: unknown, fields: readonly ConfigField[], prefix = ''): string[] {
  // An item that is a string or number is what the list's own row describes.
  if (Array.isArray(value)) {
    return [prefix, ...value.flatMap((item) => pathsIn(item, fields, `${prefix}[]`)).filter((p) => p !== `${prefix}[]`)];
  }
  if (value === null || typeof value !== 'object') return [prefix];
  const isMap = prefix !== '' && resolve(fields, prefix)?.type.startsWith('map of');
  const own = prefix === '' ? [] : [prefix];
  const childPath = (key: string) => (prefix ? `${prefix}.${isMap ? '<key>' : key}` : key);
  return [...own, ...Object.entries(value).flatMap(([key, child]) => pathsIn(child, fields, childPath(key)))];
}

describe('configuration reference', () => {
  it(`${REFERENCE_FILE} matches what npm run config:reference writes`, () => {
    const committed = readFileSync(join(REPO_ROOT, REFERENCE_FILE), 'utf8');
    assert.equal(committed, renderReference(), `${REFERENCE_FILE} is stale: run npm run config:reference and commit it`);
  });

  it('every link into the reference from the README and docs/ names one of its headings', () => {
    const anchors = new Set([...renderReference().matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!)));
    const areaDocs = readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    const docs = ['README.md', 'CONTRIBUTING.md', ...areaDocs.map((f) => `docs/${f}`)];
    const links = docs.flatMap((file) =>
      [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/configuration\.md#([\w-]+)/g)].map((m) => ({ file, anchor: m[1]! })),
    );
    assert.ok(links.length > 0);
    assert.deepEqual(
      links.filter((link) => !anchors.has(link.anchor)),
      [],
      'links to headings docs/configuration.md does not have',
    );
  });

  it('lists every field the bundled configuration sets, and a service namespace override', () => {
    const dev = rawConfigOfTier('development').environment;
    dev.cluster.serviceNamespaces = { 'svc-feed': { quota: { pods: 30 }, containerDefaults: { memoryLimit: '1Gi' } } };
    const files = [
      { fields: environmentFields!, document: dev },
      { fields: projectFields!, document: JSON.parse(readFileSync(join(CONFIG_DIR, 'project.json'), 'utf8')) },
      ...readdirSync(join(CONFIG_DIR, 'environments')).map((file) => ({
        fields: environmentFields!,
        document: JSON.parse(readFileSync(join(CONFIG_DIR, 'environments', file), 'utf8')),
      })),
    ];
    for (const { fields, document } of files) {
      // A map entry is described by the map's row; its fields have rows of their own.
      const missing = pathsIn(document, fields).filter((path) => !path.endsWith('.<key>') && !resolve(fields, path));
      assert.deepEqual(missing, [], 'fields set in config/ but missing from the reference');
    }
  });

  it('renders defaults, required and optional fields as the schema decides them', () => {
    const bootstrapState = field(environmentFields!, 'stateBackend.bootstrapStateInBucket');
    assert.deepEqual([bootstrapState.type, bootstrapState.presence, bootstrapState.defaultValue], ['boolean', 'default', false]);
    assert.equal(field(environmentFields!, 'network.vpcCidr').presence, 'required');
    assert.equal(field(environmentFields!, 'assumeRoleArn').presence, 'optional');
    assert.deepEqual(field(projectFields!, 'services[].port').defaultValue, 8080);
    assert.match(renderReference(), /\| `stateBackend\.bootstrapStateInBucket` \| boolean \| `false` \|/);
  });

  it('renders the per-tier defaults from the tables that decide them', () => {
    const expected: Record<string, (tier: EnvironmentTier) => unknown> = {
      'ci.runner.computeType': (t) => RUNNER_DEFAULTS[t].computeType,
      'ci.runner.concurrency': (t) => RUNNER_DEFAULTS[t].concurrency,
      'cluster.namespaces.quota.pods': (t) => NAMESPACE_SIZING_BY_TIER[t].quota.pods,
      'cluster.namespaces.containerDefaults.maxMemoryLimit': (t) => NAMESPACE_SIZING_BY_TIER[t].containerDefaults.maxMemoryLimit,
    };
    const text = renderReference();
    for (const [path, byTier] of Object.entries(expected)) {
      const row = field(environmentFields!, path);
      assert.equal(row.presence, 'tier-default');
      assert.deepEqual(row.tierDefaults, Object.fromEntries(ENVIRONMENT_TIERS.map((t) => [t, byTier(t)])));
      const cells = ENVIRONMENT_TIERS.map((t) => `\`${JSON.stringify(byTier(t))}\``).join(' | ');
      assert.ok(text.includes(`| \`${path}\` | ${cells} |`), `the per-tier table has no row ${path} with ${cells}`);
    }
  });

  it("shows what is allowed in the schema's own words", () => {
    assert.deepEqual(field(environmentFields!, 'accountId').constraints, ['must be a 12-digit AWS account id, e.g. "123456789012"']);
    assert.deepEqual(field(environmentFields!, 'network.natGateways').constraints, ['one of `"per-az"`, `"single"`']);
    assert.deepEqual(field(environmentFields!, 'stateBackend.accessLogRetentionDays').constraints, ['30–3650']);
    const postgres = (name: string) => field(environmentFields!, `data.postgres.${name}`).constraints;
    assert.deepEqual(postgres('engineMajor'), ['must be a PostgreSQL major version from 16 to 18']);
    assert.deepEqual(postgres('monitoringIntervalSeconds'), ['one of `1`, `5`, `10`, `15`, `30`, `60`']);
    assert.deepEqual(field(projectFields!, 'services[].capabilities').constraints.length, 1);
    assert.match(field(projectFields!, 'services[].capabilities').constraints[0]!, /^each: one of `"postgres"`/);
  });

  it('lists the fields of a repeated object once and points the repeat at them', () => {
    assert.equal(field(environmentFields!, 'cluster.nodePools.workload').sameFieldsAs, 'cluster.nodePools.system');
    assert.equal(
      environmentFields!.some((f) => f.path.startsWith('cluster.nodePools.workload.')),
      false,
    );
    assert.equal(field(environmentFields!, 'cluster.serviceNamespaces.<key>.quota').sameFieldsAs, 'cluster.namespaces.quota');
  });

  it('refuses a field without a description, naming every such field', () => {
    const schema = z.object({
      described: z.string().describe('Has one.'),
      bare: z.number().default(1),
      nested: z.object({ inner: z.boolean() }).describe('Has one, but its field does not.'),
    });
    assert.throws(
      () => configFields('environments/<env>.json', schema),
      (error: unknown) => {
        assert.ok(error instanceof UndescribedFieldsError);
        assert.deepEqual(error.paths, ['bare', 'nested.inner']);
        assert.match(error.message, /^environments\/<env>\.json: 2 field\(s\) without a description: bare, nested\.inner\./);
        assert.match(error.message, /\.describe\('…'\) or \.meta\(\{ description: '…' \}\)/);
        return true;
      },
    );
  });

  it('refuses schema parts it cannot document', () => {
    assert.throws(() => configFields('x', z.object({ when: z.date().describe('A date.') })), /when: zod type "date" is not supported/);
    assert.throws(
      () =>
        configFields(
          'x',
          z.object({
            n: z
              .number()
              .refine((v) => v > 0)
              .describe('Positive.'),
          }),
        ),
      /n: a refinement without a message cannot be documented/,
    );
  });
});
