import { App } from 'cdktn';
import type { EnvironmentConfig } from './config/load';
import { EnvironmentDashboard } from './constructs/observability/environment-dashboard';
import { MetricAlarm } from './constructs/observability/metric-alarm';
import { TERRAFORM_REQUIRED_VERSION } from './layers';
import type { LayerStack } from './stacks/layer-stack';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { ClusterStack } from './stacks/cluster-stack';
import { DataStack } from './stacks/data-stack';
import { EdgeStack } from './stacks/edge-stack';
import { NetworkStack } from './stacks/network-stack';
import { PlatformStack } from './stacks/platform-stack';
import { useResolveFastPath } from './synthesis/resolve-fast-path';

export interface BuildOptions {
  readonly outdir: string;
}

/**
 * Composes every layer of every environment. Stacks receive only their environment's config and
 * the stacks they depend on, so references always point down the layer order.
 */
export function buildApp(environments: readonly EnvironmentConfig[], options: BuildOptions): App {
  // cdktn captures a stack trace for every token it creates, only to explain token-resolution
  // errors; that is a fifth of synth time. Set CDKTN_DISABLE_CREATION_STACK=false to debug one.
  process.env.CDKTN_DISABLE_CREATION_STACK ??= 'true';
  // Values without tokens skip cdktn's resolver, which was most of a synth's time (resolve-fast-path.ts says why it is safe).
  useResolveFastPath();
  const app = new App({
    outdir: options.outdir,
    stackTraces: false,
    // cdktn checks every feature used (S3 lock files, write-only arguments) against these ranges.
    context: { targetVersions: { terraform: TERRAFORM_REQUIRED_VERSION, opentofu: TERRAFORM_REQUIRED_VERSION } },
  });
  for (const config of environments) buildEnvironment(app, config);
  return app;
}

/**
 * The environment's dashboard, in the last layer: every alarm of every layer, named by its ARN (alarms
 * of other layers are not referenced, so the dashboard adds no dependency) and grouped by its kind.
 */
function addDashboard(edge: EdgeStack, stacks: readonly LayerStack[]): EnvironmentDashboard {
  const alarms = MetricAlarm.within(...stacks).map((alarm) => ({
    name: alarm.name,
    arn: edge.naming.alarmArn(alarm.name),
    section: alarm.runbook.split('-')[0]!,
  }));
  return new EnvironmentDashboard(edge, 'dashboard', { name: edge.naming.name('overview'), region: edge.config.region, alarms });
}

function buildEnvironment(app: App, config: EnvironmentConfig): LayerStack[] {
  const bootstrap = new BootstrapStack(app, config);
  const network = new NetworkStack(app, config);
  const platform = new PlatformStack(app, config, network);
  const cluster = new ClusterStack(app, config, network, platform);
  const data = new DataStack(app, config, network, platform);
  const edge = new EdgeStack(app, config, network, platform);
  const stacks: LayerStack[] = [bootstrap, network, platform, cluster, data, edge];
  // Every layer keeps its state in the backend bootstrap creates, referenced by name, not by token.
  for (const stack of stacks.slice(1)) stack.addDependency(bootstrap);
  // The data layer's Jobs run in the cluster layer's platform namespace, which it names but does not reference.
  data.addDependency(cluster);
  addDashboard(edge, stacks);
  return stacks;
}
