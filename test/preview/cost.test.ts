import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackDocument, type TerraformJson } from '../../src/checks/terraform-json';
import { DEFAULT_ASSUMPTIONS } from '../../src/preview/cost/assumptions';
import { dashboardMetrics, estimateCost, runsPerMonth, type CostLine } from '../../src/preview/cost/estimate';
import { DAYS_PER_MONTH, HOURS_PER_MONTH, isStale, readPriceTable, type Price, type PriceTable } from '../../src/preview/cost/prices';
import { costDelta, renderCostText, renderDeltaMarkdown, renderDeltaText, unpricedByRegion } from '../../src/preview/cost/render';
import { exampleEnvironments, exampleStacks, REPO_ROOT } from '../support/synth';
import { join } from 'node:path';

const price = (usd: number, unit: Price['unit'], checked = '2026-11-01'): Price => ({
  usd,
  unit,
  source: 'https://example.com/pricing',
  checked,
});
const table: PriceTable = {
  regions: {
    'eu-west-1': {
      'eks.cluster.standard': price(0.1, 'hour'),
      'ec2.m7g.large': price(0.1, 'hour'),
      'ec2.c7g.large': price(0.08, 'hour'),
      'ebs.gp3': price(0.1, 'GB-month'),
      'nat.hour': price(0.05, 'hour', '2025-01-01'),
      'rds.postgres.db.r7g.large': price(0.3, 'hour'),
    },
  },
};
const provider = { provider: { aws: [{ region: 'eu-west-1' }] } };
const stack = (name: string, resource: TerraformJson['resource']) => stackDocument(name, { ...provider, resource } as TerraformJson);
const today = new Date('2026-12-01T00:00:00Z');
const a = DEFAULT_ASSUMPTIONS;
/** The observability, trail and backup prices of these tests, per region: amounts below are derived from them. */
const observability: PriceTable = {
  regions: {
    'eu-west-1': {
      'cloudwatch.alarm.standard': price(0.1, 'month'),
      'cloudwatch.alarm.high-resolution': price(0.3, 'month'),
      'cloudwatch.dashboard': price(3, 'month'),
      'cloudwatch.containerinsights.observations': price(0.2, '1M observations'),
      'cloudtrail.management.first-copy': price(0, '100k events'),
      'cloudtrail.management.additional-copy': price(2, '100k events'),
      'cloudtrail.data-events': price(0.1, '100k events'),
      'backup.s3.warm': price(0.05, 'GB-month'),
      'backup.rds.warm': price(0.095, 'GB-month'),
      'backup.cross-region-transfer': price(0.02, 'GB'),
      'kms.key': price(1, 'month'),
    },
    'eu-central-1': { 'backup.s3.warm': price(0.06, 'GB-month'), 'kms.key': price(1.5, 'month') },
  },
};
const rate = (region: string, key: string) => observability.regions[region]![key]!.usd;
const cents = (usd: number) => Math.round(usd * 100) / 100;

describe('cost estimate', () => {
  it('prices node groups at desired size, Multi-AZ databases twice, and names missing prices', () => {
    const platform = stack('dev-platform', {
      aws_eks_cluster: { eks: { name: 'c', upgrade_policy: { support_type: 'STANDARD' } } },
      aws_eks_node_group: {
        ng: { instance_types: ['m7g.large'], scaling_config: { desired_size: 3, min_size: 2, max_size: 6 }, disk_size: 20 },
      },
    });
    const data = stack('dev-data', {
      aws_db_instance: {
        db: { engine: 'postgres', instance_class: 'db.r7g.large', multi_az: true, allocated_storage: 100, storage_type: 'gp3' },
      },
    });
    const { lines } = estimateCost([platform, data], table, DEFAULT_ASSUMPTIONS, today);
    const of = (key: string) => lines.filter((l) => l.priceKey === key);
    assert.equal(HOURS_PER_MONTH, 730);
    assert.equal(of('eks.cluster.standard')[0]!.monthly, 73);
    assert.equal(of('ec2.m7g.large')[0]!.monthly, 219, '3 nodes × 730 h × 0.10');
    assert.equal(of('ebs.gp3')[0]!.monthly, 6, '3 × 20 GiB × 0.10');
    assert.equal(of('rds.postgres.db.r7g.large')[0]!.monthly, 438, 'primary and standby × 730 h × 0.30');
    assert.equal(of('rds.gp3')[0]!.monthly, undefined, 'no price in the table: unpriced, not guessed');
    assert.match(renderCostText({ lines, stale: [] }), /no price for rds\.gp3/);
  });

  it('sizes a NodePool from the stated baseline of its cpu limit on the cheapest admitted type, with the Auto Mode fee', () => {
    const nodePool = {
      manifest: {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: 'general' },
        spec: {
          limits: { cpu: '64' },
          template: {
            spec: {
              requirements: [
                { key: 'eks.amazonaws.com/instance-category', operator: 'In', values: ['c', 'm'] },
                { key: 'eks.amazonaws.com/instance-generation', operator: 'Gt', values: ['6'] },
                { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
              ],
            },
          },
        },
      },
    };
    const { lines } = estimateCost(
      [stack('dev-cluster', { kubernetes_manifest: { pool: nodePool } })],
      table,
      { ...DEFAULT_ASSUMPTIONS, nodePoolBaseline: 0.25 },
      today,
    );
    const compute = lines.find((l) => l.priceKey.startsWith('ec2.'))!;
    assert.equal(compute.priceKey, 'ec2.c7g.large');
    assert.match(compute.item, /NodePool general: 8 × c7g\.large/, '25% of 64 vCPU on 2-vCPU nodes');
    assert.match(compute.assumption!, /assumed baseline 25% of spec\.limits\.cpu 64 \(NodePools have no minimum/);
    assert.ok(lines.some((l) => l.priceKey === 'eks.automode.c7g.large' && l.monthly === undefined));
  });

  it('warns about prices older than six months and reports the delta to a base', () => {
    const base = estimateCost([stack('dev-network', { aws_nat_gateway: { a: {} } })], table, DEFAULT_ASSUMPTIONS, today);
    const head = estimateCost([stack('dev-network', { aws_nat_gateway: { a: {}, b: {} } })], table, DEFAULT_ASSUMPTIONS, today);
    assert.deepEqual(head.stale, [{ region: 'eu-west-1', key: 'nat.hour', checked: '2025-01-01' }]);
    assert.equal(isStale('2026-06-02', today), false);
    assert.equal(isStale('2026-05-31', today), true);
    const markdown = renderDeltaMarkdown(costDelta(base, head), 'main -> head');
    assert.match(markdown, /\| dev \| 36\.50 \| 73\.00 \| \+36\.50 \|/);
    assert.match(markdown, /older than 6 months/);
  });

  it('shows an environment the change removes from config as still billed until it is torn down', () => {
    const nat = (name: string) => stack(name, { aws_nat_gateway: { a: {} } });
    const base = estimateCost([nat('dev-network'), nat('qa-network')], table, DEFAULT_ASSUMPTIONS, today);
    const head = estimateCost([nat('dev-network')], table, DEFAULT_ASSUMPTIONS, today);
    const delta = costDelta(base, head);
    const markdown = renderDeltaMarkdown(delta, 'main -> head');
    assert.match(markdown, /\| qa \| 36\.50 \| not applied \| -36\.50 once torn down \|/);
    assert.match(markdown, /\| dev \| 36\.50 \| 36\.50 \| \+0\.00 \|/);
    assert.match(markdown, /_qa is no longer in config: CI stops applying it, and the bill goes on until an administrator tears it down/);
    assert.match(
      renderDeltaText(delta, 'main -> head'),
      /: dev \+0\.00 USD\/month, qa -36\.50 USD\/month once torn down \(0 lines changed\)$/m,
    );
    assert.doesNotMatch(markdown, /Changed lines/, 'its lines would all read "absent"');
    assert.doesNotMatch(renderDeltaMarkdown(costDelta(base, base), 'same'), /not applied|torn down/);
  });

  it('prices each alarm per alarm metric it queries, high resolution apart, and leaves the free tier to the bill', () => {
    const metric = (id: string, period = 60) => ({ id, metric: { metric_name: id, namespace: 'AWS/ApplicationELB', period, stat: 'Sum' } });
    const alarms = stack('dev-edge', {
      aws_cloudwatch_metric_alarm: {
        cpu: { metric_name: 'CPUUtilization', period: 300 },
        share: {
          metric_query: [{ id: 'share', expression: '100 * errors / requests', return_data: true }, metric('errors'), metric('requests')],
        },
        fast: { metric_name: 'Latency', period: 10 },
      },
    });
    const { lines } = estimateCost([alarms], observability, a, today);
    const of = (address: string) => lines.filter((l) => l.address === address);
    assert.deepEqual(
      lines.map((l) => [l.address, l.priceKey]),
      [
        ['aws_cloudwatch_metric_alarm.cpu', 'cloudwatch.alarm.standard'],
        ['aws_cloudwatch_metric_alarm.fast', 'cloudwatch.alarm.high-resolution'],
        ['aws_cloudwatch_metric_alarm.share', 'cloudwatch.alarm.standard'],
      ],
    );
    assert.equal(of('aws_cloudwatch_metric_alarm.cpu')[0]!.monthly, rate('eu-west-1', 'cloudwatch.alarm.standard'));
    assert.equal(
      of('aws_cloudwatch_metric_alarm.share')[0]!.monthly,
      cents(2 * rate('eu-west-1', 'cloudwatch.alarm.standard')),
      'two metrics, the expression is free',
    );
    assert.match(of('aws_cloudwatch_metric_alarm.share')[0]!.item, /2 alarm metrics .*metric math over 2 metrics/);
    assert.equal(of('aws_cloudwatch_metric_alarm.fast')[0]!.monthly, rate('eu-west-1', 'cloudwatch.alarm.high-resolution'));
    for (const line of lines)
      assert.match(
        line.assumption!,
        line.priceKey === 'cloudwatch.alarm.standard'
          ? /free tier of 10 standard-resolution alarm metrics .* not deducted/
          : /free tier covers only standard-resolution alarms/,
      );
  });

  it('prices a dashboard once and says whether the free tier could cover it from the metrics it draws', () => {
    const graph = (alarm: string) => ({ type: 'metric', properties: { annotations: { alarms: [alarm] } } });
    const body = (graphs: number) =>
      JSON.stringify({
        widgets: [
          { type: 'alarm', properties: { alarms: ['a', 'b'] } },
          { type: 'metric', properties: { metrics: [['AWS/EC2', 'CPUUtilization'], ['.', 'NetworkIn'], [{ expression: 'm1 + m2' }]] } },
          ...Array.from({ length: graphs }, (_, i) => graph(`alarm-${i}`)),
        ],
      });
    assert.equal(dashboardMetrics(body(60)), 62, 'two metric rows (not the expression) and one metric per alarm graph');
    const { lines } = estimateCost(
      [
        stack('prod-edge', {
          aws_cloudwatch_dashboard: { overview: { dashboard_name: 'social-prod-overview', dashboard_body: body(60) } },
        }),
        stack('dev-edge', { aws_cloudwatch_dashboard: { overview: { dashboard_name: 'social-dev-overview', dashboard_body: body(10) } } }),
      ],
      observability,
      a,
      today,
    );
    assert.deepEqual(
      lines.map((l) => [l.environment, l.priceKey, l.monthly]),
      [
        ['prod', 'cloudwatch.dashboard', rate('eu-west-1', 'cloudwatch.dashboard')],
        ['dev', 'cloudwatch.dashboard', rate('eu-west-1', 'cloudwatch.dashboard')],
      ],
    );
    assert.match(lines[0]!.assumption!, /at least 62 metrics, more than the 50 .* does not cover it/);
    assert.match(
      lines[1]!.assumption!,
      /draws 12 metrics: it may be one of the account's 3 free-tier dashboards, which the estimate does not deduct/,
    );
  });

  it('prices the CloudWatch Observability add-on per observation at the stated placeholder volume, no other add-on', () => {
    const cluster = stack('dev-cluster', {
      aws_eks_addon: {
        insights: { addon_name: 'amazon-cloudwatch-observability', cluster_name: 'social-dev-eks' },
        metrics: { addon_name: 'metrics-server', cluster_name: 'social-dev-eks' },
      },
    });
    const { lines } = estimateCost([cluster], observability, { ...a, containerInsightsMillionObservations: 40 }, today);
    assert.deepEqual(
      lines.map((l) => [l.address, l.priceKey, l.monthly]),
      [
        [
          'aws_eks_addon.insights',
          'cloudwatch.containerinsights.observations',
          cents(40 * rate('eu-west-1', 'cloudwatch.containerinsights.observations')),
        ],
      ],
    );
    assert.match(lines[0]!.item, /social-dev-eks: 40 M observations/);
    assert.match(lines[0]!.assumption!, /placeholder volume of 40 million observations/);
  });

  it("gives each account's first management-event trail its free copy and charges further copies and data events", () => {
    const trail = (name: string, extra: object = {}) => ({ name, is_multi_region_trail: true, ...extra });
    const dataSelector = {
      event_selector: [{ include_management_events: false, data_resource: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }],
    };
    const { lines } = estimateCost(
      [
        stack('prod-bootstrap', { aws_cloudtrail: { audit: trail('audit', { event_selector: [{ include_management_events: true }] }) } }),
        stack('prod-edge', { aws_cloudtrail: { copy: trail('copy'), objects: trail('objects', dataSelector) } }),
        stack('dev-bootstrap', { aws_cloudtrail: { audit: trail('audit') } }),
      ],
      observability,
      { ...a, trailManagementEvents: 300_000, trailDataEvents: 2_000_000 },
      today,
    );
    assert.deepEqual(
      lines.map((l) => [l.stack, l.address, l.priceKey, l.monthly]),
      [
        ['prod-bootstrap', 'aws_cloudtrail.audit', 'cloudtrail.management.first-copy', 0],
        [
          'prod-edge',
          'aws_cloudtrail.copy',
          'cloudtrail.management.additional-copy',
          cents(3 * rate('eu-west-1', 'cloudtrail.management.additional-copy')),
        ],
        ['prod-edge', 'aws_cloudtrail.objects', 'cloudtrail.data-events', cents(20 * rate('eu-west-1', 'cloudtrail.data-events'))],
        ['dev-bootstrap', 'aws_cloudtrail.audit', 'cloudtrail.management.first-copy', 0],
      ],
    );
    assert.match(lines[1]!.item, /copy 2 of management events/);
  });

  it('sizes AWS Backup recovery points per selected resource and rule, in the vault, in each copy and in transfer', () => {
    const change = a.backupDailyChange;
    const edge = stack('prod-edge', {
      aws_s3_bucket: { media: { bucket: 'media' } },
      aws_db_instance: { db: { engine: 'postgres', instance_class: 'db.t4g.medium', allocated_storage: 100 } },
      aws_backup_plan: {
        daily: {
          rule: [
            {
              rule_name: 'daily',
              lifecycle: { delete_after: 35 },
              copy_action: [
                {
                  destination_vault_arn: 'arn:aws:backup:eu-central-1:444444444444:backup-vault:recovery',
                  lifecycle: { delete_after: 10 },
                },
              ],
            },
          ],
        },
      },
      aws_backup_selection: {
        daily: { plan_id: '${aws_backup_plan.daily.id}', resources: ['${aws_s3_bucket.media.arn}', '${aws_db_instance.db.arn}'] },
        other: { plan_id: '${aws_backup_plan.other.id}', resources: ['${aws_s3_bucket.media.arn}'] },
      },
    });
    const { lines } = estimateCost([edge], observability, a, today);
    const backup = lines.filter((l) => l.address === 'aws_backup_plan.daily');
    const bucketGb = a.s3GbPerBucket;
    assert.deepEqual(
      backup.map((l) => [l.priceKey, l.region, l.monthly]),
      [
        ['backup.s3.warm', 'eu-west-1', cents(cents(bucketGb * (1 + change * 35)) * rate('eu-west-1', 'backup.s3.warm'))],
        ['backup.s3.warm', 'eu-central-1', cents(cents(bucketGb * (1 + change * 10)) * rate('eu-central-1', 'backup.s3.warm'))],
        [
          'backup.cross-region-transfer',
          'eu-west-1',
          cents(cents(bucketGb * change * DAYS_PER_MONTH) * rate('eu-west-1', 'backup.cross-region-transfer')),
        ],
        ['backup.rds.warm', 'eu-west-1', cents(cents(100 * (1 + change * 35)) * rate('eu-west-1', 'backup.rds.warm'))],
        ['backup.rds.warm', 'eu-central-1', undefined],
        [
          'backup.cross-region-transfer',
          'eu-west-1',
          cents(cents(100 * change * DAYS_PER_MONTH) * rate('eu-west-1', 'backup.cross-region-transfer')),
        ],
      ],
    );
    assert.match(backup[1]!.item, /copied to eu-central-1 vault recovery \(account 444444444444\)/);
    assert.match(unpricedByRegion(lines), /eu-central-1: backup\.rds\.warm/);
  });

  it('prices a restore test as the protected instance, single-AZ as overridden, for its validation window per run', () => {
    const prices: PriceTable = {
      regions: { 'eu-west-1': { 'rds.postgres.db.r7g.large': price(0.3, 'hour'), 'rds.gp3': price(0.1, 'GB-month') } },
    };
    const data = stack('prod-data', {
      aws_db_instance: {
        db: { engine: 'postgres', instance_class: 'db.r7g.large', allocated_storage: 200, storage_type: 'gp3', multi_az: true },
      },
      aws_backup_restore_testing_plan: { weekly: { name: 'weekly', schedule_expression: 'cron(0 5 ? * TUE *)' } },
      aws_backup_restore_testing_selection: {
        db: {
          restore_testing_plan_name: '${aws_backup_restore_testing_plan.weekly.name}',
          protected_resource_type: 'RDS',
          protected_resource_arns: ['${aws_db_instance.db.arn}'],
          restore_metadata_overrides: { multiaz: 'false' },
          validation_window_hours: 24,
        },
      },
    });
    const restore = estimateCost([data], prices, a, today).lines.filter((l) => l.address.startsWith('aws_backup_restore_testing'));
    const hours = cents((DAYS_PER_MONTH / 7) * 24);
    assert.deepEqual(
      restore.map((l) => [l.priceKey, l.monthly]),
      [
        ['rds.postgres.db.r7g.large', cents(hours * 0.3)],
        ['rds.gp3', cents(cents((200 * hours) / HOURS_PER_MONTH) * 0.1)],
      ],
    );
    assert.match(restore[0]!.item, /1 × db\.r7g\.large/, 'the override makes the restored copy single-AZ');
    // Without the override the copy is Multi-AZ like its source: primary and standby, hours and storage.
    delete (data.doc.resource!.aws_backup_restore_testing_selection as any).db.restore_metadata_overrides;
    const multiAz = estimateCost([data], prices, a, today).lines.filter((l) => l.address.startsWith('aws_backup_restore_testing'));
    assert.deepEqual(
      multiAz.map((l) => l.monthly),
      [cents(2 * hours * 0.3), cents(cents((2 * 200 * hours) / HOURS_PER_MONTH) * 0.1)],
    );
    assert.match(multiAz[0]!.item, /h of 2 × db\.r7g\.large/);
    assert.match(restore[0]!.assumption!, /4\.35 restore tests a month \(cron\(0 5 \? \* TUE \*\)\).*24 h validation window/);
  });

  it('prices a CI runner project at the runner assumption and a restore validation build at build_timeout per test', () => {
    const prices: PriceTable = {
      regions: {
        'eu-west-1': { 'codebuild.linux.general1.small': price(0.005, 'minute'), 'codebuild.arm.general1.medium': price(0.01, 'minute') },
      },
    };
    const platform = stack('prod-platform', {
      aws_codebuild_project: {
        runner: { environment: { type: 'ARM_CONTAINER', compute_type: 'BUILD_GENERAL1_MEDIUM' }, build_timeout: 240 },
      },
      aws_codebuild_webhook: { runner: { project_name: '${aws_codebuild_project.runner.name}' } },
    });
    const data = stack('prod-data', {
      aws_codebuild_project: {
        validation: { environment: { type: 'LINUX_CONTAINER', compute_type: 'BUILD_GENERAL1_SMALL' }, build_timeout: 15 },
        orphan: { environment: { type: 'LINUX_CONTAINER', compute_type: 'BUILD_GENERAL1_SMALL' } },
      },
      aws_backup_restore_testing_plan: { weekly: { schedule_expression: 'cron(0 5 ? * MON,THU *)' } },
      aws_cloudwatch_event_rule: {
        done: { event_pattern: JSON.stringify({ detail: { restoreTestingPlanArn: ['${aws_backup_restore_testing_plan.weekly.arn}'] } }) },
      },
      aws_cloudwatch_event_target: {
        validate: { rule: '${aws_cloudwatch_event_rule.done.name}', arn: '${aws_codebuild_project.validation.arn}' },
      },
    });
    const builds = estimateCost([platform, data], prices, a, today).lines.filter((l) => l.address.startsWith('aws_codebuild_project.'));
    const validationMinutes = cents(2 * (DAYS_PER_MONTH / 7) * 15);
    assert.deepEqual(
      builds.map((l) => [l.address, l.priceKey, l.monthly]),
      [
        ['aws_codebuild_project.runner', 'codebuild.arm.general1.medium', cents(a.runnerBuildMinutes * 0.01)],
        ['aws_codebuild_project.orphan', 'codebuild.linux.general1.small', 0],
        ['aws_codebuild_project.validation', 'codebuild.linux.general1.small', cents(validationMinutes * 0.005)],
      ],
    );
    assert.match(builds[2]!.assumption!, /one build per restore test of aws_backup_restore_testing_plan\.weekly; priced at build_timeout/);
    assert.match(builds[1]!.item, /started by nothing this estimate models/);
  });

  it('counts the runs a month of the cron shapes config uses, and no others', () => {
    assert.equal(runsPerMonth('cron(0 5 ? * TUE *)'), DAYS_PER_MONTH / 7);
    assert.equal(runsPerMonth('cron(0 5 ? * 2,5 *)'), (2 * DAYS_PER_MONTH) / 7);
    assert.equal(runsPerMonth('cron(0 3 1,15 * ? *)'), 2);
    assert.equal(runsPerMonth('cron(0 3 * * ? *)'), DAYS_PER_MONTH);
    assert.equal(runsPerMonth('cron(0 3 ? * * *)'), DAYS_PER_MONTH);
    for (const unmodelled of ['cron(0 */6 * * ? *)', 'cron(0 3 ? 1 MON *)', 'cron(0 3 L * ? *)', 'rate(7 days)', undefined])
      assert.equal(runsPerMonth(unmodelled), undefined, String(unmodelled));
  });

  it("prices a resource in its own region argument's prices, not its stack's", () => {
    const { lines } = estimateCost(
      [stack('prod-bootstrap', { aws_kms_key: { home: {}, replica: { region: 'eu-central-1' } } })],
      observability,
      a,
      today,
    );
    assert.deepEqual(
      lines.map((l) => [l.address, l.region, l.monthly]),
      [
        ['aws_kms_key.home', 'eu-west-1', rate('eu-west-1', 'kms.key')],
        ['aws_kms_key.replica', 'eu-central-1', rate('eu-central-1', 'kms.key')],
      ],
    );
  });

  it('the example config: every observability, trail and backup resource has its line, and what stays unpriced is named', () => {
    const committed = readPriceTable(join(REPO_ROOT, 'pricing', 'prices.json'));
    const stacks = [...exampleStacks()].map(([name, doc]) => stackDocument(name, doc as TerraformJson));
    const { lines } = estimateCost(stacks, committed, a, today);
    const count = (type: string, where: (body: any) => boolean = () => true) =>
      stacks.reduce((n, s) => n + Object.values(s.doc.resource?.[type] ?? {}).filter(where).length, 0);
    const linesOf = (type: string, key: (k: string) => boolean) =>
      new Set(lines.filter((l) => l.address.startsWith(`${type}.`) && key(l.priceKey)).map((l) => `${l.stack}/${l.address}`)).size;
    assert.equal(
      linesOf('aws_cloudwatch_metric_alarm', (k) => k.startsWith('cloudwatch.alarm.')),
      count('aws_cloudwatch_metric_alarm'),
    );
    assert.equal(
      linesOf('aws_cloudwatch_dashboard', (k) => k === 'cloudwatch.dashboard'),
      count('aws_cloudwatch_dashboard'),
    );
    assert.equal(
      linesOf('aws_eks_addon', (k) => k === 'cloudwatch.containerinsights.observations'),
      count('aws_eks_addon', (b) => b.addon_name === 'amazon-cloudwatch-observability'),
    );
    assert.equal(
      linesOf('aws_cloudtrail', (k) => k === 'cloudtrail.management.first-copy'),
      count('aws_cloudtrail'),
      'one trail per account',
    );
    assert.equal(
      linesOf('aws_backup_plan', (k) => k.startsWith('backup.')),
      count('aws_backup_plan'),
    );
    assert.equal(
      linesOf('aws_codebuild_project', (k) => k.startsWith('codebuild.')),
      count('aws_codebuild_project'),
    );
    assert.equal(
      linesOf('aws_backup_restore_testing_selection', (k) => k.startsWith('rds.')),
      count('aws_backup_restore_testing_selection', (b) => b.protected_resource_type === 'RDS'),
    );
    assert.ok(
      lines.filter((l) => l.address.startsWith('aws_codebuild_project.')).every((l) => !/started by nothing/.test(l.item)),
      'every CodeBuild project of the example is a runner or a restore validation',
    );
    const home = exampleEnvironments()[0]!.region;
    // Each standard alarm costs the metrics it watches, counted here from the JSON: its metric queries, or one, at its
    // region's price (none: unpriced).
    for (const s of stacks)
      for (const [name, alarm] of Object.entries<any>(s.doc.resource?.aws_cloudwatch_metric_alarm ?? {})) {
        const line = lines.find((l) => l.stack === s.name && l.address === `aws_cloudwatch_metric_alarm.${name}`)!;
        if (line.priceKey !== 'cloudwatch.alarm.standard') continue;
        const standard = committed.regions[line.region!]?.['cloudwatch.alarm.standard']?.usd;
        const metrics = alarm.metric_query ? alarm.metric_query.filter((q: any) => q.metric).length : 1;
        assert.equal(line.monthly, standard === undefined ? undefined : cents(metrics * standard), `${s.name} ${name}`);
      }

    // No price was found for these in eu-west-1 (docs/preview.md): each stays out of the totals until it is.
    const UNPRICED_ON_PURPOSE = [
      'backup.cross-region-transfer', // AWS Backup, data transferred between Regions
      'backup.rds.continuous', // AWS Backup continuous backups of RDS
      'backup.rds.warm', // AWS Backup RDS snapshot storage
      'backup.s3.warm', // AWS Backup S3 backup storage
      'cloudwatch.containerinsights.observations', // Container Insights with enhanced observability, per observation
      'codebuild.linux.general1.medium', // CodeBuild on-demand build minutes
      'codebuild.linux.general1.small',
      'eks.automode.c7g.large',
      'eks.automode.m7g.large',
      'opensearch.gp3',
      'rds.backup',
      'rds.gp3',
      'rds.performance-insights.vcpu',
      'rds.postgres.db.r7g.large',
      'rds.postgres.db.r7g.xlarge',
      'rds.postgres.db.t4g.medium',
    ];
    // And in the recovery region, where the bootstrap layer's replica bucket, vault copies and KMS key live.
    const UNPRICED_IN_RECOVERY_REGION = ['backup.rds.warm', 'backup.s3.warm'];
    // Of the environments at home there: one added in another region adds the keys the table lacks for that region.
    const atHome = new Set(
      exampleEnvironments()
        .filter((env) => env.region === home)
        .map((env) => env.name),
    );
    const unpriced = (region: string) =>
      [
        ...new Set(
          lines.filter((l: CostLine) => atHome.has(l.environment) && l.region === region && l.monthly === undefined).map((l) => l.priceKey),
        ),
      ].sort();
    const whatToDo = 'a key the example now uses: add its price to pricing/prices.json with its source, or list it here';
    const recovery = exampleEnvironments().find((env) => atHome.has(env.name) && env.recovery?.region)!.recovery!.region;
    for (const [region, listed] of [
      [home, UNPRICED_ON_PURPOSE],
      [recovery, UNPRICED_IN_RECOVERY_REGION],
    ] as const) {
      // Every unpriced key is listed, and every listed key is one the table still lacks (an environment removed from
      // config may leave a listed key unused, which is no error).
      assert.deepEqual(
        unpriced(region).filter((key) => !listed.includes(key)),
        [],
        `${region}: ${whatToDo}`,
      );
      assert.deepEqual(
        listed.filter((key) => committed.regions[region]?.[key] !== undefined),
        [],
        `${region}: priced in pricing/prices.json now: take it off the list`,
      );
    }
    for (const key of [
      'alb.lcu',
      'ebs.gp3',
      'logs.ingest',
      'logs.storage',
      's3.standard',
      'cloudwatch.alarm.standard',
      'cloudwatch.dashboard',
      'ec2.c7g.large',
      'ec2.m7g.large',
      'elasticache.valkey.cache.r7g.large',
      'opensearch.r7g.large.search',
      'vpce.interface.hour',
    ])
      assert.ok(
        lines.some((l) => l.region === home && l.priceKey === key && l.monthly !== undefined),
        `${key} is priced`,
      );
  });

  it('the committed price table is valid, dated, cites a source per line and covers every configured region', () => {
    const committed = readPriceTable(join(REPO_ROOT, 'pricing', 'prices.json'));
    for (const env of exampleEnvironments()) {
      assert.ok(committed.regions[env.region], `prices for ${env.region} (${env.name})`);
      if (env.recovery?.region)
        assert.ok(committed.regions[env.recovery.region], `prices for ${env.recovery.region} (${env.name} recovery)`);
    }
    for (const prices of Object.values(committed.regions))
      for (const entry of Object.values(prices)) assert.match(entry.source, /https:\/\//);
  });
});
