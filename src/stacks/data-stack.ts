import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStack } from './platform-stack';

/** Stateful stores in the isolated data subnets: PostgreSQL, the cache and OpenSearch. */
export class DataStack extends LayerStack {
  constructor(scope: Construct, config: EnvironmentConfig, _network: NetworkStack, _platform: PlatformStack) {
    super(scope, config, 'data');
  }
}
