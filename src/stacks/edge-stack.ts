import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStack } from './platform-stack';

/** Everything the internet reaches, all through Cloudflare: DNS, media bucket, load balancer, email. */
export class EdgeStack extends LayerStack {
  constructor(scope: Construct, config: EnvironmentConfig, _network: NetworkStack, _platform: PlatformStack) {
    super(scope, config, 'edge');
  }
}
