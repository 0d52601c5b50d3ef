/**
 * The layers of every environment, in apply order. Each layer may depend only on layers before it,
 * so state can be applied, and destroyed, one layer at a time.
 */
export const LAYERS = ['bootstrap', 'network', 'platform', 'data', 'edge'] as const;
export type Layer = (typeof LAYERS)[number];

export function stackName(environment: string, layer: Layer): string {
  return `${environment}-${layer}`;
}
