import { Construct } from 'constructs';
import { ClusterRoleBindingV1 } from '../../generated/kubernetes/cluster-role-binding-v1';
import { ClusterRoleV1 } from '../../generated/kubernetes/cluster-role-v1';
import { RoleBindingV1 } from '../../generated/kubernetes/role-binding-v1';
import { RoleV1 } from '../../generated/kubernetes/role-v1';
import { invalidProp } from '../invalid-prop';
import { RBAC_API_GROUP, READ_VERBS, toRule, type RbacRule } from './namespace-deployer';

export interface ClusterReaderProps {
  /** Name of the ClusterRole and its binding. */
  readonly name: string;
  /** The Kubernetes group the reading role's EKS access entry maps to. */
  readonly group: string;
  /** API groups and resources the group may get, list and watch: only what a plan refreshes. */
  readonly resources: readonly Omit<RbacRule, 'verbs'>[];
  /**
   * Single named objects to read in one namespace (a Role there, not cluster-wide read of the kind).
   * @default - none
   */
  readonly namedObjects?: readonly {
    readonly namespace: string;
    readonly apiGroup: string;
    readonly resource: string;
    readonly name: string;
  }[];
}

/**
 * Cluster-wide read of named resource types for one group, e.g. the CI plan role refreshing the
 * cluster layer's objects. Read only, and never Secrets: plans run code from unreviewed pull requests.
 */
export class ClusterReader extends Construct {
  readonly role: ClusterRoleV1;

  constructor(scope: Construct, id: string, props: ClusterReaderProps) {
    super(scope, id);
    const secrets = props.resources.find((r) => r.resources.some((resource) => resource === 'secrets' || resource === '*'));
    if (secrets) invalidProp(`ClusterReader ${props.name}`, 'resources', 'resource types other than secrets and "*"', secrets);
    this.role = new ClusterRoleV1(this, 'role', {
      metadata: { name: props.name },
      rule: props.resources.map((rule) => toRule({ ...rule, verbs: READ_VERBS })),
    });
    new ClusterRoleBindingV1(this, 'binding', {
      metadata: { name: props.name },
      roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: this.role.metadata.name },
      subject: [{ kind: 'Group', name: props.group, apiGroup: RBAC_API_GROUP }],
    });
    for (const object of props.namedObjects ?? []) {
      const metadata = { name: `${props.name}-${object.name}`, namespace: object.namespace };
      const role = new RoleV1(this, `role-${object.namespace}-${object.name}`, {
        metadata,
        rule: [{ apiGroups: [object.apiGroup], resources: [object.resource], resourceNames: [object.name], verbs: ['get'] }],
      });
      new RoleBindingV1(this, `binding-${object.namespace}-${object.name}`, {
        metadata,
        roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name: role.metadata.name },
        subject: [{ kind: 'Group', name: props.group, apiGroup: RBAC_API_GROUP }],
      });
    }
  }
}
