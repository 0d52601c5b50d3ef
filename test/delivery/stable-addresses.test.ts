import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { S3Bucket } from '@cdktn/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import type { TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import { buildApp } from '../../src/app';
import {
  STABLE_ADDRESSES_FILE,
  compareAddresses,
  describeAddressChange,
  parseAddressFile,
  protectedAddresses,
} from '../../src/checks/guard/stable-addresses';
import { protectionReason } from '../../src/checks/guard/protected';
import { stackDocument, type TerraformJson as CheckJson } from '../../src/checks/terraform-json';
import { resourcesOf } from '../../src/preview/resources';
import { readableName, stableAddress, useStableAddresses } from '../../src/constructs/stable-address';
import { SecureBucket } from '../../src/constructs/storage/secure-bucket';
import { exampleEnvironments, exampleStacks, synthOneStack, type TerraformJson } from '../support/synth';
import { FIXTURES, ROOT } from './helpers';

const CONTEXT = { project: 'social', environment: 'prod', accountId: '333333333333', region: 'eu-west-1' };
const documents = () => [...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as CheckJson));
const declared = (doc: TerraformJson) =>
  new Set(Object.entries(doc.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)));
const movedBlocks = (doc: TerraformJson) => (doc.moved ?? []) as { from: string; to: string }[];

describe('stable addresses of protected resources', () => {
  it('match the committed list in every stack (npm run addresses -- --write after a reviewed change)', () => {
    const committed = parseAddressFile(readFileSync(join(ROOT, STABLE_ADDRESSES_FILE), 'utf8'), STABLE_ADDRESSES_FILE);
    const changes = compareAddresses(committed, protectedAddresses(documents()));
    assert.deepEqual(changes, [], `protected resources changed address:\n${changes.map(describeAddressChange).join('\n\n')}`);
  });

  it('are readable: the physical name without the environment, the same in every environment', () => {
    const list = protectedAddresses(documents());
    const production = exampleEnvironments().find((env) => env.tier === 'production')!;
    assert.ok(list[`${production.name}-data`].includes('aws_db_instance.postgres'));
    assert.ok(list[`${production.name}-edge`].includes('aws_s3_bucket.media'));
    const recovery = production.recovery!.region;
    assert.ok(list[`${production.name}-bootstrap`].includes(`aws_backup_vault.backup-${recovery}`), 'a recovery copy keeps its region');
    const names = new Set(exampleEnvironments().map((env) => env.name));
    for (const [name, addresses] of Object.entries(list)) {
      for (const address of addresses) {
        assert.doesNotMatch(address, /_[0-9A-F]{8}$/, `${name}: ${address} still carries a construct-path hash`);
        assert.doesNotMatch(address, /\d{12}/, `${name}: ${address} carries an account id`);
        const named = address.split(/[._-]/).filter((part) => names.has(part));
        assert.deepEqual(named, [], `${name}: ${address} carries an environment's name`);
      }
    }
    // The same construct has the same address in every environment that has it.
    const byConstruct = new Map<string, Map<string, string>>();
    for (const stack of documents())
      for (const entry of resourcesOf(stack).filter((e) => protectionReason(e.type) && e.constructPath)) {
        const construct = `${stack.layer}/${entry.constructPath!.split('/').slice(1).join('/')}`;
        byConstruct.set(construct, (byConstruct.get(construct) ?? new Map()).set(stack.environment, entry.address));
      }
    const differing = [...byConstruct]
      .filter(([, addresses]) => new Set(addresses.values()).size > 1)
      .map(([construct, addresses]) => `${construct}: ${JSON.stringify(Object.fromEntries(addresses))}`);
    assert.deepEqual(differing, []);
    assert.ok(
      names.size < 2 || [...byConstruct.values()].some((addresses) => addresses.size > 1),
      'constructs of several environments were compared',
    );
  });

  it('do not change when a construct is renamed or moved', () => {
    const synthAt = (path: string[]) =>
      synthOneStack('moved-construct', (stack) => {
        useStableAddresses(stack, CONTEXT);
        new AwsProvider(stack, 'aws', { region: CONTEXT.region });
        let scope: Construct = stack;
        for (const id of path) scope = new Construct(scope, id);
        new SecureBucket(scope, 'media', {
          bucketName: 'social-prod-media-333333333333-eu-west-1',
          encryption: 'sse-s3',
          accessLogging: 'is-log-destination',
        });
      });
    const before = synthAt([]);
    const after = synthAt(['edge', 'renamed']);
    assert.deepEqual(Object.keys(after.resource!.aws_s3_bucket), ['media']);
    assert.deepEqual(Object.keys(before.resource!.aws_s3_bucket), Object.keys(after.resource!.aws_s3_bucket));
    assert.deepEqual(Object.keys(before.resource!.aws_s3_bucket_versioning), ['media']);
  });

  it('strip the project, environment, account and own region, and keep another region', () => {
    assert.equal(readableName('social-prod-tfstate-333333333333-eu-west-1', CONTEXT), 'tfstate');
    assert.equal(
      readableName('social-prod-tfstate-replica-333333333333-eu-central-1', CONTEXT, 'eu-central-1'),
      'tfstate-replica-eu-central-1',
    );
    assert.equal(readableName('social-prod-backup', CONTEXT, 'eu-central-1'), 'backup-eu-central-1');
    assert.equal(readableName('social-prod-backup', CONTEXT, 'eu-west-1'), 'backup');
    assert.equal(readableName('/aws/rds/instance/social-prod-postgres/postgresql', CONTEXT), 'aws_rds_instance_postgres_postgresql');
    assert.equal(readableName('social/prod/svc-idt/jwt-signing-key', CONTEXT), 'svc-idt_jwt-signing-key');
    assert.equal(readableName('2024-archive', CONTEXT), '_2024-archive', 'a Terraform name starts with a letter or underscore');
  });

  it('refuse two resources of one type with the same readable name, and a late call', () => {
    assert.throws(
      () =>
        synthOneStack('collision', (stack) => {
          useStableAddresses(stack, CONTEXT);
          stableAddress(new S3Bucket(stack, 'a', { bucket: 'social-prod-logs' }), 'social-prod-logs');
          stableAddress(new S3Bucket(stack, 'b', { bucket: 'social-prod-logs' }), 'social-prod-logs');
        }),
      /collision\/b \(social-prod-logs\) and collision\/a \(social-prod-logs\) both map to aws_s3_bucket\.logs/,
    );
    assert.throws(
      () =>
        synthOneStack('late', (stack) => {
          useStableAddresses(stack, CONTEXT);
          const bucket = new S3Bucket(stack, 'a', { bucket: 'social-prod-logs' });
          void bucket.arn;
          stableAddress(bucket, 'social-prod-logs');
        }),
      /call it right after creating the resource, before reading any of its attributes/,
    );
  });

  it('are required for every protected type in every layer stack', () => {
    const [dev] = exampleEnvironments();
    const outdir = mkdtempSync(join(tmpdir(), 'stable-addresses-'));
    after(() => rmSync(outdir, { recursive: true, force: true }));
    const app = buildApp([dev], { outdir });
    const edge = app.node.children.find((child) => child.node.id === `${dev.name}-edge`) as TerraformStack;
    new S3Bucket(edge, 'unnamed', { bucket: `social-${dev.name}-unnamed` });
    assert.throws(() => app.synth(), new RegExp(`${dev.name}-edge/unnamed: aws_s3_bucket is a protected type and needs a stable address`));
  });

  it('move every address the stacks had before, so the switch destroys nothing', () => {
    const text = readFileSync(join(FIXTURES, 'legacy-addresses.json'), 'utf8');
    const legacy = parseAddressFile(text, 'legacy-addresses.json');
    const configured = new Set(exampleEnvironments()[0]!.project.services.map((service) => service.name));
    const removed = (JSON.parse(text).services as string[]).filter((service) => !configured.has(service));
    // A service's resources carry its name as a whole construct id segment (`images-<service>_repository_<hash>`).
    const ofRemovedService = (address: string) => removed.some((service) => new RegExp(`[._-]${service}(_|$)`).test(address));
    for (const [name, doc] of exampleStacks()) {
      const names = declared(doc);
      const moved = movedBlocks(doc);
      for (const from of (legacy[name] ?? []).filter((address) => !ofRemovedService(address))) {
        const block = moved.find((candidate) => candidate.from === from);
        assert.ok(block, `${name}: ${from} has no moved block; applying would destroy it`);
        assert.equal(block.to.split('.')[0], from.split('.')[0], `${name}: ${from} moves to another type`);
        assert.ok(names.has(block.to), `${name}: ${from} moves to ${block.to}, which the stack does not declare`);
      }
      // What Terraform refuses: a `from` still declared, a `from` moved twice.
      for (const block of moved) assert.ok(!names.has(block.from), `${name}: moved from ${block.from}, which is still declared`);
      assert.equal(new Set(moved.map((block) => block.from)).size, moved.length, `${name}: an address is moved twice`);
    }
  });

  it('move a deliberately renamed stable address from its previous name too', () => {
    const doc = synthOneStack('renamed', (stack) => {
      useStableAddresses(stack, CONTEXT);
      new AwsProvider(stack, 'aws', { region: CONTEXT.region });
      stableAddress(new S3Bucket(stack, 'bucket', { bucket: 'social-prod-uploads' }), 'social-prod-uploads', { previousNames: ['media'] });
    });
    assert.deepEqual(movedBlocks(doc), [
      { from: 'aws_s3_bucket.bucket', to: 'aws_s3_bucket.uploads' },
      { from: 'aws_s3_bucket.media', to: 'aws_s3_bucket.uploads' },
    ]);
  });

  it('report a change with the moved block to add', () => {
    const [change] = compareAddresses(
      { 'dev-data': ['aws_db_instance.postgres', 'aws_kms_key.data'] },
      { 'dev-data': ['aws_db_instance.main', 'aws_kms_key.data'] },
    );
    assert.deepEqual(change.moves, [{ from: 'aws_db_instance.postgres', to: 'aws_db_instance.main' }]);
    const text = describeAddressChange(change);
    assert.match(text, /moved \{\n {6}from = aws_db_instance\.postgres\n {6}to {3}= aws_db_instance\.main\n {4}\}/);
    assert.match(text, /previousNames: \['postgres'\]/);
    assert.deepEqual(compareAddresses({ a: ['x.y'] }, { a: ['x.y'] }), []);
    assert.deepEqual(compareAddresses({}, { 'qa-data': ['aws_kms_key.data'] })[0].added, ['aws_kms_key.data'], 'a new stack is a change');
  });
});
