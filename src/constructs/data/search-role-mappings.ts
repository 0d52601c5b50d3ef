import { EksPodIdentityAssociation } from '@cdktn/provider-aws/lib/eks-pod-identity-association';
import { Construct } from 'constructs';
import { ClusterJob, type DataStoreJobPlacement, JOB_SCRATCH_PATH } from '../kubernetes/cluster-job';
import { invalidProp } from '../invalid-prop';
import { PodIdentityRole } from '../security/pod-identity-role';
import { SEARCH_PORT, searchIndexPattern, type SearchDomain } from './search-domain';

/** Every OpenSearch role this repository manages is named `<prefix><service>-<access>`; the job removes the others of that prefix. */
export const SEARCH_ROLE_PREFIX = 'service-';

export type SearchAccess = 'read' | 'write';

/**
 * What each access level may do, as OpenSearch's default action groups: reading (`read`; `mget` and
 * `msearch` also need the cluster-level `cluster_composite_ops_ro`), and writing its own indexes
 * (documents, creating them, mappings, settings and aliases: `crud`, `create_index`, `manage`; `_bulk`
 * is the cluster-level `cluster_composite_ops`).
 * https://docs.opensearch.org/latest/security/access-control/default-action-groups/
 */
export const SEARCH_ACCESS_PERMISSIONS: Readonly<
  Record<SearchAccess, { readonly cluster: readonly string[]; readonly index: readonly string[] }>
> = {
  read: { cluster: ['cluster_composite_ops_ro'], index: ['read'] },
  write: { cluster: ['cluster_composite_ops'], index: ['crud', 'create_index', 'manage'] },
};

export interface SearchServiceAccess {
  readonly service: string;
  /** The service's pod-identity role: the backend role OpenSearch sees for its signed requests. */
  readonly roleArn: string;
  readonly access: SearchAccess;
}

/** An OpenSearch role and its mapping, as the security plugin's REST API takes them. */
export interface SearchRole {
  readonly name: string;
  readonly role: {
    readonly description: string;
    readonly cluster_permissions: readonly string[];
    readonly index_permissions: readonly object[];
  };
  readonly mapping: { readonly backend_roles: readonly string[]; readonly hosts: readonly string[]; readonly users: readonly string[] };
}

/**
 * One OpenSearch role per service and access level, mapped to the service's IAM role alone. A writer
 * writes its own indexes (`searchIndexPattern`); a reader reads the indexes of every writer (search
 * serves what the indexing services write: `svc-admin` reads what `svc-search` indexes).
 */
function searchRoles(grants: readonly SearchServiceAccess[]): SearchRole[] {
  const writers = [...new Set(grants.filter((g) => g.access === 'write').map((g) => g.service))].sort();
  return grants.map(({ service, roleArn, access }) => {
    const patterns = access === 'write' ? [searchIndexPattern(service)] : writers.map(searchIndexPattern);
    const permissions = SEARCH_ACCESS_PERMISSIONS[access];
    return {
      name: `${SEARCH_ROLE_PREFIX}${service}-${access}`,
      role: {
        description: `search-${access} of ${service}; managed by platform-infra (data layer), changes are overwritten`,
        cluster_permissions: permissions.cluster,
        index_permissions: patterns.length > 0 ? [{ index_patterns: patterns, allowed_actions: permissions.index }] : [],
      },
      mapping: { backend_roles: [roleArn], hosts: [], users: [] },
    };
  });
}

/**
 * The script the Job runs: assume the master role, PUT every role and mapping (PUT creates or
 * replaces, so a run sets them exactly), then delete the managed roles, and their mappings, that
 * config no longer names. Requests are SigV4-signed by curl (`--aws-sigv4`, curl 7.75+) with the
 * master role's session. https://docs.opensearch.org/latest/security/api/roles/index/
 * https://docs.opensearch.org/latest/security/api/role-mappings/index/
 */
function searchRoleMappingsScript(roles: readonly SearchRole[]): string {
  const json = (value: object) => {
    const text = JSON.stringify(value);
    if (text.includes("'")) invalidProp('searchRoleMappingsScript', 'roles', 'values without single quotes (the script quotes them)', text);
    return `'${text}'`;
  };
  for (const { name } of roles) {
    if (!new RegExp(`^${SEARCH_ROLE_PREFIX}[a-z0-9-]+$`).test(name))
      invalidProp('searchRoleMappingsScript', 'roles', `names ${SEARCH_ROLE_PREFIX}<lowercase letters, digits, "-">`, name);
  }
  return [
    'endpoint=$(aws opensearch describe-domain --domain-name "$DOMAIN" --query DomainStatus.Endpoints.vpc --output text)',
    'set -- $(aws sts assume-role --role-arn "$MASTER_ROLE_ARN" --role-session-name search-role-mappings \\',
    "  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)",
    'access_key=$1 secret_key=$2 session_token=$3',
    '# call METHOD PATH [BODY]: the response on stdout; fails unless 2xx (or 404 for a DELETE)',
    'call() {',
    '  code=$(curl --silent --show-error --proto =https --aws-sigv4 "aws:amz:$AWS_REGION:es" --user "$access_key:$secret_key" \\',
    '    --header "x-amz-security-token: $session_token" --header "Content-Type: application/json" --request "$1" \\',
    `    --output ${JOB_SCRATCH_PATH}/response --write-out '%{http_code}' ` +
      '${3:+--data "$3"} "https://$endpoint/_plugins/_security/api/$2")',
    `  cat ${JOB_SCRATCH_PATH}/response; echo`,
    '  case "$code" in 2??) ;; 404) [ "$1" = DELETE ] || return 1 ;; *) echo "$1 $2: HTTP $code" >&2; return 1 ;; esac',
    '}',
    ...roles.flatMap(({ name, role, mapping }) => [
      `call PUT roles/${name} ${json(role)}`,
      `call PUT rolesmapping/${name} ${json(mapping)}`,
    ]),
    `call GET roles > ${JOB_SCRATCH_PATH}/roles`,
    `for role in $(grep -o '"${SEARCH_ROLE_PREFIX}[a-z0-9-]*"[[:space:]]*:[[:space:]]*{' ${JOB_SCRATCH_PATH}/roles | cut -d '"' -f 2); do`,
    `  case " ${roles.map((r) => r.name).join(' ')} " in *" $role "*) continue ;; esac`,
    '  call DELETE "rolesmapping/$role"',
    '  call DELETE "roles/$role"',
    'done',
    '',
  ].join('\n');
}

export interface SearchRoleMappingsProps extends DataStoreJobPlacement {
  readonly search: SearchDomain;
  /** The master role's ARN as a literal (from `Naming`), so the Job's spec, and its name, are known at plan time. */
  readonly masterRoleArn: string;
  readonly grants: readonly SearchServiceAccess[];
  /** Public AWS CLI image pinned by tag (it has curl). */
  readonly awsCliImage: string;
}

/**
 * Keeps the OpenSearch fine-grained access control of the services equal to config (`searchRoles`),
 * from a Kubernetes Job (ClusterJob) in the VPC. The Job's pod identity may only assume the domain's
 * master role (whose trust names it) and describe the domain: changing role mappings needs the
 * security plugin's admin rights, which in a domain with an IAM master only the master user holds.
 */
export class SearchRoleMappings extends Construct {
  readonly role: PodIdentityRole;
  readonly job: ClusterJob;
  readonly roles: readonly SearchRole[];

  constructor(scope: Construct, id: string, props: SearchRoleMappingsProps) {
    super(scope, id);
    const jobName = 'search-role-mappings';
    this.roles = searchRoles(props.grants);
    this.role = new PodIdentityRole(this, 'identity', {
      roleName: props.roleName,
      description: `Runs the ${props.search.domainName} role-mapping job: assumes the domain's master role, nothing else`,
      accountId: props.accountId,
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: jobName,
    });
    const grant = props.search.grantMasterRole('role-mappings', this.role.name, this.role.arn);
    const association = new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: jobName,
      roleArn: this.role.arn,
    });
    this.job = new ClusterJob(this, 'job', {
      name: jobName,
      namespace: props.namespace,
      description: `Sets the OpenSearch roles and role mappings of the search services on ${props.search.domainName}`,
      egress: { cidrs: props.dataSubnetCidrs, port: SEARCH_PORT },
      containers: [
        {
          name: 'apply-role-mappings',
          image: props.awsCliImage,
          env: {
            AWS_REGION: props.region,
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_PAGER: '',
            DOMAIN: props.search.domainName,
            MASTER_ROLE_ARN: props.masterRoleArn,
          },
          command: ['/bin/sh', '-ec', searchRoleMappingsScript(this.roles)],
        },
      ],
      rerunWhenChanged: [`${props.search.domain.terraformResourceType}.${props.search.domain.friendlyUniqueId}.domain_id`],
      dependsOn: [grant, association, props.search.domain, props.search.masterRole],
    });
  }
}
