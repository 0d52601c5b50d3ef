// A role can be deleted only once it has no policies (IAM DeleteRole), but a stack cannot order its role's deletion
// after the policies another stack attached to it: removing a service deletes its role in the platform layer while
// the data and edge layers' grants are still attached. Every role that receives another stack's policy therefore
// detaches them on delete (force_detach_policies).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleEnvironmentNames, exampleStacks, resourcesOf } from '../support/synth';

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.([^}]+)\}$/;
const ROLE_ATTRIBUTE = /^\$\{aws_iam_role\.([^.]+)\.(name|id)\}$/;

/** `<stack>/<role>` of every role a policy in another stack is attached to. */
function rolesWithForeignPolicies(environment: string): Set<string> {
  const stacks = [...exampleStacks()].filter(([name]) => name.startsWith(`${environment}-`));
  const roleOfOutput = new Map<string, string>();
  for (const [name, doc] of stacks) {
    for (const [output, { value }] of Object.entries<any>(doc.output ?? {})) {
      const role = typeof value === 'string' ? ROLE_ATTRIBUTE.exec(value)?.[1] : undefined;
      if (role) roleOfOutput.set(output, `${name}/${role}`);
    }
  }
  const roles = new Set<string>();
  for (const [, doc] of stacks) {
    for (const type of ['aws_iam_role_policy', 'aws_iam_role_policy_attachment']) {
      for (const [address, body] of resourcesOf(doc, type)) {
        const output = REMOTE_OUTPUT.exec(String(body.role))?.[1];
        if (!output) continue;
        const role = roleOfOutput.get(output);
        assert.ok(role, `${type}.${address}: its role comes from output ${output}, which no stack exports as a role's name`);
        roles.add(role);
      }
    }
  }
  return roles;
}

describe('roles that other stacks attach policies to', () => {
  for (const environment of exampleEnvironmentNames()) {
    it(`${environment}: detach those policies when the role is deleted`, () => {
      const roles = rolesWithForeignPolicies(environment);
      assert.ok(roles.size > 0, 'the example has cross-layer grants (ServiceGrant)');
      const stacks = exampleStacks();
      const attached = [...roles].filter((key) => {
        const [stack, role] = key.split('/') as [string, string];
        return stacks.get(stack)!.resource!.aws_iam_role![role].force_detach_policies !== true;
      });
      assert.deepEqual(attached, []);
    });
  }
});
