// Arguments whose change makes Terraform replace (destroy and re-create) a resource of a type the guard protects
// (src/checks/guard/protected.ts), as the hashicorp/aws provider documentation states them. Deliberately small: only
// what the docs mark "Forces new resource" or say recreates the resource; the plan (and the guard on it) stays the
// authority, this only warns earlier, where there is no plan (a laptop, a fork's pull request).
import type { JsonValue } from '../../checks/terraform-json';

export interface ForcesNewRule {
  /** The argument, with blocks as `block.argument` (list indexes dropped). */
  readonly path: string;
  /** When only some changes replace (e.g. turning encryption off), which ones; otherwise any change does. */
  readonly when?: (before: JsonValue | undefined, after: JsonValue | undefined) => boolean;
  /** What the provider docs say, short. */
  readonly note: string;
}

const DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources';
const turnedOff = (before: JsonValue | undefined, after: JsonValue | undefined) => before === true && after !== true;

const FORCES_NEW: Readonly<Record<string, { readonly docs: string; readonly rules: readonly ForcesNewRule[] }>> = {
  aws_s3_bucket: {
    docs: `${DOCS}/s3_bucket`,
    rules: [
      { path: 'bucket', note: '"bucket - (Optional, Forces new resource) The name of the bucket"' },
      { path: 'bucket_prefix', note: '"bucket_prefix - (Optional, Forces new resource)"' },
    ],
  },
  aws_db_instance: {
    docs: `${DOCS}/db_instance`,
    rules: [
      { path: 'backup_target', note: '"backup_target - (Optional, Forces new resource)"' },
      { path: 'nchar_character_set_name', note: '"nchar_character_set_name - (Optional, Forces new resource)"' },
      { path: 'restore_to_point_in_time', note: '"restore_to_point_in_time - (Optional, Forces new resource)"' },
    ],
  },
  aws_elasticache_replication_group: {
    docs: `${DOCS}/elasticache_replication_group`,
    rules: [{ path: 'snapshot_name', note: '"Changing the snapshot_name forces a new resource"' }],
  },
  aws_opensearch_domain: {
    docs: `${DOCS}/opensearch_domain`,
    rules: [
      { path: 'encrypt_at_rest.kms_key_id', note: '"If you change the kms_key_id, Terraform will also recreate the domain"' },
      {
        path: 'encrypt_at_rest.enabled',
        when: turnedOff,
        note: '"if you disable encrypt_at_rest for an existing, encrypted domain, Terraform will recreate the domain"',
      },
      {
        path: 'node_to_node_encryption.enabled',
        when: turnedOff,
        note: '"if you disable node_to_node_encryption for an existing, node-to-node encrypted domain, Terraform will recreate the domain"',
      },
    ],
  },
  aws_eks_cluster: {
    docs: `${DOCS}/eks_cluster`,
    rules: [
      {
        path: 'kubernetes_network_config.service_ipv4_cidr',
        note:
          '"You can only specify a custom CIDR block when you create a cluster, ' +
          'changing this value will force a new cluster to be created"',
      },
    ],
  },
};

/** The rule a change of `path` (a diff path, list indexes included) on `type` triggers, if any. */
export function forcesNew(
  type: string,
  path: string,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): ForcesNewRule | undefined {
  const rules = Object.hasOwn(FORCES_NEW, type) ? FORCES_NEW[type]!.rules : [];
  const plain = path.replace(/\[\d+\]/g, '');
  return rules.find((rule) => (plain === rule.path || plain.startsWith(`${rule.path}.`)) && (rule.when?.(before, after) ?? true));
}
