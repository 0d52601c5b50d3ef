import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Testing, TerraformStack } from 'cdktn';
import { AwsServiceRole } from '../../src/constructs/security/aws-service-role';
import { policyOf } from '../support/synth';

const outdir = mkdtempSync(join(tmpdir(), 'aws-service-role-'));
after(() => rmSync(outdir, { recursive: true, force: true }));

function synthRole(props: Partial<ConstructorParameters<typeof AwsServiceRole>[2]> = {}) {
  const stack = new TerraformStack(Testing.app({ outdir }), 'test');
  new AwsServiceRole(stack, 'svc', {
    roleName: 'x-dev-svc',
    description: 'test role',
    servicePrincipal: 'ec2.amazonaws.com',
    accountId: '111111111111',
    ...props,
  });
  return JSON.parse(Testing.synth(stack)).resource;
}

describe('AwsServiceRole', () => {
  it('trusts only the service, and only on behalf of the account', () => {
    const [statement] = policyOf(Object.values<any>(synthRole().aws_iam_role)[0].assume_role_policy).Statement;
    assert.deepEqual(statement.Principal, { Service: 'ec2.amazonaws.com' });
    assert.equal(statement.Action, 'sts:AssumeRole');
    assert.deepEqual(statement.Condition, { StringEquals: { 'aws:SourceAccount': '111111111111' } });
  });

  it('adds session tagging and pinned conditions when asked', () => {
    const resources = synthRole({ tagSession: true, trustConditions: { 'aws:RequestTag/kubernetes-namespace': 'svc-idt' } });
    const [statement] = policyOf(Object.values<any>(resources.aws_iam_role)[0].assume_role_policy).Statement;
    assert.deepEqual(statement.Action, ['sts:AssumeRole', 'sts:TagSession']);
    assert.equal(statement.Condition.StringEquals['aws:RequestTag/kubernetes-namespace'], 'svc-idt');
  });

  it('attaches managed policies and one named inline policy; none by default', () => {
    assert.equal(synthRole().aws_iam_role_policy_attachment, undefined);
    assert.equal(synthRole().aws_iam_role_policy, undefined);
    const resources = synthRole({
      managedPolicyArns: ['arn:aws:iam::aws:policy/A'],
      statements: [{ actions: ['logs:PutLogEvents'], resources: ['arn:aws:logs:x'] }],
      inlinePolicyName: 'write-logs',
    });
    assert.deepEqual(
      Object.values<any>(resources.aws_iam_role_policy_attachment).map((a) => a.policy_arn),
      ['arn:aws:iam::aws:policy/A'],
    );
    assert.equal(Object.values<any>(resources.aws_iam_role_policy)[0].name, 'write-logs');
  });

  it('rejects a principal that is not an AWS service', () => {
    assert.throws(
      () => synthRole({ servicePrincipal: 'arn:aws:iam::1:root' }),
      /servicePrincipal must be an AWS service principal such as "ec2\.amazonaws\.com" \(got "arn:aws:iam::1:root"\)/,
    );
  });
});
