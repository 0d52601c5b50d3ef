import { Construct } from 'constructs';
import { RoleBindingV1 } from '../../generated/kubernetes/role-binding-v1';
import { RoleV1 } from '../../generated/kubernetes/role-v1';

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
export const READ_VERBS = ['get', 'list', 'watch'] as const;
const MANAGE = [...READ_VERBS, 'create', 'update', 'patch', 'delete'];

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What a service pipeline may do in its own namespace: run its workloads (Deployments and the
 * ReplicaSets they roll, Jobs, CronJobs), expose them (Services), configure them (ConfigMaps, also
 * Helm's release storage with HELM_DRIVER=configmap), scale and protect them (HPAs, PDBs), and read
 * pods, logs and events to follow a rollout. No Secrets (application secrets live in Secrets Manager),
 * no ServiceAccounts, RBAC, NetworkPolicies, quotas or the namespace itself: the cluster layer owns
 * those, so a pipeline cannot widen its own rights or its pods' network reach.
 */
export const DEPLOYER_RULES: readonly RbacRule[] = [
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: MANAGE },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: MANAGE },
  { apiGroups: [''], resources: ['services', 'configmaps'], verbs: MANAGE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: MANAGE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: MANAGE },
  { apiGroups: [''], resources: ['pods', 'events', 'resourcequotas', 'limitranges'], verbs: READ_VERBS },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ_VERBS },
];

export interface NamespaceDeployerProps {
  readonly namespace: string;
  /** The Kubernetes group the deploy role's EKS access entry maps to. */
  readonly group: string;
}

/** A Role with DEPLOYER_RULES in one namespace and the RoleBinding that gives it to one group; nothing cluster-wide. */
export class NamespaceDeployer extends Construct {
  readonly role: RoleV1;

  constructor(scope: Construct, id: string, props: NamespaceDeployerProps) {
    super(scope, id);
    const metadata = { name: 'deployer', namespace: props.namespace };
    this.role = new RoleV1(this, 'role', { metadata, rule: DEPLOYER_RULES.map(toRule) });
    new RoleBindingV1(this, 'binding', {
      metadata,
      roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name: this.role.metadata.name },
      subject: [{ kind: 'Group', name: props.group, apiGroup: RBAC_API_GROUP }],
    });
  }
}

export function toRule(rule: RbacRule): { apiGroups: string[]; resources: string[]; verbs: string[] } {
  return { apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] };
}
