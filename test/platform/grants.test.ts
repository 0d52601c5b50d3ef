// Least privilege across layers: whatever layers exist, every service role carries exactly one
// policy per configured capability, plus one per declared grant (the shared cache keyspaces and the
// application secrets it owns or reads), nothing else, each attached through ServiceGrant (construct
// path `grant-<service>-<grant>`) to that service's own role. The effective permissions are then
// evaluated against what config allows: each service's own private media, secrets and From addresses,
// and read-only access to the keyspaces it is a reader of.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnvironmentConfig } from '../../src/config/load';
import { CAPABILITIES, type ServiceConfig } from '../../src/config/schema/project';
import { DECLARED_GRANTS } from '../../src/constructs/security/service-grant';
import { exampleEnvironments, exampleStacks, policyOf, resourcesOf, stack, type TerraformJson, projectPrefix } from '../support/synth';

const PREFIX = projectPrefix();

/** The service whose pod-identity role a `role` / `role_arn` value points at, in any stack. */
const SERVICE_ROLE = /service-([a-z0-9-]+?)_identity_role_[A-F0-9]{8}/;
const GRANT = /\/grant-([a-z0-9-]+)\/policy$/;
const GRANTABLE = new Set<string>([...CAPABILITIES, ...DECLARED_GRANTS]);

interface Grant {
  readonly stack: string;
  readonly service: string;
  readonly capability: string;
  readonly statements: any[];
}

function grantsOf(environment: string, services: readonly string[]): { grants: Grant[]; strays: string[] } {
  const grants: Grant[] = [];
  const strays: string[] = [];
  for (const [stackName, doc] of exampleStacks()) {
    if (!stackName.startsWith(`${environment}-`)) continue;
    for (const [name, body] of resourcesOf(doc as TerraformJson, 'aws_iam_role_policy')) {
      const roleService = SERVICE_ROLE.exec(String(body.role))?.[1];
      const path = String(body['//']?.metadata?.path ?? '');
      const grant = GRANT.exec(path)?.[1];
      if (roleService === undefined && grant === undefined) continue;
      const service = services.find((s) => grant?.startsWith(`${s}-`) && GRANTABLE.has(grant.slice(s.length + 1)));
      if (roleService === undefined || service === undefined || service !== roleService) {
        strays.push(`${stackName}/${name} (${path}) on the role of ${roleService ?? 'no service'}`);
        continue;
      }
      const capability = grant!.slice(service.length + 1);
      assert.equal(body.name, `capability-${capability}`, `${stackName}/${name}`);
      grants.push({ stack: stackName, service, capability, statements: policyOf(body.policy).Statement });
    }
    for (const type of ['aws_iam_role_policy_attachment', 'aws_iam_role_policies_exclusive', 'aws_iam_policy_attachment']) {
      for (const [name, body] of resourcesOf(doc as TerraformJson, type)) {
        if (SERVICE_ROLE.test(JSON.stringify(body.role ?? body.roles ?? body.role_name ?? '')))
          strays.push(`${stackName}/${type}.${name}: managed policies widen a service role`);
      }
    }
  }
  return { grants, strays };
}

describe('service grants across all layers', () => {
  for (const config of exampleEnvironments()) {
    const services = config.project.services.map((s) => s.name).sort((a, b) => b.length - a.length);
    const { grants, strays } = grantsOf(config.name, services);
    const layers = new Set([...exampleStacks().keys()].filter((s) => s.startsWith(`${config.name}-`)));

    it(`${config.name}: no policy reaches a service role except its own ServiceGrants`, () => {
      assert.deepEqual(strays, []);
    });

    it(`${config.name}: each service's grants are exactly its capabilities plus the grants its config declares`, () => {
      for (const service of config.project.services) {
        const granted = grants
          .filter((g) => g.service === service.name)
          .map((g) => g.capability)
          .sort();
        const expected = [...service.capabilities, ...declaredGrants(config, service)].sort();
        const unexpected = granted.filter((c) => !expected.includes(c));
        assert.deepEqual(unexpected, [], `${service.name} has grants beyond its capabilities`);
        assert.equal(new Set(granted).size, granted.length, `${service.name} has a capability granted twice`);
        const missing = expected.filter((c) => !granted.includes(c));
        assert.deepEqual(missing, [], `${service.name} lacks grants for ${missing.join(', ')} (layers present: ${[...layers].join(', ')})`);
      }
    });

    it(`${config.name}: every grant names actions and resources, never "*"`, () => {
      for (const grant of grants) {
        for (const statement of grant.statements) {
          assert.equal(statement.Effect, 'Allow');
          for (const action of [statement.Action].flat())
            assert.ok(action !== '*' && !action.endsWith(':*'), `${grant.service}/${grant.capability}: ${action}`);
          for (const resource of [statement.Resource].flat())
            assert.ok(resource !== '*', `${grant.service}/${grant.capability}: resource "*"`);
        }
      }
    });

    const data = stack(exampleStacks(), `${config.name}-data`);
    const edge = stack(exampleStacks(), `${config.name}-edge`);
    const statementsOf = (service: string) => grants.filter((g) => g.service === service).flatMap((g) => g.statements);

    it(`${config.name}: a media-read service reads public media and its own private media, never another service's`, () => {
      const [bucket] = resourcesOf(edge, 'aws_s3_bucket').find(([name]) => name === 'media')!;
      const object = (key: string) => `\${aws_s3_bucket.${bucket}.arn}/${key}`;
      const readers = config.project.services.filter((s) => s.capabilities.includes('media-read'));
      assert.ok(readers.length > 1, 'the example has several media readers');
      for (const reader of readers) {
        const statements = statementsOf(reader.name);
        assert.ok(allows(statements, 's3:GetObject', object(`private/${reader.name}/a.jpg`)), `${reader.name} reads its own private media`);
        for (const other of config.project.services.filter((s) => s.name !== reader.name)) {
          assert.ok(
            allows(statements, 's3:GetObject', object(`public/${other.name}/a.jpg`)),
            `${reader.name} reads ${other.name}'s public media`,
          );
          assert.ok(
            !allows(statements, 's3:GetObject', object(`private/${other.name}/a.jpg`)),
            `${reader.name} reads ${other.name}'s private media`,
          );
        }
        assert.ok(!allows(statements, 's3:GetObject', object('private/a.jpg')), `${reader.name} reads outside the service prefixes`);
      }
    });

    it(`${config.name}: a secret is readable only by its owner and its configured readers, in IAM and in its resource policy`, () => {
      const secrets = config.project.services.flatMap((owner) => owner.secrets.map((secret) => ({ owner: owner.name, ...secret })));
      assert.ok(secrets.length > 0, 'the example declares a secret');
      for (const secret of secrets) {
        const [logical, body] = resourcesOf(data, 'aws_secretsmanager_secret').find(
          ([, b]) => b.name === `${PREFIX}/${config.name}/${secret.owner}/${secret.name}`,
        )!;
        const arn = `\${aws_secretsmanager_secret.${logical}.arn}`;
        const [, attached] = resourcesOf(data, 'aws_secretsmanager_secret_policy').find(([, p]) => p.secret_arn === arn)!;
        const deny = policyOf(attached.policy).Statement.find((st: any) => st.Effect === 'Deny');
        const allowedPrincipals: string[] = deny.Condition.ArnNotEquals['aws:PrincipalArn'];
        for (const service of config.project.services) {
          const may = service.name === secret.owner || secret.readers.includes(service.name);
          assert.equal(
            allows(statementsOf(service.name), 'secretsmanager:GetSecretValue', arn),
            may,
            `${service.name} reading ${body.name}`,
          );
          assert.equal(
            allowedPrincipals.some((principal) => principal.includes(`service-${service.name}_identity_role_`)),
            may,
            `${service.name} in the resource policy of ${body.name}`,
          );
        }
      }
    });

    it(`${config.name}: a keyspace reader can read and never write it, and connects only as its own cache users`, () => {
      const users = new Map(resourcesOf(data, 'aws_elasticache_user').map(([name, body]) => [name, body]));
      const keyspaces = config.project.services.flatMap((owner) =>
        owner.cacheKeyspaces.map((keyspace) => ({ owner: owner.name, ...keyspace })),
      );
      assert.ok(
        keyspaces.some((k) => k.readers.length > 0),
        'the example shares a keyspace with a reader',
      );
      const connectable = (service: string) =>
        statementsOf(service)
          .filter((st) => [st.Action].flat().includes('elasticache:Connect'))
          .flatMap((st) => [st.Resource].flat())
          .map((resource: string) => /^\$\{aws_elasticache_user\.([^.]+)\.arn\}$/.exec(resource)?.[1])
          .filter((name): name is string => name !== undefined)
          .map((name) => users.get(name)!);
      for (const service of config.project.services) {
        for (const user of connectable(service.name))
          assert.match(user.user_name, new RegExp(`-${service.name}$`), `${service.name} connects as ${user.user_name}`);
        for (const keyspace of keyspaces) {
          const key = `${keyspace.name}:session:1`;
          const owns = keyspace.owner === service.name;
          const reads = owns || keyspace.readers.includes(service.name);
          const access = connectable(service.name).map((user) => aclAccess(user.access_string, key));
          assert.equal(
            access.some((a) => a.read),
            reads,
            `${service.name} reading ${key}`,
          );
          assert.equal(
            access.some((a) => a.write),
            owns,
            `${service.name} writing ${key}`,
          );
        }
      }
    });

    it(`${config.name}: an email-send service sends only from its own configured addresses`, () => {
      const domain = config.edge.email.domain;
      for (const service of config.project.services.filter((s) => s.capabilities.includes('email-send'))) {
        const [statement] = grants.find((g) => g.service === service.name && g.capability === 'email-send')!.statements;
        const own = service.emailFrom.map((local) => `${local}@${domain}`);
        assert.deepEqual(statement.Condition, { StringEquals: { 'ses:FromAddress': own } });
        const others = config.project.services
          .filter((s) => s.name !== service.name)
          .flatMap((s) => s.emailFrom.map((local) => `${local}@${domain}`));
        assert.ok(others.length > 0 && others.every((address) => !own.includes(address)), `${service.name} may send as another service`);
      }
    });
  }
});

/** The grants a service's config entry implies beyond its capabilities. */
function declaredGrants(config: EnvironmentConfig, service: ServiceConfig): string[] {
  const involved = (entries: (owner: ServiceConfig) => readonly { readers: readonly string[] }[]) =>
    entries(service).length > 0 ||
    config.project.services.some((owner) => entries(owner).some((entry) => entry.readers.includes(service.name)));
  return [...(involved((s) => s.cacheKeyspaces) ? ['cache-keyspaces'] : []), ...(involved((s) => s.secrets) ? ['secrets'] : [])];
}

/** Whether an Allow statement grants `action` on `resource` (IAM's `*` and `?` wildcards; conditions are checked elsewhere). */
function allows(statements: readonly any[], action: string, resource: string): boolean {
  return statements.some(
    (st) =>
      st.Effect === 'Allow' &&
      [st.Action].flat().some((a: string) => glob(a, action)) &&
      [st.Resource].flat().some((r: string) => glob(r, resource)),
  );
}

function glob(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/**
 * Read and write access of a Valkey/Redis ACL access string to one key: `~p` grants both, `%R~p` read,
 * `%W~p` write (https://valkey.io/topics/acl); writing also needs the write commands, which
 * `+@all -@write` takes away. Only the rule forms the platform writes are understood; others fail.
 */
function aclAccess(accessString: string, key: string): { read: boolean; write: boolean } {
  let read = false;
  let write = false;
  let writeCommands = false;
  for (const rule of accessString.split(' ')) {
    const pattern = /^(~|%R~|%W~|%RW~)(.+)$/.exec(rule);
    if (pattern) {
      if (!glob(pattern[2], key)) continue;
      if (pattern[1] !== '%W~') read = true;
      if (pattern[1] !== '%R~') write = true;
    } else if (rule === '+@all') writeCommands = true;
    else if (rule === '-@write') writeCommands = false;
    else assert.match(rule, /^(on|off|&\S+|-@dangerous|-scan|-randomkey|-@all)$/, `unexpected ACL rule ${rule}`);
  }
  return { read, write: write && writeCommands };
}
