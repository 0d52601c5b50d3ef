// What the architecture diagram shows, derived from one environment's synthesized stacks: the VPC with its subnet
// tiers and zones, what runs in each tier (EKS, node groups and NodePools, the CI runner, the stores, the load
// balancer, NAT gateways, interface endpoints), what lives outside it (buckets, SES, Cloudflare, GitHub) and the
// traffic security groups admit between them (one edge per ingress rule: source, target, protocol and port).
import {
  blocks,
  CROSS_STACK_OUTPUT_PREFIX,
  isObject,
  type JsonObject,
  type JsonValue,
  type StackDocument,
} from '../../checks/terraform-json';
import { isCiRunner, resourcesOf, type ResourceEntry } from '../resources';

export const TIERS = ['public', 'private', 'data'] as const;
export type Tier = (typeof TIERS)[number];

export interface DiagramNode {
  readonly id: string;
  readonly label: string;
  readonly kind: 'compute' | 'store' | 'network' | 'external' | 'storage' | 'group';
  /** Inside the VPC: its subnet tier; outside: undefined. */
  readonly tier?: Tier;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface DiagramModel {
  readonly environment: string;
  readonly vpc?: { readonly label: string; readonly subnets: Readonly<Record<Tier, readonly string[]>> };
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

const id = (entry: ResourceEntry) => `${entry.stack}_${entry.address}`.replace(/[^A-Za-z0-9_]/g, '_');

/** Every string inside a value, for finding the references it holds. */
function strings(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isObject(value)) return Object.values(value).flatMap(strings);
  return [];
}

/** The resources of `candidates` a value references, directly (`${type.name.attr}`) or through a cross-stack output. */
function referenced(value: JsonValue | undefined, candidates: readonly ResourceEntry[]): ResourceEntry[] {
  const text = strings(value).filter((s) => s.includes('${'));
  return candidates.filter((c) =>
    text.some((s) => s.includes(`${c.type}.${c.name}.`) || s.includes(`${CROSS_STACK_OUTPUT_PREFIX}${c.type}${c.name}`)),
  );
}

function tierOf(entry: ResourceEntry, subnets: readonly ResourceEntry[], all: readonly ResourceEntry[], fallback: Tier): Tier {
  // Subnet groups hold the subnets of databases and caches; follow them one step.
  const groups = referenced(
    entry.body,
    all.filter((r) => r.type === 'aws_db_subnet_group' || r.type === 'aws_elasticache_subnet_group'),
  );
  const found = [...referenced(entry.body, subnets), ...groups.flatMap((g) => referenced(g.body, subnets))];
  const tiers = found
    .map((s) => (isObject(s.body.tags) ? String(s.body.tags.Tier ?? '') : ''))
    .filter((t): t is Tier => (TIERS as readonly string[]).includes(t));
  return tiers[0] ?? fallback;
}

const SECURITY_GROUP_ARGUMENTS = ['vpc_security_group_ids', 'security_group_ids', 'security_groups'];

function securityGroupsOf(entry: ResourceEntry, groups: readonly ResourceEntry[], all: readonly ResourceEntry[]): ResourceEntry[] {
  const holders: JsonValue[] = SECURITY_GROUP_ARGUMENTS.map((a) => entry.body[a] ?? null);
  for (const block of ['vpc_config', 'vpc_options']) for (const b of blocks(entry.body[block])) holders.push(b.security_group_ids ?? null);
  // Node groups take their security groups from their launch template.
  const templates =
    entry.type === 'aws_eks_node_group'
      ? referenced(
          entry.body.launch_template,
          all.filter((r) => r.type === 'aws_launch_template'),
        )
      : [];
  for (const template of templates) holders.push(template.body.vpc_security_group_ids ?? null);
  return referenced(holders, groups);
}

function port(rule: JsonObject): string {
  const protocol = String(rule.ip_protocol ?? 'tcp');
  if (protocol === '-1') return 'all traffic';
  const from = rule.from_port;
  const to = rule.to_port ?? from;
  return from === undefined ? protocol : from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
}

export function buildModel(environment: string, stacks: readonly StackDocument[]): DiagramModel {
  const all = stacks.filter((s) => s.environment === environment).flatMap(resourcesOf);
  const ofType = (...types: string[]) => all.filter((r) => types.includes(r.type));
  const subnets = ofType('aws_subnet');
  const groups = ofType('aws_security_group');
  const nodes: DiagramNode[] = [];
  const members = new Map<string, string[]>();
  const add = (entry: ResourceEntry, label: string, kind: DiagramNode['kind'], tier?: Tier) => {
    nodes.push({ id: id(entry), label, kind, ...(tier ? { tier } : {}) });
    for (const group of securityGroupsOf(entry, groups, all)) members.set(id(group), [...(members.get(id(group)) ?? []), id(entry)]);
  };
  const name = (entry: ResourceEntry, ...keys: string[]) =>
    keys.map((k) => entry.body[k]).find((v) => typeof v === 'string' && !v.includes('${')) ?? entry.name;

  for (const e of ofType('aws_eks_cluster'))
    add(e, `EKS ${name(e, 'name')}\\nKubernetes ${String(e.body.version ?? '')}`, 'compute', tierOf(e, subnets, all, 'private'));
  for (const e of ofType('aws_eks_node_group')) {
    const scaling = blocks(e.body.scaling_config)[0] ?? {};
    const types = Array.isArray(e.body.instance_types) ? e.body.instance_types.join(', ') : '';
    add(
      e,
      `node group ${name(e, 'node_group_name')}\\n${String(scaling.min_size)}-${String(scaling.max_size)} × ${types}`,
      'compute',
      tierOf(e, subnets, all, 'private'),
    );
  }
  for (const e of ofType('kubernetes_manifest')) {
    const manifest = isObject(e.body.manifest) ? e.body.manifest : {};
    if (manifest.kind !== 'NodePool') continue;
    const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
    add(e, `NodePool ${String(metadata.name ?? e.name)}`, 'compute', 'private');
  }
  const docs = new Map(stacks.map((stack) => [stack.name, stack.doc]));
  const runners = ofType('aws_codebuild_project').filter((e) => isCiRunner(e, docs.get(e.stack)!));
  for (const e of ofType('aws_codebuild_project')) {
    const kind = runners.includes(e) ? 'CI runner' : 'build';
    add(e, `${kind} ${name(e, 'name')}\\n(CodeBuild)`, 'compute', tierOf(e, subnets, all, 'private'));
  }
  for (const e of ofType('aws_db_instance')) {
    add(
      e,
      `PostgreSQL ${name(e, 'identifier')}\\n${String(e.body.instance_class)}${e.body.multi_az === true ? ', Multi-AZ' : ''}`,
      'store',
      tierOf(e, subnets, all, 'data'),
    );
  }
  for (const e of ofType('aws_elasticache_replication_group')) {
    add(
      e,
      `${String(e.body.engine ?? 'cache')} ${name(e, 'replication_group_id')}\\n` +
        `${String(e.body.num_cache_clusters ?? 1)} × ${String(e.body.node_type)}`,
      'store',
      tierOf(e, subnets, all, 'data'),
    );
  }
  for (const e of ofType('aws_opensearch_domain')) {
    const cluster = blocks(e.body.cluster_config)[0] ?? {};
    add(
      e,
      `OpenSearch ${name(e, 'domain_name')}\\n${String(cluster.instance_count ?? 1)} × ${String(cluster.instance_type)}`,
      'store',
      tierOf(e, subnets, all, 'data'),
    );
  }
  for (const e of ofType('aws_lb'))
    add(
      e,
      `load balancer ${name(e, 'name')}\\n(${String(e.body.load_balancer_type ?? 'application')})`,
      'network',
      tierOf(e, subnets, all, 'public'),
    );
  for (const e of ofType('aws_nat_gateway'))
    add(
      e,
      `NAT gateway\\n${referenced(e.body, subnets)
        .map((s) => String(s.body.availability_zone))
        .join(', ')}`,
      'network',
      'public',
    );
  const interfaces = ofType('aws_vpc_endpoint').filter((e) => e.body.vpc_endpoint_type === 'Interface');
  if (interfaces.length > 0) {
    const services = interfaces
      .map((e) =>
        String(e.body.service_name ?? '')
          .split('.')
          .slice(3)
          .join('.'),
      )
      .sort();
    // One node for all of them: they share a security group and a purpose (AWS APIs without the NAT gateways).
    add(
      { ...interfaces[0]!, name: 'interface-endpoints' },
      `${interfaces.length} interface endpoints\\n${wrap(services.join(', '), 40)}`,
      'network',
      'private',
    );
  }
  for (const e of ofType('aws_s3_bucket')) add(e, `S3 ${name(e, 'bucket')}`, 'storage');
  for (const e of ofType('aws_sesv2_email_identity').slice(0, 1)) add(e, `SES ${name(e, 'email_identity')}`, 'external');
  const ecr = ofType('aws_ecr_repository');
  if (ecr.length > 0) add({ ...ecr[0]!, name: 'repositories' }, `ECR: ${ecr.length} repositories`, 'storage');

  const cloudflare = all.some((r) => r.type.startsWith('cloudflare_')) ? 'cloudflare' : undefined;
  if (cloudflare)
    nodes.push({ id: cloudflare, label: `Cloudflare\\n${ofType('cloudflare_dns_record').length} DNS records, proxied`, kind: 'external' });
  const github = ofType('aws_codebuild_webhook', 'aws_iam_openid_connect_provider').length > 0 ? 'github' : undefined;
  if (github) nodes.push({ id: github, label: 'GitHub Actions', kind: 'external' });

  const edges = new Map<string, DiagramEdge>();
  const edge = (from: string, to: string, label: string) => {
    if (from !== to) edges.set(`${from}|${to}|${label}`, { from, to, label });
  };
  const tierNode = (tier: Tier) => `subnets_${tier}`;
  for (const rule of ofType('aws_vpc_security_group_ingress_rule')) {
    const [target] = referenced(rule.body.security_group_id ?? null, groups);
    if (!target) continue;
    const targets = members.get(id(target)) ?? [id(target)];
    if (!members.has(id(target)) && !nodes.some((n) => n.id === id(target)))
      nodes.push({ id: id(target), label: `security group ${name(target, 'name')}`, kind: 'group', tier: 'private' });
    const [source] = referenced(rule.body.referenced_security_group_id ?? null, groups);
    let sources: string[];
    if (source) {
      sources = members.get(id(source)) ?? [id(source)];
      if (!members.has(id(source)) && !nodes.some((n) => n.id === id(source)))
        nodes.push({ id: id(source), label: `security group ${name(source, 'name')}`, kind: 'group', tier: 'private' });
    } else if (strings(rule.body).some((s) => s.includes('cloudflare_ip_ranges')) && cloudflare) {
      sources = [cloudflare];
    } else {
      const cidr = String(rule.body.cidr_ipv4 ?? rule.body.cidr_ipv6 ?? '');
      const subnet = subnets.find((s) => s.body.cidr_block === cidr);
      const tier = subnet && isObject(subnet.body.tags) ? (String(subnet.body.tags.Tier) as Tier) : undefined;
      sources = tier ? [tierNode(tier)] : [];
    }
    for (const from of sources) for (const to of targets) edge(from, to, port(rule.body));
  }
  // Outbound paths that are not security-group rules: buckets Cloudflare reads, the runner's GitHub connection.
  for (const policy of ofType('aws_s3_bucket_policy')) {
    const [bucket] = referenced(policy.body.bucket ?? null, ofType('aws_s3_bucket'));
    const stack = stacks.find((s) => s.name === policy.stack);
    // The policy is inline JSON or a data.aws_iam_policy_document; either names Cloudflare's ranges.
    const documents = Object.entries(stack?.doc.data?.aws_iam_policy_document ?? {})
      .filter(([name]) => strings(policy.body.policy).some((s) => s.includes(`data.aws_iam_policy_document.${name}.`)))
      .map(([, body]) => body as JsonValue);
    if (
      bucket &&
      cloudflare &&
      [policy.body.policy ?? null, ...documents].some((d) =>
        strings(d).some((s) => s.includes('cloudflare_ip_ranges') || s.includes('cloudflare')),
      )
    ) {
      edge(cloudflare, id(bucket), 'HTTPS reads');
    }
  }
  if (github) for (const runner of runners) edge(id(runner), github, 'HTTPS out: jobs');

  const vpc = ofType('aws_vpc')[0];
  const byTier = Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      subnets
        .filter((s) => isObject(s.body.tags) && s.body.tags.Tier === tier)
        .map((s) => `${String(s.body.availability_zone)} ${String(s.body.cidr_block)}`)
        .sort(),
    ]),
  ) as Record<Tier, string[]>;
  return {
    environment,
    ...(vpc ? { vpc: { label: `VPC ${String(vpc.body.cidr_block)}`, subnets: byTier } } : {}),
    nodes: nodes.sort((a, b) => a.id.localeCompare(b.id)),
    edges: mergeLabels([...edges.values()]),
  };
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\\n');
}

/** One edge per pair of nodes, its ports joined (`tcp 443, tcp 9443`), in a stable order. */
function mergeLabels(edges: readonly DiagramEdge[]): DiagramEdge[] {
  const byPair = new Map<string, DiagramEdge & { labels: string[] }>();
  for (const e of edges) {
    const key = `${e.from}|${e.to}`;
    const found = byPair.get(key) ?? { ...e, labels: [] };
    found.labels.push(e.label);
    byPair.set(key, found);
  }
  const portOrder = (label: string) => Number(/\d+/.exec(label)?.[0] ?? 0);
  return [...byPair.values()]
    .map(({ labels, ...e }) => ({
      ...e,
      label: [...new Set(labels)].sort((a, b) => portOrder(a) - portOrder(b) || a.localeCompare(b)).join(', '),
    }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
