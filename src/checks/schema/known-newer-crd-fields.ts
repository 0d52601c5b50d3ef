// Fields of custom resources that AWS documents but the committed CRD schemas (schemas/kubernetes-crds/, converted
// from the CRDs as of the date in the README) do not have yet. Each entry is added to its kind's schema at exactly
// `path`, with a schema written from the cited page, so the field is checked rather than waved through; anywhere
// else it is still an unknown field. Loading fails once a refreshed schema defines the field itself: delete the
// entry then. Add an entry only for a field a stack uses, with the page that names the field at that path.
import type { CrdSchema } from './manifest';

export interface KnownNewerCrdField {
  /** `group/version` of the kind, as in the manifest's `apiVersion`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Dotted path of object fields from the top of the object, e.g. `spec.ephemeralStorage.kmsKeyID`. */
  readonly path: string;
  /** The field's value, as the cited documentation describes it. */
  readonly schema: CrdSchema;
  /** The documentation that names the field at this path. */
  readonly source: string;
}

export const KNOWN_NEWER_CRD_FIELDS: readonly KnownNewerCrdField[] = [
  {
    // A customer managed key for the node's root and data volumes (EKS Auto Mode release notes: added 2025-04-11).
    // The page accepts a key ID, key ARN, alias name or alias ARN, so any string.
    apiVersion: 'eks.amazonaws.com/v1',
    kind: 'NodeClass',
    path: 'spec.ephemeralStorage.kmsKeyID',
    schema: { type: 'string' },
    source:
      'Amazon EKS User Guide, "Enable EBS Volume Encryption with Customer Managed KMS Keys for EKS Auto Mode", ' +
      'step 2 "Configure NodeClass with your customer managed key": https://docs.aws.amazon.com/eks/latest/userguide/auto-kms.html',
  },
];
