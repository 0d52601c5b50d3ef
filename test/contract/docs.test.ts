import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { runnerLabel } from '../../src/constructs/ci/github-actions-runner';
import { outputsFor } from '../../src/contract/catalog';
import { CONTRACT_FILE } from '../../src/contract/contract-file';
import { DOCS_FILE } from '../../src/contract/docs';
import { generateContract } from '../../src/contract/generate';
import { Naming } from '../../src/naming';
import { runCli } from '../support/command';
import { exampleOfTier, exampleStacks, REPO_ROOT } from '../support/synth';
import { environments, project } from './helpers';

const read = (file: string) => (existsSync(join(REPO_ROOT, file)) ? readFileSync(join(REPO_ROOT, file), 'utf8') : undefined);
const committed = read(CONTRACT_FILE);
const docs = read(DOCS_FILE) ?? '';
const STALE =
  'stale: run npm run contract:generate (add -- --version X.Y.Z when it asks) and commit contract/outputs.json and docs/outputs.md';

/** The docs section of one consumer repository, up to the next section. */
function section(repository: string): string {
  const start = docs.indexOf(`### ${repository} (`);
  assert.ok(start >= 0, `docs/outputs.md has no section for ${repository}`);
  const end = docs.indexOf('\n### ', start + 1);
  return docs.slice(start, end < 0 ? undefined : end);
}

describe('committed contract and docs are current', () => {
  it(`${CONTRACT_FILE} matches what the generator writes now`, () => {
    assert.ok(committed, `${CONTRACT_FILE} is missing: run npm run contract:generate -- --version 1.0.0`);
    assert.equal(committed, generateContract({ environments, previous: committed }).contractText, `${CONTRACT_FILE} is ${STALE}`);
  });

  it(`${DOCS_FILE} matches what the generator writes now`, () => {
    assert.equal(docs, generateContract({ environments, previous: committed }).docsText, `${DOCS_FILE} is ${STALE}`);
  });
});

describe('docs for consumers', () => {
  it('lists every output once in the table, with its SSM path', () => {
    for (const output of JSON.parse(committed!).outputs) {
      const rows = docs.split('\n').filter((line) => line.startsWith(`| \`${output.name}\` |`));
      assert.equal(rows.length, 1, output.name);
      assert.ok(rows[0]!.includes(`\`/${project.project}/<env>/${output.name}\``), rows[0]);
    }
  });

  for (const service of project.services) {
    it(`${service.repository}: assumes its own deploy role in each environment and reads exactly its parameters`, () => {
      const text = section(service.repository);
      const yaml = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
      assert.ok(yaml, 'no workflow excerpt');
      const job = parse(yaml).jobs.deploy;
      assert.equal(job.permissions['id-token'], 'write');
      const deployed = environments.find((env) => env.name === job.env.PLATFORM_ENV)!;
      const { name: environment, accountId, region } = deployed;
      const runner = new Naming({ project: project.project, environment, accountId, region }).ciRunner;
      assert.equal(job['runs-on'], runnerLabel(runner.projectName), 'runs on the runner inside the VPC of the environment it deploys');
      const [assume, readStep] = job.steps;
      assert.match(assume.uses, /^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/);
      for (const env of environments) {
        const naming = new Naming({ project: project.project, environment: env.name, accountId: env.accountId, region: env.region });
        assert.ok(
          assume.with['role-to-assume'].includes(
            `"${env.name}":"arn:aws:iam::${env.accountId}:role/${naming.roleName('deploy', service.name)}"`,
          ),
          env.name,
        );
        assert.ok(assume.with['aws-region'].includes(`"${env.name}":"${env.region}"`), env.name);
      }
      const calls = (readStep.run as string)
        .split(/\n\s*read_parameters \\\n/)
        .slice(1)
        .map((call) => [...call.matchAll(/"\$p\/([a-z0-9_]+)"/g)].map((m) => m[1]));
      assert.ok(
        calls.every((names) => names.length >= 1 && names.length <= 10),
        'GetParameters takes at most 10 names per call',
      );
      assert.deepEqual(
        calls.flat().sort(),
        outputsFor(service)
          .map((e) => e.name)
          .sort(),
      );
      assert.doesNotMatch(readStep.run, /get-parameters-by-path/, 'the deploy role may not read by path');
      const workflow = `name: deploy\non: workflow_dispatch\n${yaml}`;
      assert.deepEqual(validateWorkflow(workflow).errors, []);
    });
  }
});

describe('contract CLI', () => {
  const run = (dir: string) => runCli('contract', ['check', '--dir', dir]);

  /** Writes the example stacks as cdktf.out/stacks/<name>/cdk.tf.json, after an optional mutation. */
  function synthOut(mutate: (stacks: Map<string, any>) => void = () => {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'contract-cli-'));
    const stacks = new Map([...exampleStacks()].map(([name, doc]) => [name, structuredClone(doc)]));
    mutate(stacks);
    for (const [name, doc] of stacks) {
      mkdirSync(join(dir, 'stacks', name), { recursive: true });
      writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(doc));
    }
    return dir;
  }

  it('check passes on the example and fails, naming the output, when a layer stops publishing one', async () => {
    const good = synthOut();
    const edge = `${exampleOfTier('production').name}-edge`;
    const bad = synthOut((stacks) => delete stacks.get(edge).output.ses_identity_arn);
    try {
      const ok = await run(good);
      assert.equal(ok.status, 0, ok.stderr);
      const failed = await run(bad);
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, new RegExp(`${edge} ses_identity_arn: missing: the edge layer does not publish "ses_identity_arn"`));
      assert.match(failed.stderr, /contract check failed: 1 problem\(s\), 1 of them outputs not published/);
    } finally {
      rmSync(good, { recursive: true, force: true });
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('rejects an unknown command with usage', async () => {
    const result = await runCli('contract', ['publish']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: node dist\/src\/cli\/contract\.js check/);
  });

  it('rejects a --version that is not a semantic version, writing nothing', async () => {
    const result = await runCli('contract', ['generate', '--version', 'next']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^contract generate: --version "next" is not a semantic version MAJOR\.MINOR\.PATCH/);
  });
});
