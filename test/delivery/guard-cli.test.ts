import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planFixture, runCli } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'guard-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

const DB = 'aws_db_instance.postgres_db_7C1E55AB';

describe('npm run guard (dist/src/cli/guard.js)', () => {
  it('exits 1 and names the resource when a plan deletes a protected resource', async () => {
    const run = await runCli('guard', [planFixture('delete')]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /BLOCKED aws_s3_bucket\.media_bucket_4F2A9C1D: destroy of a protected aws_s3_bucket/);
    assert.match(run.stdout, /guard failed: 3 protected resources would be destroyed, replaced or lose protection/);
  });

  it('exits 0 when every protected change has an allow entry with a reason', async () => {
    const run = await runCli('guard', [
      planFixture('replace-create-before-destroy'),
      '--allow',
      `${DB}=identifier rename approved in CHG-1234`,
    ]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /ALLOWED aws_db_instance\.postgres_db_7C1E55AB: replace \(create, then destroy\).*reason: identifier rename approved in CHG-1234/,
    );
    assert.match(run.stdout, /guard passed \(1 approved destructive change\)/);
  });

  it('accepts the --allow=<address>=<reason> spelling', async () => {
    const run = await runCli('guard', [
      planFixture('replace-create-before-destroy'),
      `--allow=${DB}=identifier rename approved in CHG-1234`,
    ]);
    assert.equal(run.status, 0, run.stderr);
  });

  it('exits 2 when an allow entry has no reason', async () => {
    const run = await runCli('guard', [planFixture('replace-create-before-destroy'), '--allow', DB]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /allowing aws_db_instance\.postgres_db_7C1E55AB needs a reason/);
  });

  it('exits 2 with the file and the problem for malformed input', async () => {
    const run = await runCli('guard', [planFixture('malformed-actions')]);
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      new RegExp(
        [
          /malformed-actions\.json: resource_changes\[0\] \(aws_s3_bucket\.media_bucket_4F2A9C1D\)/.source,
          /\.change\.actions: expected a non-empty array/.source,
        ].join(''),
      ),
    );
    assert.equal(run.stdout, '');
    const truncated = await runCli('guard', [planFixture('malformed-truncated')]);
    assert.equal(truncated.status, 2);
    assert.match(truncated.stderr, /malformed-truncated\.json: is not valid JSON/);
  });

  it('exits 2 for a missing plan file, no plan file, or an unknown option', async () => {
    const missing = await runCli('guard', [join(work, 'nope.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.json: cannot read the plan file: no such file/);
    assert.equal((await runCli('guard', [])).status, 2);
    const unknown = await runCli('guard', [planFixture('create'), '--alow', 'x=y']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option --alow/);
  });

  it('prints the changes grouped by action', async () => {
    const run = await runCli('guard', [planFixture('moved'), '--allow', 'aws_kms_key.data=key spec change approved by security, SEC-42']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.deepEqual(
      lines.filter((line) => /^\S.*\(\d+\):$/.test(line)),
      ['replace (destroy, then create) (1):', 'update in place (1):', 'move (address change only) (1):'],
    );
    assert.ok(lines.includes('  ->  aws_s3_bucket.media_4F2A9C1D  (moved from aws_s3_bucket.media_bucket_4F2A9C1D)'));
  });

  it('writes the Markdown summary to --summary, or appends it to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(work, 'out', 'summary.md');
    assert.equal((await runCli('guard', [planFixture('create'), '--stack', 'dev-data', '--summary', summary])).status, 0);
    assert.match(readFileSync(summary, 'utf8'), /^### dev-data: 2 to create\n/);

    const step = join(work, 'step-summary.md');
    writeFileSync(step, '# earlier step\n');
    assert.equal((await runCli('guard', [planFixture('delete'), '--stack', 'dev-data'], { env: { GITHUB_STEP_SUMMARY: step } })).status, 1);
    const text = readFileSync(step, 'utf8');
    assert.match(text, /^# earlier step\n### dev-data: 4 to destroy/);
    assert.match(text, /#### Blocked: protected resources destroyed or replaced/);
  });

  it('reads allow files, scoped to --stack, and reports stale entries', async () => {
    const file = join(work, 'guard-allow.json');
    writeFileSync(
      file,
      JSON.stringify([
        { stack: 'prod-data', address: DB, reason: 'restore drill in prod, CHG-981' },
        { stack: 'dev-data', address: 'aws_db_instance.other', reason: 'old entry that nobody removed' },
      ]),
    );
    const dev = await runCli('guard', [planFixture('replace-create-before-destroy'), '--stack', 'dev-data', '--allow-file', file]);
    assert.equal(dev.status, 1, 'the prod approval does not cover dev');
    assert.match(dev.stdout, /STALE allow entry for aws_db_instance\.other \[.*guard-allow\.json\[1\]\]/);

    const prod = await runCli('guard', [planFixture('replace-create-before-destroy'), '--stack', 'prod-data', '--allow-file', file]);
    assert.equal(prod.status, 0, prod.stdout);
    const strict = await runCli('guard', [planFixture('create'), '--stack', 'dev-data', '--allow-file', file, '--fail-on-stale']);
    assert.equal(strict.status, 1);
    // The printed verdict follows the exit code.
    assert.match(strict.stdout, /^guard failed: 1 stale allow entry \(--fail-on-stale\)$/m);
    assert.doesNotMatch(strict.stdout, /guard passed/);
    const unscoped = await runCli('guard', [planFixture('create'), '--allow-file', file]);
    assert.equal(unscoped.status, 2);
    assert.match(unscoped.stderr, /--allow-file needs --stack/);
  });

  it('emits GitHub annotations when running in Actions', async () => {
    const run = await runCli('guard', [planFixture('replace-create-before-destroy'), '--stack', 'dev-data'], {
      env: { GITHUB_ACTIONS: 'true' },
    });
    assert.match(
      run.stdout,
      new RegExp(
        [
          /^::error title=guard: protected resource::dev-data: /.source,
          /aws_db_instance\.postgres_db_7C1E55AB \(aws_db_instance\) would be destroyed or replaced$/.source,
        ].join(''),
        'm',
      ),
    );
  });
});
