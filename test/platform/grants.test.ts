// Least privilege across layers: whatever layers exist, every service role carries exactly one
// capability policy per configured capability plus its own secrets, nothing else, each attached
// through ServiceGrant (construct path `grant-<service>-<capability>`) to that service's own role.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAPABILITIES } from '../../src/config/schema/project';
import { exampleEnvironments, exampleStacks, policyOf, resourcesOf, type TerraformJson } from '../support/synth';

/** The service whose pod-identity role a `role` / `role_arn` value points at, in any stack. */
const SERVICE_ROLE = /service-([a-z0-9-]+?)_identity_role_[A-F0-9]{8}/;
const GRANT = /\/grant-([a-z0-9-]+)\/policy$/;
const GRANTABLE = new Set<string>([...CAPABILITIES, 'own-secrets']);

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
        if (SERVICE_ROLE.test(JSON.stringify(body.role ?? body.roles ?? body.role_name ?? ''))) strays.push(`${stackName}/${type}.${name}: managed policies widen a service role`);
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

    it(`${config.name}: each service's grants are exactly its capabilities plus own-secrets`, () => {
      for (const service of config.project.services) {
        const granted = grants.filter((g) => g.service === service.name).map((g) => g.capability).sort();
        // A layer that does not exist yet cannot have attached its grants; every other one must have.
        const expected = [...service.capabilities, 'own-secrets'].sort();
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
          for (const action of [statement.Action].flat()) assert.ok(action !== '*' && !action.endsWith(':*'), `${grant.service}/${grant.capability}: ${action}`);
          for (const resource of [statement.Resource].flat()) assert.ok(resource !== '*', `${grant.service}/${grant.capability}: resource "*"`);
        }
      }
    });

    it(`${config.name}: own-secrets reads only the service's secret prefix`, () => {
      for (const service of config.project.services) {
        const [grant] = grants.filter((g) => g.service === service.name && g.capability === 'own-secrets');
        assert.ok(grant, service.name);
        assert.deepEqual(grant.statements, [
          {
            Sid: 'OwnSecrets',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: `arn:aws:secretsmanager:${config.region}:${config.accountId}:secret:social/${config.name}/${service.name}/*`,
          },
        ]);
      }
    });
  }
});
