import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { diffStacks } from '../../src/preview/diff/diff';
import { renderDiffAlerts, renderDiffMarkdown, renderDiffText } from '../../src/preview/diff/render';

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path } } });
const doc = (resource: TerraformJson['resource'], extra: Record<string, unknown> = {}): TerraformJson =>
  ({ resource, ...extra }) as TerraformJson;
const bucket = (name: string, bucketName: string, path = `dev-edge/${name}`) => ({
  [name]: { ...meta(path), bucket: bucketName, force_destroy: false },
});
const labels = { title: 'base -> head' };

describe('diff of synthesized stacks', () => {
  it('reports added, removed and changed resources with their attribute changes', () => {
    const base = [
      stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('logs', 'dev-logs'), aws_sqs_queue: { q: { name: 'q', delay_seconds: 0 } } })),
    ];
    const head = [
      stackDocument(
        'dev-edge',
        doc({ aws_s3_bucket: { logs: { ...bucket('logs', 'dev-logs').logs, force_destroy: true } }, aws_sns_topic: { t: { name: 't' } } }),
      ),
    ];
    const result = diffStacks(base, head);
    assert.deepEqual(result.counts, { added: 1, removed: 1, moved: 0, changed: 1 });
    const changed = result.stacks[0]!.changes.find((c) => c.kind === 'changed')!;
    assert.deepEqual(changed.attributes, [{ path: 'force_destroy', before: false, after: true }]);
    assert.deepEqual(result.losses, [], 'force_destroy does not replace a bucket, and the queue is not protected');
  });

  it('flags an argument the provider docs mark as forcing a new protected resource', () => {
    const base = [stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('media', 'dev-media') }))];
    const head = [stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('media', 'dev-media-2') }))];
    const [replacement] = diffStacks(base, head).losses;
    assert.equal(replacement?.address, 'aws_s3_bucket.media');
    assert.match(replacement!.loss!.reason, /changing bucket forces a new resource/);
  });

  it('matches a renamed address by construct path and flags it without a moved block', () => {
    const base = [
      stackDocument('dev-data', doc({ aws_db_instance: { old_1: { ...meta('dev-data/postgres/instance'), identifier: 'db' } } })),
    ];
    const renamed = doc({ aws_db_instance: { new_2: { ...meta('dev-data/postgres/instance'), identifier: 'db' } } });
    const moved = diffStacks(base, [stackDocument('dev-data', renamed)]);
    assert.deepEqual(moved.counts, { added: 0, removed: 0, moved: 1, changed: 0 });
    const change = moved.stacks[0]!.changes[0]!;
    assert.equal(change.matchedBy, 'construct path');
    assert.deepEqual(change.from, { stack: 'dev-data', address: 'aws_db_instance.old_1' });
    assert.match(change.loss!.reason, /without a `moved` block/);

    const withBlock = diffStacks(base, [
      stackDocument('dev-data', { ...renamed, moved: [{ from: 'aws_db_instance.old_1', to: 'aws_db_instance.new_2' }] }),
    ]);
    assert.equal(withBlock.stacks[0]!.changes[0]!.movedBlock, true);
    assert.equal(withBlock.losses.length, 0);
  });

  it('matches a resource that moved to another stack by its name argument', () => {
    const base = [
      stackDocument('dev-data', doc({ aws_s3_bucket: bucket('b', 'dev-shared', 'dev-data/x') })),
      stackDocument('dev-edge', doc({})),
    ];
    const head = [
      stackDocument('dev-data', doc({})),
      stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('c', 'dev-shared', 'dev-edge/y') })),
    ];
    const result = diffStacks(base, head);
    const [change] = result.losses;
    assert.equal(change?.kind, 'moved');
    assert.equal(change?.matchedBy, 'bucket');
    assert.match(change!.loss!.reason, /moved from dev-data/);
  });

  it('flags a removed protected resource of a stack that is still applied, unless a removed block keeps it', () => {
    const base = [
      stackDocument('dev-platform', doc({ aws_ecr_repository: { svc: { name: 'social-dev-svc' } }, aws_sqs_queue: { q: { name: 'q' } } })),
    ];
    const flagged = (head: ReturnType<typeof stackDocument>[]) => diffStacks(base, head).losses.map((c) => `${c.stack} ${c.address}`);
    assert.deepEqual(flagged([stackDocument('dev-platform', doc({}))]), ['dev-platform aws_ecr_repository.svc']);
    const [removal] = diffStacks(base, [stackDocument('dev-platform', doc({}))]).losses;
    assert.equal(removal?.kind, 'removed');
    assert.match(removal!.loss!.reason, /Terraform destroys it, prevent_destroy or not/);
    assert.match(removal!.loss!.protection, /released images/);

    const forgetting = (lifecycle: unknown) =>
      stackDocument('dev-platform', doc({}, { removed: [{ from: 'aws_ecr_repository.svc', lifecycle }] }));
    assert.deepEqual(flagged([forgetting({ destroy: false })]), []);
    assert.deepEqual(flagged([forgetting([{ destroy: false }])]), []);
    assert.deepEqual(flagged([forgetting({ destroy: true })]), ['dev-platform aws_ecr_repository.svc'], 'a removed block that destroys');
  });

  it('reports a removed stack as no longer applied, not as destroying what it holds', () => {
    const kept = stackDocument('dev-data', doc({ aws_sqs_queue: { q: { name: 'q' } } }));
    const base = [kept, stackDocument('qa-data', doc({ aws_db_instance: { db: { identifier: 'social-qa-postgres' } } }))];
    const result = diffStacks(base, [kept]);
    assert.deepEqual(result.losses, [], 'nothing applies a stack that is not synthesized, so nothing destroys its database');
    assert.deepEqual(result.unmanaged, ['qa-data']);
    assert.deepEqual(
      result.stacks.map((s) => [s.stack, s.status, s.changes.map((c) => `${c.kind} ${c.address}`)]),
      [['qa-data', 'gone', ['removed aws_db_instance.db']]],
    );

    const text = renderDiffText(result, labels);
    assert.match(text, /^qa-data \(stack removed: no longer applied\): 0 added, 1 removed/m);
    assert.match(text, /^Stacks no longer applied \(qa-data\): CI no longer plans or applies them, .*remove-environment\.md\)\.$/m);
    assert.match(text.trim().split('\n').at(-1)!, /destroyed or replaced; 1 stack no longer applied, their resources left in AWS$/);
    assert.doesNotMatch(text, /DESTROYS/);
    assert.doesNotMatch(text, /- aws_db_instance\.db/, 'a stack no longer applied gets its heading, not a line per resource');
    assert.match(renderDiffMarkdown(result, labels), /\*\*Stacks no longer applied:\*\* CI no longer plans .*\n\n- `qa-data`\n/);
    assert.doesNotMatch(renderDiffText(diffStacks([kept], [kept]), labels), /no longer applied/, 'said only when a stack is removed');
    assert.match(renderDiffAlerts(result), /^\*\*Stacks no longer applied:\*\* CI no longer plans .*\n\n- `qa-data`\n/);
    assert.equal(renderDiffAlerts(diffStacks([kept], [kept])), '', 'nothing to alert: an empty file');
  });

  it('flags a version change AWS refuses, in the text, the summary and the pull-request comment', () => {
    const cluster = (version: string) =>
      stackDocument('qa-platform', doc({ aws_eks_cluster: { eks: { name: 'social-qa-eks', version } } }));
    const result = diffStacks([cluster('1.34')], [cluster('1.36')]);
    assert.deepEqual(
      result.refused.map((c) => c.address),
      ['aws_eks_cluster.eks'],
    );
    assert.match(renderDiffText(result, labels), /~ aws_eks_cluster\.eks\n {6}! AWS REFUSES: EKS upgrades the control plane one minor/);
    assert.match(renderDiffText(result, labels).trim().split('\n').at(-1)!, /; 1 change AWS refuses$/);
    assert.match(
      renderDiffMarkdown(result, labels),
      /\*\*Changes AWS refuses\*\* \(the apply would fail\):\n\n- `qa-platform` `aws_eks_cluster\.eks`: EKS/,
    );
    assert.deepEqual(diffStacks([cluster('1.35')], [cluster('1.36')]).refused, [], 'one minor up is fine');
  });

  it('renders text and markdown with a one-line summary', () => {
    const result = diffStacks(
      [stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('media', 'a') }))],
      [stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('media', 'b') }))],
    );
    const text = renderDiffText(result, labels);
    assert.match(text, /~ aws_s3_bucket\.media\n {6}! REPLACES a protected aws_s3_bucket/);
    assert.match(text, /bucket: "a" -> "b"/);
    assert.match(
      text.trim().split('\n').at(-1)!,
      /^diff base -> head: 1 stack differ; 0 added, 0 removed, 0 moved, 1 changed; 1 protected resource destroyed or replaced$/,
    );
    assert.match(
      renderDiffMarkdown(result, labels),
      /\*\*Protected resources destroyed or replaced:\*\*\n\n- `dev-edge` `aws_s3_bucket\.media`/,
    );

    const removal = diffStacks(
      [stackDocument('dev-edge', doc({ aws_s3_bucket: bucket('media', 'a') }))],
      [stackDocument('dev-edge', doc({}))],
    );
    assert.match(renderDiffText(removal, labels), /- aws_s3_bucket\.media\n {6}! DESTROYS a protected aws_s3_bucket \(S3 bucket: /);
  });
});
