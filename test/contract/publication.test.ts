import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, TerraformStack } from 'cdktn';
import { CONTRACT, outputsFor } from '../../src/contract/catalog';
import { ContractOutput } from '../../src/contract/contract-output';
import { Naming } from '../../src/naming';
import { environments, project } from './helpers';
import { exampleStacks, policyOf, resourcesOf } from '../support/synth';

const stacks = exampleStacks();
const SSM_STANDARD_LIMIT = 4096;

/** The `${…}` references of a value, whatever function wraps them (tostring, jsonencode). */
const refs = (value: unknown) =>
  [...JSON.stringify(value).matchAll(/(?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_]+|\[\d+\])*/g)].map((m) => m[0]).sort();

describe('SSM publication of the contract', () => {
  for (const env of environments) {
    for (const entry of CONTRACT) {
      it(`${env.name}: ${entry.name} is published at /${project.project}/${env.name}/${entry.name} with the output's value`, () => {
        const doc = stacks.get(`${env.name}-${entry.layer}`)!;
        const output = doc.output?.[entry.name];
        assert.ok(output, `no output ${entry.name} in ${env.name}-${entry.layer}`);
        const parameters = resourcesOf(doc, 'aws_ssm_parameter').filter(
          ([, p]) => p.name === `/${project.project}/${env.name}/${entry.name}`,
        );
        assert.equal(parameters.length, 1);
        const [, parameter] = parameters[0]!;
        assert.equal(parameter.type, 'String');
        assert.equal(parameter.tier, 'Standard');
        assert.equal(parameter.description, entry.description);
        assert.deepEqual(parameter.tags, { ContractOutput: entry.name, ContractSince: entry.since });
        assert.equal(parameter.insecure_value, undefined);
        assert.equal(parameter.overwrite, undefined);
        assert.deepEqual(refs(parameter.value), refs(output.value));
        if (entry.type === 'list(string)' || entry.type === 'map(string)') assert.match(parameter.value, /^\$\{jsonencode\(/);
        if (entry.type === 'number') assert.match(parameter.value, /^\$\{tostring\(|^\d+$/);
        if (entry.type === 'string' && !String(output.value).includes('${')) assert.equal(parameter.value, output.value);
      });
    }
  }

  it('keeps per-service maps within the free Standard tier (4 KB) for the configured services', () => {
    for (const env of environments) {
      const naming = new Naming({ project: project.project, environment: env.name, accountId: env.accountId, region: env.region });
      // The longest value a per-service map holds: an IAM role ARN or an ECR repository URL.
      const longest = (service: string) =>
        Math.max(
          `arn:aws:iam::${env.accountId}:role/${naming.roleName('deploy', service)}`.length,
          `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/${naming.name(service)}`.length,
        );
      const size = JSON.stringify(Object.fromEntries(project.services.map((s) => [s.name, 'x'.repeat(longest(s.name))]))).length;
      assert.ok(
        size < SSM_STANDARD_LIMIT,
        `${env.name}: a per-service map takes ${size} bytes, over the Standard tier's ${SSM_STANDARD_LIMIT}`,
      );
    }
  });

  it('refuses, at synth time, a value of the wrong shape or layer', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'contract-output-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      let stacks = 0;
      const publish = (name: string, value: unknown, layer: 'network' | 'data' = 'network') =>
        new ContractOutput(new TerraformStack(app, `s${stacks++}`), name, { layer, parameterName: `/p/e/${name}`, value });
      assert.throws(
        () => publish('vpc_private_subnet_ids', 'subnet-1'),
        /"vpc_private_subnet_ids" is list\(string\) \(src\/contract\/catalog\.ts\) but was given "subnet-1"/,
      );
      assert.throws(() => publish('aws_region', ''), /publish a non-empty string \(SSM rejects empty values\)/);
      assert.throws(() => publish('rds_port', '5432', 'data'), /"rds_port" is number/);
      assert.throws(() => publish('rds_port', 5432), /"rds_port" belongs to the data layer, not network/);
      assert.throws(() => publish('vpc_secret', 'x'), /"vpc_secret" is not in the outputs contract/);
      assert.doesNotThrow(() => publish('vpc_public_subnet_ids', ['subnet-1', 'subnet-2']));
      // An empty map is published as the JSON text "{}", which SSM accepts.
      assert.doesNotThrow(() => publish('cache_shared_user_names', {}, 'data'));
      assert.throws(() => publish('cache_shared_user_names', { 'svc-a': 1 }, 'data'), /"cache_shared_user_names" is map\(string\)/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('deploy roles read exactly their contract parameters', () => {
  for (const env of environments) {
    const doc = stacks.get(`${env.name}-platform`)!;
    const naming = new Naming({ project: project.project, environment: env.name, accountId: env.accountId, region: env.region });
    for (const service of project.services) {
      it(`${env.name}: ${naming.roleName('deploy', service.name)} may read only outputsFor(${service.name})`, () => {
        const roles = resourcesOf(doc, 'aws_iam_role').filter(([, role]) => role.name === naming.roleName('deploy', service.name));
        assert.equal(roles.length, 1, `deploy role ${naming.roleName('deploy', service.name)} not found in ${env.name}-platform`);
        const [address] = roles[0]!;
        const attached = (type: string) =>
          resourcesOf(doc, type).filter(
            ([, body]) => String(body.role).includes(`aws_iam_role.${address}.`) || body.role === naming.roleName('deploy', service.name),
          );
        assert.deepEqual(attached('aws_iam_role_policy_attachment'), [], 'a managed policy could grant reads outside the contract');
        const statements = [
          ...attached('aws_iam_role_policy').map(([, p]) => p.policy),
          ...(roles[0]![1].inline_policy ?? []).map((p: any) => p.policy),
        ].flatMap((text) => policyOf(text).Statement);
        const actions = (s: any) => [s.Action ?? []].flat() as string[];
        const ssm = statements.filter((s) => s.Effect === 'Allow' && actions(s).some((a) => /^(ssm:|\*$)/i.test(a)));
        for (const statement of ssm) {
          assert.deepEqual(
            actions(statement).sort(),
            ['ssm:GetParameter', 'ssm:GetParameters'],
            'only GetParameter(s): no wildcards, no by-path reads',
          );
        }
        const readable = ssm.flatMap((s) => [s.Resource].flat()).sort();
        const expected = outputsFor(service)
          .map((e) => `arn:aws:ssm:${env.region}:${env.accountId}:parameter/${project.project}/${env.name}/${e.name}`)
          .sort();
        assert.deepEqual(readable, expected);
      });
    }
  }
});
