// The committed schemas/aws-provider-subset.json must cover every type the synthesized stacks use,
// otherwise `npm run check` reports them as unknown. Reads the example stacks through the shared synth
// helper; it synthesizes nothing of its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SchemaSet } from '../../../src/checks/schema/provider-schema';
import { validateStack } from '../../../src/checks/schema/validate';
import { stackDocument, type TerraformJson } from '../../../src/checks/terraform-json';
import { exampleStacks } from '../../support/synth';
import { REPO_ROOT } from '../fixtures';

describe('committed AWS schema subset', () => {
  it('covers every resource, data source and ephemeral type of the synthesized stacks', () => {
    const stacks = [...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as TerraformJson));
    assert.ok(stacks.length > 0, 'the example configuration synthesized no stacks');
    const subset = SchemaSet.fromFiles([join(REPO_ROOT, 'schemas', 'aws-provider-subset.json')]);
    const missing = [
      ...new Set(
        stacks
          .flatMap((stack) => validateStack(stack, subset))
          .filter((p) => p.kind === 'unknown-type')
          .map((p) => p.path.split('.').slice(0, 2).join('.')),
      ),
    ];
    assert.deepEqual(
      missing,
      [],
      `schemas/aws-provider-subset.json lacks ${missing.join(', ')}: run \`npm run synth && npm run schema:subset\` and commit the result`,
    );
  });
});
