import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lineOfConstructId, sourceLocations, stackSourceFile } from '../../../src/checks/policy/source-locations';
import { stackDocument } from '../../../src/checks/terraform-json';
import { LAYERS } from '../../../src/layers';
import { exampleOfTier, exampleStacks, REPO_ROOT } from '../../support/synth';
const PROD = exampleOfTier('production').name;

const tracked = new Set(execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n'));
const stacks = [...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as never));
const locations = sourceLocations(stacks, REPO_ROOT);

describe('SARIF source locations', () => {
  it('finds a literal construct id, and the literal prefix of a computed one', () => {
    const source = "const a = 1;\nnew Thing(this, 'postgres', {});\nfor (const s of all) new Other(this, `service-${s.name}`);\n";
    assert.equal(lineOfConstructId(source, 'postgres'), 2);
    assert.equal(lineOfConstructId(source, 'service-svc-idt'), 3);
    assert.equal(lineOfConstructId(source, 'absent'), undefined);
  });

  it('maps every resource of every stack to a tracked stack source file and the environment config', () => {
    assert.ok(locations.size > 1000);
    for (const [key, location] of locations) {
      assert.ok(tracked.has(location.uri), `${key}: ${location.uri} is tracked`);
      assert.ok(tracked.has(location.configUri), `${key}: ${location.configUri} is tracked`);
    }
    for (const layer of LAYERS) assert.ok(tracked.has(stackSourceFile(layer)), layer);
  });

  it('points a resource at the line that creates its construct', () => {
    const [key, location] = [...locations].find(([k]) => k.startsWith(`${PROD}-data|aws_db_instance.`))!;
    const line = readFileSync(join(REPO_ROOT, location.uri), 'utf8').split('\n')[location.line - 1]!;
    const id = String(
      (exampleStacks().get(`${PROD}-data`)!.resource!.aws_db_instance as Record<string, any>)[key.split('.')[1]!]['//'].metadata.path,
    ).split('/')[1];
    assert.ok(line.includes(`'${id}'`), `${location.uri}:${location.line} ${line.trim()} creates ${id}`);
  });
});
