import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusedVersionChanges } from '../../src/checks/version-changes';

const refused = (type: string, argument: string, before: string, after: string, extra: Record<string, unknown> = {}) =>
  refusedVersionChanges(type, { [argument]: before, ...extra }, { [argument]: after, ...extra });

describe('version changes AWS refuses', () => {
  it('EKS: one minor version up at a time, and back only to the previous one (a rollback)', () => {
    assert.deepEqual(refused('aws_eks_cluster', 'version', '1.35', '1.36'), []);
    assert.match(
      refused('aws_eks_cluster', 'version', '1.34', '1.36')[0]!,
      /one minor version at a time \(1\.34 → 1\.36\): apply 1\.35 first/,
    );
    assert.deepEqual(refused('aws_eks_cluster', 'version', '1.36', '1.35'), [], 'a rollback, which EKS does within 7 days of the upgrade');
    assert.match(refused('aws_eks_cluster', 'version', '1.36', '1.34')[0]!, /rolls a cluster back only to the previous minor version/);
  });

  it('ElastiCache: no downgrade of the same engine; an engine change is not judged here', () => {
    assert.deepEqual(refused('aws_elasticache_replication_group', 'engine_version', '8.0', '8.1', { engine: 'valkey' }), []);
    assert.match(
      refused('aws_elasticache_replication_group', 'engine_version', '8.1', '7.2', { engine: 'valkey' })[0]!,
      /cannot downgrade an engine version \(8\.1 → 7\.2\)/,
    );
    const engineChange = refusedVersionChanges(
      'aws_elasticache_replication_group',
      { engine: 'redis', engine_version: '7.1' },
      { engine: 'valkey', engine_version: '7.2' },
    );
    assert.deepEqual(engineChange, []);
  });

  it('OpenSearch: no downgrade, and 3.x only from 2.19', () => {
    assert.deepEqual(refused('aws_opensearch_domain', 'engine_version', 'OpenSearch_2.17', 'OpenSearch_2.19'), []);
    assert.deepEqual(refused('aws_opensearch_domain', 'engine_version', 'OpenSearch_2.19', 'OpenSearch_3.1'), []);
    assert.match(
      refused('aws_opensearch_domain', 'engine_version', 'OpenSearch_2.17', 'OpenSearch_3.1')[0]!,
      /apply OpenSearch_2\.19 first/,
    );
    assert.match(refused('aws_opensearch_domain', 'engine_version', 'OpenSearch_2.19', 'OpenSearch_2.17')[0]!, /irreversible/);
  });

  it('judges only literal versions of the types it knows', () => {
    assert.deepEqual(refused('aws_eks_cluster', 'version', '${var.old}', '1.36'), []);
    assert.deepEqual(refused('aws_eks_cluster', 'version', '1.30', '1.36', {}).length, 1);
    assert.deepEqual(refused('aws_db_instance', 'engine_version', '17', '16'), [], 'no rule where the docs state none');
    assert.deepEqual(refusedVersionChanges('aws_eks_cluster', undefined, { version: '1.36' }), []);
  });
});
