import type { Capability, ServiceConfig } from '../config/schema/project';
import type { Layer } from '../layers';

/**
 * The outputs contract: every value the consumer repositories read from this platform. This list is
 * the single source of truth: stacks may only publish outputs named here, `contract/outputs.json`
 * is generated from it, and `contract:check` compares synthesized outputs with that file.
 *
 * Names follow `<component>_<attribute>` in snake_case. Secrets appear only as ARNs.
 */
export type ContractType = 'string' | 'number' | 'list(string)' | 'map(string)';

/** Who reads an output: every consumer, those with a capability (or any of several), named services, or only the platform. */
export type ContractConsumers =
  | 'all'
  | { readonly capability: Capability }
  | { readonly anyCapability: readonly Capability[] }
  | { readonly services: readonly string[] }
  /** Services with a `publicHost`. */
  | 'public-services'
  | 'platform';

export interface ContractEntry {
  readonly name: string;
  readonly description: string;
  readonly type: ContractType;
  readonly sensitive: boolean;
  readonly layer: Exclude<Layer, 'bootstrap'>;
  readonly consumers: ContractConsumers;
  /** Contract version that introduced the output. */
  readonly since: string;
}

const entry = (e: Omit<ContractEntry, 'sensitive' | 'since'> & Partial<Pick<ContractEntry, 'sensitive' | 'since'>>): ContractEntry => ({
  sensitive: false,
  since: '1.0.0',
  ...e,
});

export const CONTRACT: readonly ContractEntry[] = [
  // network
  entry({ name: 'aws_account_id', layer: 'network', type: 'string', consumers: 'all', description: 'AWS account id of the environment.' }),
  entry({ name: 'aws_region', layer: 'network', type: 'string', consumers: 'all', description: 'AWS region of the environment.' }),
  entry({ name: 'vpc_id', layer: 'network', type: 'string', consumers: 'platform', description: 'Id of the environment VPC.' }),
  entry({
    name: 'vpc_private_subnet_ids',
    layer: 'network',
    type: 'list(string)',
    consumers: 'platform',
    description: 'Private (workload) subnet ids, one per availability zone.',
  }),
  entry({
    name: 'vpc_public_subnet_ids',
    layer: 'network',
    type: 'list(string)',
    consumers: 'platform',
    description: 'Public subnet ids (load balancers), one per availability zone.',
  }),
  entry({
    name: 'vpc_data_subnet_ids',
    layer: 'network',
    type: 'list(string)',
    consumers: 'platform',
    description: 'Isolated data subnet ids (databases), one per availability zone.',
  }),
  // platform
  entry({
    name: 'eks_cluster_name',
    layer: 'platform',
    type: 'string',
    consumers: 'all',
    description: 'Name of the EKS cluster that runs the services (for `aws eks update-kubeconfig`).',
  }),
  entry({
    name: 'eks_cluster_endpoint',
    layer: 'platform',
    type: 'string',
    consumers: 'all',
    description: 'HTTPS endpoint of the Kubernetes API server.',
  }),
  entry({
    name: 'eks_cluster_certificate_authority_data',
    layer: 'platform',
    type: 'string',
    consumers: 'all',
    description: 'Base64 certificate authority data of the Kubernetes API server.',
  }),
  entry({
    name: 'ecr_repository_urls',
    layer: 'platform',
    type: 'map(string)',
    consumers: 'all',
    description: 'ECR repository URL per service name; a pipeline pushes only to its own.',
  }),
  entry({
    name: 'service_role_arns',
    layer: 'platform',
    type: 'map(string)',
    consumers: 'all',
    description: 'Pod-identity IAM role ARN per service name.',
  }),
  entry({
    name: 'service_namespaces',
    layer: 'platform',
    type: 'map(string)',
    consumers: 'all',
    description: 'Kubernetes namespace per service name (the service account has the same name).',
  }),
  entry({
    name: 'deploy_role_arns',
    layer: 'platform',
    type: 'map(string)',
    consumers: 'all',
    description: 'GitHub OIDC deploy role ARN per service name.',
  }),
  entry({
    name: 'ci_runner_label_prefix',
    layer: 'platform',
    type: 'string',
    consumers: 'all',
    since: '1.1.0',
    description:
      "Start of the runs-on label of the environment's CodeBuild-hosted GitHub Actions runner, the only CI inside the VPC " +
      '(private EKS API): a job runs on it with runs-on set to this value, a dash, github.run_id, a dash and github.run_attempt.',
  }),
  entry({
    name: 'eks_workload_architectures',
    layer: 'platform',
    type: 'list(string)',
    consumers: 'all',
    since: '1.3.0',
    description:
      'CPU architectures (kubernetes.io/arch) of the nodes services run on, the only ones Auto Mode launches for them: ' +
      'build every image for each (docker buildx --platform linux/<arch>), or its pods cannot start.',
  }),
  // data
  entry({
    name: 'rds_endpoint_address',
    layer: 'data',
    type: 'string',
    consumers: { capability: 'postgres' },
    description: 'Host name of the PostgreSQL primary.',
  }),
  entry({ name: 'rds_port', layer: 'data', type: 'number', consumers: { capability: 'postgres' }, description: 'PostgreSQL port.' }),
  entry({
    name: 'rds_database_name',
    layer: 'data',
    type: 'string',
    consumers: { capability: 'postgres' },
    description: "Name of the instance's initial database, owned by the master user; each service uses its own (`rds_database_names`).",
  }),
  entry({
    name: 'rds_user_names',
    layer: 'data',
    type: 'map(string)',
    consumers: { capability: 'postgres' },
    since: '1.2.0',
    description: 'PostgreSQL login per postgres service: the user name of its IAM authentication token (no password exists).',
  }),
  entry({
    name: 'rds_database_names',
    layer: 'data',
    type: 'map(string)',
    consumers: { capability: 'postgres' },
    since: '1.2.0',
    description: 'Database each postgres service owns (its tables, its migrations); no other service may connect to it.',
  }),
  entry({
    name: 'rds_master_secret_arn',
    layer: 'data',
    type: 'string',
    consumers: 'platform',
    description: 'ARN of the Secrets Manager secret RDS manages for the master user (never the value).',
  }),
  entry({
    name: 'cache_primary_endpoint_address',
    layer: 'data',
    type: 'string',
    consumers: { capability: 'cache' },
    description: 'Primary endpoint of the Valkey/Redis replication group (TLS).',
  }),
  entry({
    name: 'cache_reader_endpoint_address',
    layer: 'data',
    type: 'string',
    consumers: { capability: 'cache' },
    description: 'Reader endpoint of the replication group (TLS).',
  }),
  entry({ name: 'cache_port', layer: 'data', type: 'number', consumers: { capability: 'cache' }, description: 'Cache port.' }),
  entry({
    name: 'cache_user_names',
    layer: 'data',
    type: 'map(string)',
    consumers: { capability: 'cache' },
    description: 'IAM-authenticated cache user name per service name.',
  }),
  entry({
    name: 'cache_shared_endpoints',
    layer: 'data',
    type: 'map(string)',
    consumers: { capability: 'cache' },
    since: '1.1.0',
    description:
      'Endpoints (`primary` for writes, `reader`) of the never-evicting cache holding the keyspaces services share ' +
      '(TLS, port `cache_port`); empty when no service declares one.',
  }),
  entry({
    name: 'cache_shared_user_names',
    layer: 'data',
    type: 'map(string)',
    consumers: { capability: 'cache' },
    since: '1.1.0',
    description: 'IAM-authenticated user name on the shared cache per service that owns or reads a shared keyspace.',
  }),
  entry({
    name: 'application_secret_arns',
    layer: 'data',
    type: 'map(string)',
    consumers: 'all',
    since: '1.1.0',
    description:
      'ARN per application secret, keyed `<owner service>/<secret name>`; ' +
      'a service may read the ones it owns and those naming it as a reader.',
  }),
  entry({
    name: 'cache_admin_secret_arn',
    layer: 'data',
    type: 'string',
    consumers: 'platform',
    description: 'ARN of the secret holding the cache admin password (never the value).',
  }),
  entry({
    name: 'opensearch_endpoint',
    layer: 'data',
    type: 'string',
    consumers: { capability: 'search-read' },
    description: 'HTTPS endpoint of the OpenSearch domain (requests are SigV4-signed).',
  }),
  entry({
    name: 'opensearch_domain_arn',
    layer: 'data',
    type: 'string',
    consumers: { capability: 'search-read' },
    description: 'ARN of the OpenSearch domain.',
  }),
  // edge
  entry({
    name: 'media_bucket_name',
    layer: 'edge',
    type: 'string',
    consumers: { anyCapability: ['media-read', 'media-write'] },
    description: 'Name of the media bucket, for uploads and for presigning URLs of `private/<service>/` objects.',
  }),
  entry({
    name: 'media_public_base_url',
    layer: 'edge',
    type: 'string',
    consumers: { capability: 'media-read' },
    description:
      "Public base URL media is served from through Cloudflare, on a registrable domain of its own (not the apps' site): " +
      'allow it in Content-Security-Policy img-src and media-src.',
  }),
  entry({
    name: 'ses_identity_arn',
    layer: 'edge',
    type: 'string',
    consumers: { capability: 'email-send' },
    description: 'ARN of the SES domain identity mail is sent from.',
  }),
  entry({
    name: 'ses_configuration_set_name',
    layer: 'edge',
    type: 'string',
    consumers: { capability: 'email-send' },
    description: 'SES configuration set every send must name.',
  }),
  entry({
    name: 'email_from_addresses',
    layer: 'edge',
    type: 'map(string)',
    consumers: { capability: 'email-send' },
    since: '1.1.0',
    description: 'Comma-separated From addresses per email-send service; SES refuses a send from any other address.',
  }),
  entry({
    name: 'email_from_domain',
    layer: 'edge',
    type: 'string',
    consumers: { capability: 'email-send' },
    description: 'Domain the From address must use.',
  }),
  entry({
    name: 'public_hostnames',
    layer: 'edge',
    type: 'map(string)',
    consumers: 'all',
    description: 'Public host name per entry point (app, api, admin, media).',
  }),
  entry({
    name: 'alb_target_group_arns',
    layer: 'platform',
    type: 'map(string)',
    consumers: 'public-services',
    description:
      'Target group ARN per public host; ' +
      'the cluster layer binds each to its service (TargetGroupBinding), this is for reading target health.',
  }),
];

export function contractEntry(name: string): ContractEntry {
  const found = CONTRACT.find((e) => e.name === name);
  if (!found) throw new Error(`"${name}" is not in the outputs contract (src/contract/catalog.ts); add it there first`);
  return found;
}

/** Whether a service's pipeline needs an output; 'platform' outputs serve this repository only. */
export function isConsumedBy(entry: ContractEntry, service: ServiceConfig): boolean {
  const { consumers } = entry;
  if (consumers === 'all') return true;
  if (consumers === 'platform') return false;
  if (consumers === 'public-services') return service.publicHost !== undefined;
  if ('capability' in consumers) return service.capabilities.includes(consumers.capability);
  if ('anyCapability' in consumers) return consumers.anyCapability.some((capability) => service.capabilities.includes(capability));
  return consumers.services.includes(service.name);
}

/** The contract outputs a service's pipeline may read, by name. */
export function outputsFor(service: ServiceConfig): ContractEntry[] {
  return CONTRACT.filter((e) => isConsumedBy(e, service));
}
