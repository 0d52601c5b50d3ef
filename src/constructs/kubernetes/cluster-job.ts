import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktn';
import { Manifest } from '../../generated/kubernetes/manifest';
import { NetworkPolicyV1 } from '../../generated/kubernetes/network-policy-v1';
import { ServiceAccountV1 } from '../../generated/kubernetes/service-account-v1';
import { invalidProp, isPort, PORT_RANGE } from '../invalid-prop';
import { terraformLiteral } from '../terraform-literal';

/** Kubernetes names a Job's pods after the Job plus a 5-character suffix, within a 63-character label. */
const JOB_NAME_MAX = 52;
const HASH_LENGTH = 10;
const NAME_LABEL = 'app.kubernetes.io/name';
/** A user id every image has no files of: the containers only read their image and write the scratch volumes. */
const UNPRIVILEGED_USER = 65532;
/** Attempts before the Job fails (Kubernetes retries with a growing delay: 10 s, 20 s, 40 s, …). */
const BACKOFF_LIMIT = 3;
/** How long the Job may run in total before Kubernetes fails it; Terraform waits one minute longer. */
const TIMEOUT_MINUTES = 10;
/** Scratch space for HOME, TMPDIR and files the containers hand each other (memory-backed, gone with the pod). */
export const JOB_SCRATCH_PATH = '/scratch';

export interface JobContainer {
  readonly name: string;
  /** A public image pinned by tag. */
  readonly image: string;
  /** Replaces the image's entrypoint. Literal text (a script): `${` and `%{` reach the container as written. */
  readonly command: readonly string[];
  /**
   * Environment variables (never secrets: they are part of the Job's spec and of Terraform state).
   * @default - none besides HOME and TMPDIR, which point at the scratch volume
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Where the Job's pods may connect besides DNS, the AWS APIs and the Pod Identity agent (the namespace's own policies). */
export interface JobEgress {
  readonly cidrs: readonly string[];
  readonly port: number;
}

/** Where a data-store setup Job runs and what it reaches: shared by the Jobs of the data layer. */
export interface DataStoreJobPlacement {
  /** Name of the Job's pod-identity role, from `Naming.roleName(...)`. */
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  /** A platform namespace admitting only `restricted` pods, whose pods reach the AWS APIs. */
  readonly namespace: string;
  /** Where the store listens: the Job's only extra egress, on the store's port. */
  readonly dataSubnetCidrs: readonly string[];
}

export interface ClusterJobProps {
  /** Base name, at most 41 characters: the Job is `<name>-<hash of its spec>`. Also names the service account and network policy. */
  readonly name: string;
  /** A namespace admitting only Pod Security `restricted` pods. */
  readonly namespace: string;
  readonly description: string;
  /**
   * Run in order before `containers`, each to completion.
   * @default - none
   */
  readonly initContainers?: readonly JobContainer[];
  readonly containers: readonly JobContainer[];
  /** The one connection the pods need beyond the namespace's defaults. */
  readonly egress: JobEgress;
  /**
   * Terraform references (`<resource address>.<attribute>`) whose change replaces, and so reruns, the
   * Job, e.g. the resource id of the database it writes to (a new database needs its logins again).
   * @default - only a change of the spec reruns it
   */
  readonly rerunWhenChanged?: readonly string[];
  /**
   * What must exist before the Job runs (its identity's permissions, the store it writes to).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A run-to-completion Kubernetes Job that Terraform applies and waits for: the apply fails when the
 * Job does. Jobs are immutable, so the Job is named after a hash of its spec: any change (a new script,
 * image or setting) replaces it, which runs it again; an unchanged spec never reruns. The pods run as
 * the Job's own service account (for a Pod Identity association) under the `restricted` Pod Security
 * standard (non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp, read-only root
 * file system) and may connect, besides what their namespace allows every pod, only to `egress`.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 * https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/manifest#using-wait-to-block-create-and-update-calls
 */
export class ClusterJob extends Construct {
  readonly job: Manifest;
  readonly serviceAccount: ServiceAccountV1;
  /** The service account the pods run as, for the Pod Identity association (the Job's base name). */
  readonly serviceAccountName: string;
  /** The Job's name, `<name>-<hash>`: it changes with every change of the spec. */
  readonly jobName: string;
  /** The manifest applied (for tests and reviews). */
  readonly manifest: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: ClusterJobProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`ClusterJob ${props.name}`, prop, allowed, got);
    const maxBase = JOB_NAME_MAX - HASH_LENGTH - 1;
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(props.name) || props.name.length > maxBase) {
      fail('name', `a DNS label of at most ${maxBase} characters starting with a letter`, props.name);
    }
    if (props.containers.length === 0) fail('containers', 'at least one container', props.containers);
    const names = [...(props.initContainers ?? []), ...props.containers].map((c) => c.name);
    if (new Set(names).size !== names.length) fail('containers', 'unique container names', names);
    if (!isPort(props.egress.port)) fail('egress.port', PORT_RANGE, props.egress.port);
    if (props.egress.cidrs.length === 0) fail('egress.cidrs', 'at least one CIDR block', props.egress.cidrs);

    const podLabels = { [NAME_LABEL]: props.name };
    this.serviceAccountName = props.name;
    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: { name: props.name, namespace: props.namespace, labels: podLabels },
      // The Pod Identity webhook projects its own token for the agent; the account has no Kubernetes rights.
      automountServiceAccountToken: false,
    });
    const egressPolicy = new NetworkPolicyV1(this, 'egress', {
      metadata: { name: `allow-out-${props.name}`, namespace: props.namespace, annotations: { description: props.description } },
      spec: {
        podSelector: { matchLabels: podLabels },
        policyTypes: ['Egress'],
        egress: [
          { to: props.egress.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: String(props.egress.port), protocol: 'TCP' }] },
        ],
      },
    });

    const spec = {
      backoffLimit: BACKOFF_LIMIT,
      activeDeadlineSeconds: TIMEOUT_MINUTES * 60,
      template: {
        metadata: { labels: podLabels },
        spec: {
          serviceAccountName: props.name,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          securityContext: {
            runAsNonRoot: true,
            runAsUser: UNPRIVILEGED_USER,
            runAsGroup: UNPRIVILEGED_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...(props.initContainers?.length ? { initContainers: props.initContainers.map(containerSpec) } : {}),
          containers: props.containers.map(containerSpec),
          volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }],
        },
      },
    };
    this.jobName = `${props.name}-${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, HASH_LENGTH)}`;
    this.manifest = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.jobName, namespace: props.namespace, labels: podLabels, annotations: { description: props.description } },
      spec,
    };
    this.job = new Manifest(this, 'job', {
      manifest: this.manifest,
      // The Job controller adds its own labels to the pod template (controller-uid, job-name).
      computedFields: ['metadata.labels', 'metadata.annotations', 'spec.template.metadata.labels'],
      // Neither fails early when the Job fails: Kubernetes fails it at its deadline, Terraform a minute later.
      wait: { condition: [{ type: 'Complete', status: 'True' }] },
      timeouts: { create: `${TIMEOUT_MINUTES + 1}m`, update: `${TIMEOUT_MINUTES + 1}m` },
      dependsOn: [this.serviceAccount, egressPolicy, ...(props.dependsOn ?? [])],
      lifecycle: props.rerunWhenChanged?.length ? { replaceTriggeredBy: [...props.rerunWhenChanged] } : undefined,
    });
  }
}

function containerSpec(container: JobContainer): Record<string, unknown> {
  const env = { HOME: JOB_SCRATCH_PATH, TMPDIR: JOB_SCRATCH_PATH, ...container.env };
  return {
    name: container.name,
    image: container.image,
    imagePullPolicy: 'IfNotPresent',
    command: container.command.map((part) => terraformLiteral('ClusterJob', `containers.${container.name}.command`, part)),
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
    volumeMounts: [{ name: 'scratch', mountPath: JOB_SCRATCH_PATH }],
  };
}
