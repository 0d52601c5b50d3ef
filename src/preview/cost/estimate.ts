// A monthly estimate per environment and layer from the synthesized JSON and the price table: one line per billable
// part of a resource (instance hours, storage, data processed), each naming its price (or that none is in the table)
// and, when it depends on usage, its assumption. Resources that bill nothing on their own are left out.
import { quantityValue } from '../../config/schema/cluster';
import { CODEBUILD_DEFAULT_BUILD_TIMEOUT_MINUTES } from '../../constructs/ci/codebuild-network';
import {
  blocks,
  findReferencing,
  isExpression,
  isObject,
  list,
  references,
  type JsonObject,
  type JsonValue,
  type StackDocument,
  type TerraformJson,
} from '../../checks/terraform-json';
import { isCiRunner, regionOf, resourcesOf, type ResourceEntry } from '../resources';
import type { CostAssumptions } from './assumptions';
import { DAYS_PER_MONTH, HOURS_PER_MONTH, isStale, vcpusOfSize, type Price, type PriceTable } from './prices';

export interface CostLine {
  readonly environment: string;
  readonly layer: string;
  readonly stack: string;
  /** The region whose price applies: the resource's own `region` argument, else its stack's. */
  readonly region?: string;
  readonly address: string;
  /** What is billed, e.g. `3 × m7g.2xlarge (desired_size), 730 h`. */
  readonly item: string;
  /** The price key in the table (`ec2.m7g.large`). */
  readonly priceKey: string;
  /** Undefined when the table has no price for the key in the region. */
  readonly monthly?: number;
  readonly price?: Price;
  /** Usage assumptions and approximations behind the line. */
  readonly assumption?: string;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  /** Price keys used, with the region, whose `checked` date is older than STALE_AFTER_MONTHS. */
  readonly stale: readonly { readonly region: string; readonly key: string; readonly checked: string }[];
}

/** Adds a line; `region` prices it in another region than the resource's (a cross-region backup copy). */
type Pricer = (key: string, quantity: number, item: string, assumption?: string, region?: string) => void;

/** What a resource's lines may need beyond its own arguments. */
interface PriceContext {
  readonly environment: string;
  readonly region: string | undefined;
  readonly byAddress: Map<string, ResourceEntry>;
  /** The stack's document, for `findReferencing`. */
  readonly doc: TerraformJson;
  /** Trails recording management events seen so far, per environment (one account each): the first copy is free. */
  readonly managementTrails: Map<string, number>;
}

export function estimateCost(
  stacks: readonly StackDocument[],
  table: PriceTable,
  assumptions: CostAssumptions,
  today = new Date(),
): CostEstimate {
  const lines: CostLine[] = [];
  const stale = new Map<string, { region: string; key: string; checked: string }>();
  const managementTrails = new Map<string, number>();
  for (const stack of stacks) {
    const stackRegion = regionOf(stack) ?? regionOfEnvironment(stacks, stack.environment);
    const resources = resourcesOf(stack);
    const byAddress = new Map(resources.map((r) => [r.address, r]));
    for (const resource of resources) {
      // AWS provider v6 resources take a `region` argument that overrides the provider's (the recovery-region copies).
      const ownRegion = typeof resource.body.region === 'string' && !isExpression(resource.body.region) ? resource.body.region : undefined;
      const resourceRegion = ownRegion ?? stackRegion;
      const price: Pricer = (key, quantity, item, assumption, elsewhere) => {
        const region = elsewhere ?? resourceRegion;
        const prices = region ? (table.regions[region] ?? {}) : {};
        const found = Object.hasOwn(prices, key) ? prices[key] : undefined;
        if (found && isStale(found.checked, today)) stale.set(`${region}/${key}`, { region: region!, key, checked: found.checked });
        lines.push({
          environment: stack.environment,
          layer: resource.layer,
          stack: stack.name,
          ...(region ? { region } : {}),
          address: resource.address,
          item,
          priceKey: key,
          ...(found ? { monthly: round(found.usd * quantity), price: found } : {}),
          ...(assumption ? { assumption } : {}),
        });
      };
      const context = { environment: stack.environment, region: resourceRegion, byAddress, doc: stack.doc, managementTrails };
      priceResource(resource, price, assumptions, context);
    }
  }
  return { lines, stale: [...stale.values()].sort((a, b) => a.key.localeCompare(b.key)) };
}

/** Stacks without an AWS provider (the cluster layer) take their environment's region. */
function regionOfEnvironment(stacks: readonly StackDocument[], environment: string): string | undefined {
  for (const stack of stacks) if (stack.environment === environment && regionOf(stack)) return regionOf(stack);
  return undefined;
}

const round = (usd: number) => Math.round(usd * 100) / 100;
const num = (value: JsonValue | undefined, fallback = 0) =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : fallback;
const bool = (value: JsonValue | undefined) => value === true || value === 'true';
const first = (value: JsonValue | undefined): JsonObject => blocks(value)[0] ?? {};
/** The resources of the stack, of one of `types`, that `value` refers to: the other direction of `findReferencing`. */
const referencedBy = (value: JsonValue | undefined, byAddress: Map<string, ResourceEntry>, ...types: string[]) =>
  [...byAddress.values()].filter((entry) => types.includes(entry.type) && references(value, entry.address));

function priceResource(resource: ResourceEntry, price: Pricer, a: CostAssumptions, context: PriceContext): void {
  const body = resource.body;
  const byAddress = context.byAddress;
  const hours = `${HOURS_PER_MONTH} h`;
  switch (resource.type) {
    case 'aws_eks_cluster': {
      const extended = first(body.upgrade_policy).support_type === 'EXTENDED';
      price(
        extended ? 'eks.cluster.extended' : 'eks.cluster.standard',
        HOURS_PER_MONTH,
        `control plane (${extended ? 'extended' : 'standard'} support), ${hours}`,
      );
      return;
    }
    case 'aws_eks_node_group': {
      const scaling = first(body.scaling_config);
      const nodes = num(scaling.desired_size, num(scaling.min_size));
      const types = Array.isArray(body.instance_types) ? body.instance_types.map(String) : [];
      const type = types[0] ?? 't3.medium';
      const others = types.length > 1 ? `; priced as the first of ${types.join(', ')}` : '';
      price(`ec2.${type}`, nodes * HOURS_PER_MONTH, `${nodes} × ${type} (desired_size), ${hours}`, `on-demand${others}`);
      const volume = rootVolume(body, byAddress);
      if (volume) price('ebs.gp3', nodes * volume, `${nodes} × ${volume} GiB gp3 root volume`);
      return;
    }
    case 'kubernetes_manifest': {
      const manifest = isObject(body.manifest) ? body.manifest : {};
      if (manifest.apiVersion === 'karpenter.sh/v1' && manifest.kind === 'NodePool') priceNodePool(manifest, price, a);
      return;
    }
    case 'aws_nat_gateway':
      price('nat.hour', HOURS_PER_MONTH, `NAT gateway, ${hours}`);
      price(
        'nat.gb',
        a.natGbPerGateway,
        `${a.natGbPerGateway} GB processed`,
        `assumes ${a.natGbPerGateway} GB a month through each gateway`,
      );
      return;
    case 'aws_lb':
      if ((body.load_balancer_type ?? 'application') !== 'application') return;
      price('alb.hour', HOURS_PER_MONTH, `application load balancer, ${hours}`);
      price('alb.lcu', a.albLcus * HOURS_PER_MONTH, `${a.albLcus} LCU × ${hours}`, `assumes ${a.albLcus} LCU on average`);
      return;
    case 'aws_vpc_endpoint': {
      if (body.vpc_endpoint_type !== 'Interface') return;
      const zones = Array.isArray(body.subnet_ids) ? body.subnet_ids.length : 1;
      const service = String(body.service_name ?? '')
        .split('.')
        .at(-1);
      price('vpce.interface.hour', zones * HOURS_PER_MONTH, `interface endpoint ${service} in ${zones} zones, ${hours}`);
      price(
        'vpce.interface.gb',
        a.interfaceEndpointGb,
        `${a.interfaceEndpointGb} GB processed`,
        `assumes ${a.interfaceEndpointGb} GB a month per endpoint`,
      );
      return;
    }
    case 'aws_db_instance':
      priceDatabase(body, price, a);
      return;
    case 'aws_elasticache_replication_group': {
      const nodes = num(body.num_cache_clusters, 1);
      const engine = String(body.engine ?? 'redis');
      price(
        `elasticache.${engine}.${String(body.node_type)}`,
        nodes * HOURS_PER_MONTH,
        `${nodes} × ${String(body.node_type)} (${engine}), ${hours}`,
      );
      return;
    }
    case 'aws_opensearch_domain': {
      const cluster = first(body.cluster_config);
      const data = num(cluster.instance_count, 1);
      price(
        `opensearch.${String(cluster.instance_type)}`,
        data * HOURS_PER_MONTH,
        `${data} × ${String(cluster.instance_type)} data nodes, ${hours}`,
      );
      if (bool(cluster.dedicated_master_enabled)) {
        const masters = num(cluster.dedicated_master_count, 3);
        price(
          `opensearch.${String(cluster.dedicated_master_type)}`,
          masters * HOURS_PER_MONTH,
          `${masters} × ${String(cluster.dedicated_master_type)} master nodes, ${hours}`,
        );
      }
      const ebs = first(body.ebs_options);
      if (bool(ebs.ebs_enabled))
        price(
          'opensearch.gp3',
          data * num(ebs.volume_size),
          `${data} × ${num(ebs.volume_size)} GiB ${String(ebs.volume_type ?? 'gp2')} storage`,
        );
      return;
    }
    case 'aws_kms_key':
      price(
        'kms.key',
        1,
        'customer managed key',
        'each automatic rotation adds a key version billed like a key for its first two rotations',
      );
      return;
    case 'aws_secretsmanager_secret':
      price('secretsmanager.secret', 1, 'secret');
      return;
    case 'aws_cloudwatch_log_group': {
      const retention = num(body.retention_in_days, 3653);
      const stored = round((a.logGbPerGroup * Math.min(retention, 3653)) / DAYS_PER_MONTH);
      price('logs.ingest', a.logGbPerGroup, `${a.logGbPerGroup} GB ingested`, `assumes ${a.logGbPerGroup} GB a month per log group`);
      price(
        'logs.storage',
        stored,
        `${stored} GB stored (${retention} days retained)`,
        'steady state: a month of ingestion per month retained',
      );
      return;
    }
    case 'aws_s3_bucket':
      price('s3.standard', a.s3GbPerBucket, `${a.s3GbPerBucket} GB Standard`, `assumes ${a.s3GbPerBucket} GB stored per bucket`);
      return;
    case 'aws_cloudwatch_metric_alarm':
      priceAlarm(body, price);
      return;
    case 'aws_cloudwatch_composite_alarm':
      price('cloudwatch.alarm.composite', 1, 'composite alarm', NO_ALARM_FREE_TIER);
      return;
    case 'aws_cloudwatch_dashboard':
      priceDashboard(body, price);
      return;
    case 'aws_eks_addon':
      if (body.addon_name === CONTAINER_INSIGHTS_ADDON) priceContainerInsights(body, price, a);
      return;
    case 'aws_cloudtrail':
      priceTrail(body, price, a, context);
      return;
    case 'aws_backup_plan':
      priceBackupPlan(resource, price, a, context);
      return;
    case 'aws_backup_restore_testing_selection':
      priceRestoreTest(resource.body, price, context);
      return;
    case 'aws_codebuild_project':
      priceBuildProject(resource, price, a, context);
      return;
    default:
      return;
  }
}

/** The estimate prices alarms at list price; the account's free allowance is left to the bill (docs/preview.md). */
const ALARM_FREE_TIER = 'list price; the free tier of 10 standard-resolution alarm metrics a month per account is not deducted';
const NO_ALARM_FREE_TIER = 'list price; the alarm free tier covers only standard-resolution alarms that list their metrics';

/**
 * One line per alarm: CloudWatch bills per alarm metric a month, so a metric-math alarm counts each metric it queries
 * (not its expressions), and an alarm on a period under 60 seconds is a high-resolution alarm.
 */
function priceAlarm(body: JsonObject, price: Pricer): void {
  const queries = blocks(body.metric_query);
  const metrics = queries.length ? queries.filter((q) => blocks(q.metric).length > 0).length : 1;
  const insights = queries.some((q) => /^\s*SELECT\b/i.test(String(q.expression ?? '')));
  const periods = queries.length ? queries.flatMap((q) => blocks(q.metric)).map((m) => num(m.period, 60)) : [num(body.period, 60)];
  const highResolution = periods.some((p) => p < 60);
  if (insights) {
    price('cloudwatch.alarm.metrics-insights', 1, 'Metrics Insights query alarm', NO_ALARM_FREE_TIER);
    return;
  }
  const kind = highResolution ? 'high-resolution' : 'standard';
  const what = queries.length ? `metric math over ${metrics} metric${metrics === 1 ? '' : 's'}` : String(body.metric_name ?? 'metric');
  price(
    `cloudwatch.alarm.${kind}`,
    metrics,
    `${metrics} alarm metric${metrics === 1 ? '' : 's'} (${kind} resolution; ${what})`,
    highResolution ? NO_ALARM_FREE_TIER : ALARM_FREE_TIER,
  );
}

/** Metrics a dashboard draws: each metric row of a graph (not math expressions), or one per alarm a graph draws. */
export function dashboardMetrics(dashboardBody: JsonValue | undefined): number | undefined {
  let parsed: unknown;
  try {
    parsed = typeof dashboardBody === 'string' && !isExpression(dashboardBody) ? JSON.parse(dashboardBody) : undefined;
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !Array.isArray(parsed.widgets)) return undefined;
  let metrics = 0;
  for (const widget of parsed.widgets) {
    if (!isObject(widget) || widget.type !== 'metric' || !isObject(widget.properties)) continue;
    const rows = Array.isArray(widget.properties.metrics) ? widget.properties.metrics : [];
    const drawn = rows.filter((row) => Array.isArray(row) && typeof row[0] === 'string').length;
    const annotations = isObject(widget.properties.annotations) && Array.isArray(widget.properties.annotations.alarms);
    metrics += drawn || (annotations ? (widget.properties.annotations as JsonObject & { alarms: JsonValue[] }).alarms.length : 0);
  }
  return metrics;
}

/** CloudWatch's free tier for dashboards (https://aws.amazon.com/cloudwatch/pricing/), which the estimate does not deduct. */
const FREE_DASHBOARDS = { count: 3, metrics: 50 } as const;

function priceDashboard(body: JsonObject, price: Pricer): void {
  const metrics = dashboardMetrics(body.dashboard_body);
  const { count, metrics: limit } = FREE_DASHBOARDS;
  const tier = `the free tier (${count} dashboards of up to ${limit} metrics a month per account)`;
  const freeTier =
    metrics === undefined
      ? `list price; ${tier} is not deducted`
      : metrics > limit
        ? `draws at least ${metrics} metrics, more than the ${limit} a free-tier dashboard may reference, so ${tier} does not cover it`
        : `draws ${metrics} metrics: it may be one of the account's ${count} free-tier dashboards, which the estimate does not deduct`;
  price('cloudwatch.dashboard', 1, `dashboard ${String(body.dashboard_name ?? '')}`.trim(), freeTier);
}

const CONTAINER_INSIGHTS_ADDON = 'amazon-cloudwatch-observability';

/**
 * The CloudWatch Observability add-on with enhanced observability (its default): CloudWatch bills Container Insights
 * for EKS per observation. Its container logs land in the log groups the cluster layer creates, priced there.
 */
function priceContainerInsights(body: JsonObject, price: Pricer, a: CostAssumptions): void {
  const cluster = isExpression(body.cluster_name) ? 'the cluster' : String(body.cluster_name);
  price(
    'cloudwatch.containerinsights.observations',
    a.containerInsightsMillionObservations,
    `Container Insights (enhanced observability) for ${cluster}: ${a.containerInsightsMillionObservations} M observations`,
    `placeholder volume of ${a.containerInsightsMillionObservations} million observations a month (no measured figure); ` +
      "the add-on's logs are priced on its log groups",
  );
}

/** Whether a trail records management events, and whether it records data events. */
function trailEvents(body: JsonObject): { management: boolean; data: boolean } {
  const selectors = blocks(body.event_selector);
  const advanced = blocks(body.advanced_event_selector);
  if (selectors.length === 0 && advanced.length === 0) return { management: true, data: false };
  const category = (selector: JsonObject) =>
    blocks(selector.field_selector)
      .filter((f) => f.field === 'eventCategory')
      .flatMap((f) => list(f.equals).map(String));
  return {
    management:
      selectors.some((s) => s.include_management_events !== false && s.include_management_events !== 'false') ||
      advanced.some((s) => category(s).includes('Management')),
    data: selectors.some((s) => blocks(s.data_resource).length > 0) || advanced.some((s) => category(s).includes('Data')),
  };
}

/**
 * CloudTrail delivers an account's first copy of management events free; every further trail recording them pays per
 * event, and data events are paid from the first copy. The trail's log files are priced on its bucket (s3.standard).
 */
function priceTrail(body: JsonObject, price: Pricer, a: CostAssumptions, context: PriceContext): void {
  const events = trailEvents(body);
  const name = String(body.name ?? 'trail');
  if (events.management) {
    const earlier = context.managementTrails.get(context.environment) ?? 0;
    context.managementTrails.set(context.environment, earlier + 1);
    const blocksOf100k = a.trailManagementEvents / 100_000;
    if (earlier === 0)
      price(
        'cloudtrail.management.first-copy',
        blocksOf100k,
        `trail ${name}: the account's first copy of management events`,
        'the first copy is free; config creates no trail of its own when it names an organization trail, ' +
          `so this is the account's only copy (${a.trailManagementEvents.toLocaleString('en-US')} events a month assumed)`,
      );
    else
      price(
        'cloudtrail.management.additional-copy',
        blocksOf100k,
        `trail ${name}: copy ${earlier + 1} of management events`,
        `assumes ${a.trailManagementEvents.toLocaleString('en-US')} management events a month`,
      );
  }
  if (events.data)
    price(
      'cloudtrail.data-events',
      a.trailDataEvents / 100_000,
      `trail ${name}: data events`,
      `assumes ${a.trailDataEvents.toLocaleString('en-US')} data events a month`,
    );
}

/** The vault region of a copy action's destination ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`). */
function vaultOf(arn: JsonValue | undefined): { region: string; account: string; name: string } | undefined {
  const match = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d+):backup-vault:(.+)$/.exec(String(arn ?? ''));
  return match ? { region: match[1]!, account: match[2]!, name: match[3]! } : undefined;
}

/**
 * AWS Backup storage of a plan's recovery points, per selected resource and rule: a full copy plus a day's change per
 * day retained, in the plan's vault and again in every copy destination, and the daily change each copy to another
 * region transfers. Only S3 buckets and RDS instances of the same stack are sized (their sizes are the bucket
 * assumption and `allocated_storage`).
 */
function priceBackupPlan(plan: ResourceEntry, price: Pricer, a: CostAssumptions, context: PriceContext): void {
  const selected: { kind: 's3' | 'rds'; address: string; gb: number }[] = [];
  for (const selection of findReferencing(context.doc, 'aws_backup_selection', 'plan_id', plan.address)) {
    for (const arn of list(selection.body.resources)) {
      const [target] = referencedBy(arn, context.byAddress, 'aws_s3_bucket', 'aws_db_instance');
      if (!target) continue;
      selected.push(
        target.type === 'aws_s3_bucket'
          ? { kind: 's3', address: target.address, gb: a.s3GbPerBucket }
          : { kind: 'rds', address: target.address, gb: num(target.body.allocated_storage) },
      );
    }
  }
  const change = a.backupDailyChange;
  for (const rule of blocks(plan.body.rule)) {
    const days = num(first(rule.lifecycle).delete_after, 0);
    const continuous = bool(rule.enable_continuous_backup);
    const ruleName = String(rule.rule_name ?? 'rule');
    for (const target of selected) {
      const key = `backup.${target.kind}.${continuous ? 'continuous' : 'warm'}`;
      const sized = target.kind === 's3' ? `assumes ${a.s3GbPerBucket} GB per bucket` : 'allocated_storage';
      /** What a vault keeping the recovery points `retainedDays` holds, and why. */
      const retained = (retainedDays: number) => ({
        gb: round(target.gb * (1 + change * retainedDays)),
        why: `${sized}; a full copy plus ${change * 100}% daily change × ${retainedDays} days retained`,
      });
      const stored = retained(days);
      price(key, stored.gb, `${ruleName}: ${target.address}, ${stored.gb} GB in the plan's vault`, stored.why);
      for (const copy of blocks(rule.copy_action)) {
        const vault = vaultOf(copy.destination_vault_arn);
        if (!vault) continue;
        const copied = retained(num(first(copy.lifecycle).delete_after, days));
        const where = `${vault.region} vault ${vault.name} (account ${vault.account})`;
        price(key, copied.gb, `${ruleName}: ${target.address}, ${copied.gb} GB copied to ${where}`, copied.why, vault.region);
        if (vault.region !== context.region) {
          const moved = round(target.gb * change * DAYS_PER_MONTH);
          price(
            'backup.cross-region-transfer',
            moved,
            `${ruleName}: ${target.address}, ${moved} GB a month copied to ${vault.region}`,
            `steady state: each daily copy moves the day's change (${change * 100}% of ${target.gb} GB)`,
          );
        }
      }
    }
  }
}

/**
 * Runs a month of an AWS cron schedule (`cron(minutes hours day-of-month month day-of-week year)`), for the shapes
 * config uses: days of the week (weekly), days of the month (monthly) or every day, at one time of day. Undefined for
 * anything else, which a line then names instead of guessing.
 */
export function runsPerMonth(schedule: JsonValue | undefined): number | undefined {
  const fields = /^cron\((.+)\)$/
    .exec(String(schedule ?? ''))?.[1]
    ?.trim()
    .split(/\s+/);
  if (fields?.length !== 6) return undefined;
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const single = (field: string) => /^\d+$/.test(field);
  if (!single(minutes) || !single(hours) || month !== '*') return undefined;
  const count = (field: string) => field.split(',').length;
  if (dayOfMonth === '?' && /^[A-Z]{3}(,[A-Z]{3})*$|^[1-7](,[1-7])*$/.test(dayOfWeek)) return (count(dayOfWeek) * DAYS_PER_MONTH) / 7;
  if (dayOfWeek === '?' && /^\d+(,\d+)*$/.test(dayOfMonth)) return count(dayOfMonth);
  if ((dayOfMonth === '*' && dayOfWeek === '?') || (dayOfMonth === '?' && dayOfWeek === '*')) return DAYS_PER_MONTH;
  return undefined;
}

/**
 * A restore test brings up a copy of the protected RDS instance each run, Multi-AZ like its source unless
 * `restore_metadata_overrides.multiaz` says otherwise,
 * which AWS Backup keeps for at most the selection's validation window after the restore ("the time, in hours, data is
 * retained after a restore test so that optional validation can be completed":
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForList.html). The line prices that
 * upper bound on the instance class and storage of the protected instance.
 */
function priceRestoreTest(selection: JsonObject, price: Pricer, context: PriceContext): void {
  if (selection.protected_resource_type !== 'RDS') return;
  const [plan] = referencedBy(selection.restore_testing_plan_name, context.byAddress, 'aws_backup_restore_testing_plan');
  for (const arn of list(selection.protected_resource_arns)) {
    const [source] = referencedBy(arn, context.byAddress, 'aws_db_instance');
    if (!source) continue;
    const overrides = isObject(selection.restore_metadata_overrides) ? selection.restore_metadata_overrides : {};
    const multiAz = overrides.multiaz === undefined ? bool(source.body.multi_az) : bool(overrides.multiaz);
    const { copies, klass, instanceKey, storageGib, storageType, storageKey } = rdsBilling(source.body, multiAz);
    const windowHours = num(selection.validation_window_hours, 0);
    const runs = runsPerMonth(plan?.body.schedule_expression);
    const schedule = String(plan?.body.schedule_expression ?? 'no restore testing plan in the stack');
    if (runs === undefined) {
      price(instanceKey, 0, `restore test of ${source.address}: schedule ${schedule} not modelled`);
      continue;
    }
    const hours = round(runs * windowHours);
    const kept = `each kept up to its ${windowHours} h validation window (an upper bound)`;
    const why = `${round(runs)} restore tests a month (${schedule}), ${kept}`;
    price(instanceKey, copies * hours, `restore test of ${source.address}: ${hours} h of ${copies} × ${klass}`, why);
    const gbMonths = round((copies * storageGib * hours) / HOURS_PER_MONTH);
    price(storageKey, gbMonths, `restore test of ${source.address}: ${copies} × ${storageGib} GiB ${storageType} for ${hours} h`, why);
  }
}

/** `BUILD_GENERAL1_SMALL` → `general1.small`, as CodeBuild's price list names its compute types. */
const computeSize = (computeType: JsonValue | undefined) =>
  String(computeType ?? '')
    .replace(/^BUILD_/, '')
    .toLowerCase()
    .replace('_', '.');

/**
 * CodeBuild bills build minutes per compute type. A project a GitHub webhook starts is a CI runner (the runner
 * assumption); one an EventBridge rule starts on a restore testing plan's jobs builds once per restore test, for at
 * most its build_timeout. A project nothing in its stack starts gets a line that says so.
 */
function priceBuildProject(project: ResourceEntry, price: Pricer, a: CostAssumptions, context: PriceContext): void {
  const environment = first(project.body.environment);
  const platform = environment.type === 'ARM_CONTAINER' ? 'arm' : 'linux';
  const compute = computeSize(environment.compute_type);
  const key = `codebuild.${platform}.${compute}`;
  if (isCiRunner(project, context.doc)) {
    const minutes = a.runnerBuildMinutes;
    price(
      key,
      minutes,
      `CI runner: ${minutes.toLocaleString('en-US')} build minutes on ${platform} ${compute}`,
      `assumes ${minutes.toLocaleString('en-US')} build minutes a month of GitHub Actions jobs`,
    );
    return;
  }
  const timeout = num(project.body.build_timeout, CODEBUILD_DEFAULT_BUILD_TIMEOUT_MINUTES);
  const plans = findReferencing(context.doc, 'aws_cloudwatch_event_target', 'arn', project.address)
    .flatMap((target) => referencedBy(target.body.rule, context.byAddress, 'aws_cloudwatch_event_rule'))
    .flatMap((rule) => referencedBy(rule.body.event_pattern, context.byAddress, 'aws_backup_restore_testing_plan'));
  const runs = plans.reduce((sum, plan) => sum + (runsPerMonth(plan.body.schedule_expression) ?? 0), 0);
  if (plans.length === 0 || runs === 0) {
    price(key, 0, `builds on ${platform} ${compute}: started by nothing this estimate models`);
    return;
  }
  const minutes = round(runs * timeout);
  price(
    key,
    minutes,
    `${round(runs)} builds a month on ${platform} ${compute}, up to ${timeout} min each`,
    `one build per restore test of ${plans.map((p) => p.address).join(', ')}; priced at build_timeout (an upper bound)`,
  );
}

function rootVolume(nodeGroup: JsonObject, byAddress: Map<string, ResourceEntry>): number | undefined {
  if (typeof nodeGroup.disk_size === 'number') return nodeGroup.disk_size;
  const [template] = referencedBy(first(nodeGroup.launch_template).id, byAddress, 'aws_launch_template');
  const ebs = template ? first(first(template.body.block_device_mappings).ebs) : {};
  return typeof ebs.volume_size === 'number' ? ebs.volume_size : undefined;
}

/**
 * The price keys and quantities an RDS instance bills by. Multi-AZ instances bill compute and storage for both the
 * primary and the standby: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html
 */
function rdsBilling(body: JsonObject, multiAz: boolean) {
  const klass = String(body.instance_class);
  const storageType = String(body.storage_type ?? 'gp2');
  return {
    copies: multiAz ? 2 : 1,
    klass,
    instanceKey: `rds.${String(body.engine ?? 'postgres')}.${klass}`,
    storageGib: num(body.allocated_storage),
    storageType,
    storageKey: `rds.${storageType}`,
  };
}

function priceDatabase(body: JsonObject, price: Pricer, a: CostAssumptions): void {
  const multiAz = bool(body.multi_az);
  const { copies, klass, instanceKey, storageGib: storage, storageType, storageKey } = rdsBilling(body, multiAz);
  const deployment = multiAz ? 'Multi-AZ: primary and standby' : 'single-AZ';
  price(instanceKey, copies * HOURS_PER_MONTH, `${copies} × ${klass} (${deployment}), ${HOURS_PER_MONTH} h`);
  price(
    storageKey,
    copies * storage,
    `${copies} × ${storage} GiB ${storageType} (allocated_storage)`,
    'storage autoscaling can grow it up to max_allocated_storage',
  );
  const retention = num(body.backup_retention_period);
  if (retention > 0) {
    const billed = round(storage * retention * a.backupDailyChange);
    price(
      'rds.backup',
      billed,
      `${billed} GB backup storage beyond the free allowance`,
      `assumes ${a.backupDailyChange * 100}% of the data changes a day, kept ${retention} days`,
    );
  }
  const insightsDays = num(body.performance_insights_retention_period, 7);
  if (bool(body.performance_insights_enabled) && insightsDays > 7) {
    const vcpus = vcpusOfSize(klass) ?? 2;
    price(
      'rds.performance-insights.vcpu',
      copies * vcpus,
      `${copies} × ${vcpus} vCPU, ${insightsDays} days retained`,
      'the first 7 days are free',
    );
  }
}

interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** A NodePool's capacity has no minimum: price the assumed baseline on the cheapest-per-vCPU type it admits. */
function priceNodePool(manifest: JsonObject, price: Pricer, a: CostAssumptions): void {
  const name = String(isObject(manifest.metadata) ? manifest.metadata.name : 'nodepool');
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
  const requirements: Requirement[] = (Array.isArray(template.requirements) ? template.requirements : [])
    .filter(isObject)
    .map((r) => ({ key: String(r.key), operator: String(r.operator), values: Array.isArray(r.values) ? r.values.map(String) : [] }));
  const candidates = NODE_POOL_CANDIDATES.filter((type) => requirements.every((r) => admits(r, type)));
  const spotOnly = requirements.some(
    (r) => r.key === 'karpenter.sh/capacity-type' && r.operator === 'In' && !r.values.includes('on-demand'),
  );
  const type = candidates[0];
  if (!type) {
    price('nodepool.no-known-type', 0, `NodePool ${name}: none of ${NODE_POOL_CANDIDATES.join(', ')} matches its requirements`);
    return;
  }
  const vcpus = vcpusOfSize(type)!;
  const limits = isObject(spec.limits) ? spec.limits : {};
  const cpuLimit = typeof limits.cpu === 'string' || typeof limits.cpu === 'number' ? quantityValue(String(limits.cpu)) : undefined;
  let nodes: number;
  let basis: string;
  if (typeof spec.replicas === 'number') {
    nodes = spec.replicas;
    basis = `spec.replicas ${spec.replicas}`;
  } else if (cpuLimit !== undefined && !isExpression(limits.cpu)) {
    nodes = Math.max(1, Math.ceil((cpuLimit * a.nodePoolBaseline) / vcpus));
    basis = `assumed baseline ${a.nodePoolBaseline * 100}% of spec.limits.cpu ${cpuLimit} (NodePools have no minimum; --nodepool-baseline)`;
  } else {
    nodes = a.nodePoolNodesWithoutLimit;
    basis = `no spec.limits.cpu: assumed ${nodes} node`;
  }
  const spotNote = spotOnly ? '; spot priced at the on-demand list price (an upper bound)' : '';
  const why = `${basis}; ${type} is the cheapest type per vCPU it admits among ${NODE_POOL_CANDIDATES.join(', ')}${spotNote}`;
  price(`ec2.${type}`, nodes * HOURS_PER_MONTH, `NodePool ${name}: ${nodes} × ${type}, ${HOURS_PER_MONTH} h`, why);
  price(`eks.automode.${type}`, nodes * HOURS_PER_MONTH, `NodePool ${name}: Auto Mode management fee, ${nodes} × ${type}`, basis);
  price(
    'ebs.gp3',
    nodes * a.nodePoolVolumeGib,
    `NodePool ${name}: ${nodes} × ${a.nodePoolVolumeGib} GiB node volume`,
    'the NodeClass default ephemeralStorage size',
  );
}

/**
 * Types a NodePool estimate may pick, cheapest per vCPU first within each architecture (Graviton before x86, compute
 * before general purpose before memory, by list-price order). Add a type here and its prices to the table.
 */
const NODE_POOL_CANDIDATES: readonly string[] = ['c7g.large', 'm7g.large', 'r7g.large', 'c7i.large', 'm7i.large', 'r7i.large'];

function describe(type: string): Record<string, string> {
  const [family = '', size = ''] = type.split('.');
  const match = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family) ?? [];
  const attributes = match[3] ?? '';
  return {
    'eks.amazonaws.com/instance-category': match[1] ?? '',
    'eks.amazonaws.com/instance-generation': match[2] ?? '',
    'eks.amazonaws.com/instance-family': family,
    'eks.amazonaws.com/instance-size': size,
    'node.kubernetes.io/instance-type': type,
    'kubernetes.io/arch': attributes.includes('g') ? 'arm64' : 'amd64',
    'karpenter.sh/capacity-type': 'on-demand',
    'kubernetes.io/os': 'linux',
  };
}

/** Whether a requirement admits a type; keys this estimate does not model (zones, cpu counts) admit every type. */
function admits(requirement: Requirement, type: string): boolean {
  const labels = describe(type);
  if (requirement.key === 'karpenter.sh/capacity-type') return requirement.operator !== 'DoesNotExist';
  if (!Object.hasOwn(labels, requirement.key)) return true;
  const value = labels[requirement.key]!;
  switch (requirement.operator) {
    case 'In':
      return requirement.values.includes(value);
    case 'NotIn':
      return !requirement.values.includes(value);
    case 'Gt':
      return Number(value) > Number(requirement.values[0]);
    case 'Lt':
      return Number(value) < Number(requirement.values[0]);
    case 'DoesNotExist':
      return false;
    default:
      return true;
  }
}
