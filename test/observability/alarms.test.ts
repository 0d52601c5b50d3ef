// The alarms of every layer: where they notify, that their runbooks exist, that their thresholds come
// from config (tier defaults and overrides), and that each store, target group and NAT gateway gets
// the alarms its construct promises.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EnvironmentConfig } from '../../src/config/load';
import { ALARM_THRESHOLDS_BY_TIER } from '../../src/config/schema/observability';
import { LAYERS } from '../../src/layers';
import {
  configOfTier,
  exampleEnvironments,
  exampleOfTier,
  exampleStacks,
  REPO_ROOT,
  resourcesOf,
  stack,
  synthesize,
  type TerraformJson,
  projectPrefix,
} from '../support/synth';

const PREFIX = projectPrefix();

const RUNBOOKS = join(REPO_ROOT, 'docs', 'runbooks', 'alarms');
const GIB = 1024 ** 3;
const stacks = exampleStacks();

/** Every alarm of an environment, by name. */
function alarmsOf(all: Map<string, TerraformJson>, env: string): Map<string, any> {
  const out = new Map<string, any>();
  for (const layer of LAYERS) {
    for (const [, alarm] of resourcesOf(stack(all, `${env}-${layer}`), 'aws_cloudwatch_metric_alarm')) out.set(alarm.alarm_name, alarm);
  }
  return out;
}

function alarm(alarms: Map<string, any>, name: string): any {
  const found = alarms.get(name);
  assert.ok(found, `no alarm ${name}; have ${[...alarms.keys()].join(', ')}`);
  return found;
}

/** The runbook slug an alarm's description links. */
const runbookOf = (body: any) => /\/docs\/runbooks\/alarms\/([a-z0-9-]+)\.md$/.exec(body.alarm_description)?.[1];

describe('alarms: destination and runbooks', () => {
  for (const env of exampleEnvironments()) {
    const alarms = alarmsOf(stacks, env.name);
    it(`${env.name}: every alarm notifies the network layer's alarm topic, on ALARM and on recovery`, () => {
      const [topic] = resourcesOf(stack(stacks, `${env.name}-network`), 'aws_sns_topic').find(
        ([, t]) => t.name === `${PREFIX}-${env.name}-alarms`,
      )!;
      const local = `\${aws_sns_topic.${topic}.arn}`;
      const remoteOutputs = `data\\.terraform_remote_state\\.cross-stack-reference-input-${env.name}-network\\.outputs`;
      const topicOutput = `cross-stack-output-aws_sns_topic${topic.replace(/_[A-F0-9]+$/, '')}_[A-F0-9]+arn`;
      const remote = new RegExp(`^\\$\\{${remoteOutputs}\\.${topicOutput}\\}$`);
      assert.ok(alarms.size > 30, `${alarms.size} alarms`);
      for (const [name, body] of alarms) {
        assert.equal(body.actions_enabled, true, name);
        assert.equal(body.alarm_actions.length, 1, name);
        assert.ok(body.alarm_actions[0] === local || remote.test(body.alarm_actions[0]), `${name} notifies ${body.alarm_actions[0]}`);
        assert.deepEqual(body.ok_actions, body.alarm_actions, name);
        assert.ok(name.startsWith(`${PREFIX}-${env.name}-`), `${name} lacks the prefix the topic admits`);
      }
    });

    it(`${env.name}: every alarm's description says what it means and links a runbook that exists`, () => {
      const { organization, infraRepository } = env.project.github;
      const base = `https://github.com/${organization}/${infraRepository}/blob/main/docs/runbooks/alarms/`;
      for (const [name, body] of alarms) {
        assert.ok(body.alarm_description.includes(` Runbook: ${base}`), `${name}: ${body.alarm_description}`);
        const slug = runbookOf(body);
        assert.ok(slug && existsSync(join(RUNBOOKS, `${slug}.md`)), `${name} links docs/runbooks/alarms/${slug}.md, which does not exist`);
      }
    });
  }

  it('every runbook under docs/runbooks/alarms belongs to an alarm or a notification of the alarm topic', () => {
    const linked = new Set<string>();
    for (const env of exampleEnvironments()) for (const body of alarmsOf(stacks, env.name).values()) linked.add(runbookOf(body)!);
    // The out-of-band change and backup job alerts link their runbooks in the message (their own tests); AWS Budgets'
    // notifications carry no text of ours, so docs/observability.md links that one.
    for (const notification of ['out-of-band-change', 'backup-job-failed', 'budget-forecast']) linked.add(notification);
    const files = readdirSync(RUNBOOKS)
      .filter((file) => file.endsWith('.md'))
      .map((file) => file.replace(/\.md$/, ''));
    assert.deepEqual(files.sort(), [...linked].sort());
  });
});

describe('alarms: what each resource gets', () => {
  const [dev, prod] = [exampleOfTier('development'), exampleOfTier('production')];

  it('each cache node has its own alarms; replication lag only with replicas, memory only where nothing is evicted', () => {
    for (const env of [dev, prod]) {
      const alarms = [...alarmsOf(stacks, env.name).keys()];
      const nodes = env.data.cache.replicas + 1;
      for (const group of [`${PREFIX}-${env.name}-cache`, `${PREFIX}-${env.name}-cache-shared`]) {
        const of = (signal: string) => alarms.filter((name) => new RegExp(`^${group}-node-\\d+-${signal}$`).test(name)).length;
        for (const signal of ['engine-cpu', 'connections', 'evictions']) assert.equal(of(signal), nodes, `${group} ${signal}`);
        assert.equal(of('replication-lag'), nodes > 1 ? nodes : 0, `${group} replication-lag`);
        assert.equal(of('memory'), group.endsWith('-shared') ? nodes : 0, `${group} memory`);
      }
    }
  });

  it('the never-evicting cache alarms on any eviction, the evicting one on its configured rate', () => {
    const alarms = alarmsOf(stacks, prod.name);
    const cache = `${PREFIX}-${prod.name}-cache`;
    assert.equal(alarm(alarms, `${cache}-shared-node-1-evictions`).threshold, 0);
    assert.equal(alarm(alarms, `${cache}-node-1-evictions`).threshold, prod.observability.thresholds.cache.evictionsPerMinute);
    // Each node's alarms name the node by its place among the group's member clusters.
    const nodes = Array.from({ length: prod.data.cache.replicas + 1 }, (_, i) => i + 1);
    const dimensions = nodes.map((i) => alarm(alarms, `${cache}-node-${i}-engine-cpu`).dimensions.CacheClusterId);
    const members = 'aws_elasticache_replication_group\\.cache\\.member_clusters';
    dimensions.forEach((dimension, i) =>
      assert.match(dimension, new RegExp(`^\\$\\{element\\(sort\\(tolist\\(${members}\\)\\), ${i}\\)\\}$`)),
    );
  });

  it('search: yellow only where replica shards have another node to go to', () => {
    assert.ok(alarmsOf(stacks, prod.name).has(`${PREFIX}-${prod.name}-search-status-yellow`));
    assert.ok(
      !alarmsOf(stacks, dev.name).has(`${PREFIX}-${dev.name}-search-status-yellow`),
      'a single node is yellow for as long as an index has replicas',
    );
  });

  it('one port-allocation alarm per NAT gateway, and four alarms per routed target group', () => {
    for (const env of [dev, prod]) {
      const alarms = [...alarmsOf(stacks, env.name).keys()];
      const nats = env.network.natGateways === 'per-az' ? env.networkPlan.availabilityZones.length : 1;
      assert.equal(alarms.filter((name) => name.endsWith('-port-allocation')).length, nats);
      const hosts = env.project.services.filter((service) => service.publicHost).map((service) => service.publicHost!);
      for (const host of hosts) {
        for (const signal of ['target-5xx', 'latency', 'unhealthy-hosts', 'no-healthy-hosts']) {
          assert.ok(alarms.includes(`${PREFIX}-${env.name}-public-${host}-${signal}`), `${host} ${signal}`);
        }
      }
    }
  });

  it('target group alarms name the group by the last part of its ARN, next to the load balancer', () => {
    const body = alarm(alarmsOf(stacks, prod.name), `${PREFIX}-${prod.name}-public-api-unhealthy-hosts`);
    const output =
      `data\\.terraform_remote_state\\.cross-stack-reference-input-${prod.name}-platform\\.outputs\\.` +
      'cross-stack-output-aws_lb_target_grouptarget-group-api_target-group_[A-F0-9]+arn';
    assert.match(body.dimensions.TargetGroup, new RegExp(`^\\$\\{element\\(split\\(":", ${output}\\), 5\\)\\}$`));
    assert.match(body.dimensions.LoadBalancer, /^\$\{aws_lb\.public-lb_[A-F0-9]+\.arn_suffix\}$/);
  });
});

/** The thresholds each alarm must carry for an environment's resolved config. */
function expectedThresholds(env: EnvironmentConfig): Record<string, number> {
  const t = env.observability.thresholds;
  const p = `${PREFIX}-${env.name}`;
  const pg = env.data.postgres;
  return {
    [`${p}-postgres-cpu`]: t.postgres.cpuPercent,
    [`${p}-postgres-free-storage`]: ((pg.allocatedStorageGiB * t.postgres.freeStoragePercent) / 100) * GIB,
    [`${p}-postgres-freeable-memory`]: t.postgres.freeableMemoryMiB * 1024 ** 2,
    [`${p}-postgres-connections`]: t.postgres.connections,
    [`${p}-postgres-read-latency`]: t.postgres.readLatencyMs / 1000,
    [`${p}-postgres-write-latency`]: t.postgres.writeLatencyMs / 1000,
    [`${p}-cache-node-1-engine-cpu`]: t.cache.engineCpuPercent,
    [`${p}-cache-node-1-connections`]: t.cache.connections,
    [`${p}-cache-node-1-evictions`]: t.cache.evictionsPerMinute,
    [`${p}-cache-shared-node-1-memory`]: t.cache.memoryPercent,
    [`${p}-search-free-storage`]: (env.data.search.volumeSizeGiB * 1024 * t.search.freeStoragePercent) / 100,
    [`${p}-search-jvm-memory-pressure`]: t.search.jvmMemoryPressurePercent,
    [`${p}-public-elb-5xx`]: t.loadBalancer.elb5xxPercent,
    [`${p}-public-api-target-5xx`]: t.loadBalancer.target5xxPercent,
    [`${p}-public-api-latency`]: t.loadBalancer.p99ResponseTimeMs / 1000,
    [`${p}-public-api-unhealthy-hosts`]: t.loadBalancer.unhealthyHosts,
    [`${p}-nat-${env.networkPlan.availabilityZones[0]}-port-allocation`]: t.natGateway.portAllocationErrors,
    [`${p}-eks-failed-nodes`]: t.cluster.failedNodes,
    [`${p}-eks-node-cpu`]: t.cluster.nodeCpuPercent,
    [`${p}-eks-node-memory`]: t.cluster.nodeMemoryPercent,
    [`${p}-eks-node-filesystem`]: t.cluster.nodeFilesystemPercent,
    [`${p}-eks-pod-memory`]: t.cluster.podMemoryOverLimitPercent,
    [`${p}-eks-crash-looping`]: t.cluster.crashLoopingContainers,
    [`${p}-mail-bounce-rate`]: t.email.bounceRatePercent / 100,
    [`${p}-mail-complaint-rate`]: t.email.complaintRatePercent / 100,
  };
}

describe('alarms: thresholds come from config', () => {
  for (const env of exampleEnvironments()) {
    it(`${env.name}: without overrides, every threshold is the ${env.tier} default`, () => {
      assert.deepEqual(env.observability.thresholds, ALARM_THRESHOLDS_BY_TIER[env.tier]);
      const alarms = alarmsOf(stacks, env.name);
      for (const [name, threshold] of Object.entries(expectedThresholds(env))) assert.equal(alarm(alarms, name).threshold, threshold, name);
    });
  }

  it('an override of any field reaches its alarm, and leaves the other fields at the tier default', () => {
    const overrides = {
      postgres: { cpuPercent: 55, freeStoragePercent: 3, readLatencyMs: 12 },
      cache: { engineCpuPercent: 61, evictionsPerMinute: 42, memoryPercent: 71 },
      search: { jvmMemoryPressurePercent: 77 },
      loadBalancer: { p99ResponseTimeMs: 750, target5xxPercent: 3 },
      natGateway: { portAllocationErrors: 7 },
      cluster: { nodeCpuPercent: 66, crashLoopingContainers: 2 },
      email: { bounceRatePercent: 2.5 },
    };
    const env = configOfTier('staging', (raw) => (raw.environment.observability.thresholds = overrides));
    for (const [group, fields] of Object.entries(overrides)) {
      const resolved = (env.observability.thresholds as any)[group];
      assert.deepEqual(resolved, { ...(ALARM_THRESHOLDS_BY_TIER.staging as any)[group], ...fields }, group);
    }
    const alarms = alarmsOf(synthesize([env]), env.name);
    for (const [name, threshold] of Object.entries(expectedThresholds(env))) assert.equal(alarm(alarms, name).threshold, threshold, name);
    assert.equal(alarm(alarms, `${PREFIX}-${env.name}-postgres-cpu`).threshold, 55);
    assert.equal(alarm(alarms, `${PREFIX}-${env.name}-eks-crash-looping`).threshold, 2);
  });
});
