// Usage the synthesized JSON cannot know, in one place. Every cost line that uses one says so.
export interface CostAssumptions {
  /** GB each NAT gateway processes a month (egress to the internet and to AWS APIs without an endpoint). */
  readonly natGbPerGateway: number;
  /** Average load balancer capacity units an ALB uses each hour. */
  readonly albLcus: number;
  /** GB each interface endpoint processes a month. */
  readonly interfaceEndpointGb: number;
  /** GB each log group ingests a month. */
  readonly logGbPerGroup: number;
  /** GB stored in each S3 bucket. */
  readonly s3GbPerBucket: number;
  /**
   * Share of a resource's data that changes a day: what RDS automated backups beyond the free allowance store, what
   * each incremental AWS Backup recovery point adds and what each daily cross-region copy transfers.
   */
  readonly backupDailyChange: number;
  /** NodePools have no minimum: the share of a pool's `spec.limits.cpu` assumed to run all month (--nodepool-baseline). */
  readonly nodePoolBaseline: number;
  /** Nodes assumed for a NodePool without `spec.limits.cpu`. */
  readonly nodePoolNodesWithoutLimit: number;
  /** Root volume of an Auto Mode node, GiB (the NodeClass default, ephemeralStorage.size 80Gi). */
  readonly nodePoolVolumeGib: number;
  /** Management events an account's API activity records a month (what a trail's copy of them counts). */
  readonly trailManagementEvents: number;
  /** Data events a month for a trail that records data events (S3 object or other data-plane calls). */
  readonly trailDataEvents: number;
  /**
   * Millions of observations a month the amazon-cloudwatch-observability add-on sends per cluster with enhanced
   * observability (CloudWatch bills Container Insights for EKS per observation). No measured or published figure is
   * behind it: it is a placeholder volume so the line has a quantity. Replace it with the count Cost Explorer shows
   * once a cluster runs.
   */
  readonly containerInsightsMillionObservations: number;
  /** Build minutes each CI runner project (a CodeBuild project a GitHub webhook starts) runs a month. */
  readonly runnerBuildMinutes: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  natGbPerGateway: 100,
  albLcus: 1,
  interfaceEndpointGb: 10,
  logGbPerGroup: 5,
  s3GbPerBucket: 50,
  backupDailyChange: 0.02,
  nodePoolBaseline: 0.25,
  nodePoolNodesWithoutLimit: 1,
  nodePoolVolumeGib: 80,
  trailManagementEvents: 1_000_000,
  trailDataEvents: 10_000_000,
  containerInsightsMillionObservations: 100,
  runnerBuildMinutes: 3_000,
};
