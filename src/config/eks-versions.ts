/**
 * Amazon EKS support calendar of the Kubernetes versions this repository may run. Validation compares
 * against `EKS_VERSIONS_REVIEWED_ON`, never against today's date, so the same config gives the same
 * result on every machine and day. Once the table is EKS_VERSIONS_REVIEW_DAYS old, the scheduled
 * maintenance workflow opens an issue (npm run review): someone re-reads the calendar and moves the date.
 * No build fails for the date alone.
 *
 * Source: Amazon EKS User Guide, "Understand the Kubernetes version lifecycle on EKS", section
 * "Amazon EKS Kubernetes release calendar" (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html;
 * dates are UTC; support ends at the start of the day). Reviewed 2026-12-01 against:
 * - 1.36 (upstream 2026-04-22; on EKS 2026-06-02, "Amazon EKS and Amazon EKS Distro now supports Kubernetes
 *   version 1.36", https://aws.amazon.com/about-aws/whats-new/2026/06/amazon-eks-distro-kubernetes-version-1-36/):
 *   the calendar row "`1.36` | April 22, 2026 | June 2, 2026 | August 2, 2027 | August 2, 2028", as endoflife.date
 *   copies it from that page (github.com/endoflife-date/endoflife.date, products/amazon-eks.md, added 2026-06-05
 *   in #10240: eol 2027-08-02, eoes 2028-08-02). It is also the calendar's rule, "standard support ... for the
 *   first 14 months after it's released", then "extended support for the next 12 months", from 2026-06-02.
 * - 1.29–1.35: the same endoflife.date file (its eol/eoes columns are read from the calendar's table), the
 *   calendar itself in github.com/awsdocs/amazon-eks-user-guide (latest/ug/versioning/kubernetes-versions.adoc @8596db8:
 *   1.29–1.33), and AWS's "EKS operation review" calendar, verified 2026-04-24
 *   (https://aws-samples.github.io/sample-apex-skills/docs/skills/eks-operation-review/references/cluster-lifecycle).
 * The AWS page itself was not reachable from here, only these copies of it; they agree on every date below.
 */
export const EKS_VERSIONS_REVIEWED_ON = '2026-12-01';
/** Days after which the table is due for a review (about six months: EKS adds a version every four). */
export const EKS_VERSIONS_REVIEW_DAYS = 183;

export interface EksVersionSupport {
  readonly version: string;
  /** First day the version is in extended support (billed), yyyy-mm-dd. */
  readonly endOfStandardSupport: string;
  /** First day EKS no longer supports the version at all and upgrades clusters, yyyy-mm-dd. */
  readonly endOfExtendedSupport: string;
}

export const EKS_VERSIONS: readonly EksVersionSupport[] = [
  { version: '1.36', endOfStandardSupport: '2027-08-02', endOfExtendedSupport: '2028-08-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  { version: '1.30', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  { version: '1.29', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
];

export type EksSupportStatus = 'standard' | 'extended' | 'unsupported' | 'unknown';

/** Where `version` stands on `date` (yyyy-mm-dd; ISO dates compare as strings). */
export function eksSupportStatus(version: string, date: string = EKS_VERSIONS_REVIEWED_ON): EksSupportStatus {
  const entry = EKS_VERSIONS.find((v) => v.version === version);
  if (!entry) return 'unknown';
  if (date < entry.endOfStandardSupport) return 'standard';
  if (date < entry.endOfExtendedSupport) return 'extended';
  return 'unsupported';
}

/** Versions with the given status on the review date, newest first: for error messages. */
export function eksVersionsIn(status: 'standard' | 'extended', date: string = EKS_VERSIONS_REVIEWED_ON): string[] {
  return EKS_VERSIONS.filter((v) => eksSupportStatus(v.version, date) === status).map((v) => v.version);
}
