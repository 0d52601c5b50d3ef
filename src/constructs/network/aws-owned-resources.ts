import { s3Arn } from '../../naming';
import { invalidProp } from '../invalid-prop';

/**
 * Accounts whose ECR registries hold the Amazon EKS add-on images (vpc-cni, coredns, kube-proxy, pod identity
 * agent, EBS CSI driver) per region, from https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html.
 * Nodes pull them with their own role, so the request is for a resource of this account.
 */
export const EKS_ADDON_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-east-2': '533267051163',
  'ap-northeast-1': '602401143452',
  'ap-northeast-2': '602401143452',
  'ap-northeast-3': '602401143452',
  'ap-south-1': '602401143452',
  'ap-south-2': '900889452093',
  'ap-southeast-1': '602401143452',
  'ap-southeast-2': '602401143452',
  'ap-southeast-3': '296578399912',
  'ap-southeast-4': '491585149902',
  'ap-southeast-6': '333609536671',
  'ap-southeast-7': '121268973566',
  'ca-central-1': '602401143452',
  'ca-west-1': '761377655185',
  'cn-north-1': '918309763551',
  'cn-northwest-1': '961992271922',
  'eu-central-1': '602401143452',
  'eu-central-2': '900612956339',
  'eu-north-1': '602401143452',
  'eu-south-1': '590381155156',
  'eu-south-2': '455263428931',
  'eu-west-1': '602401143452',
  'eu-west-2': '602401143452',
  'eu-west-3': '602401143452',
  'il-central-1': '066635153087',
  'me-central-1': '759879836304',
  'me-south-1': '558608220178',
  'mx-central-1': '730335286997',
  'sa-east-1': '602401143452',
  'us-east-1': '602401143452',
  'us-east-2': '602401143452',
  'us-gov-east-1': '151742754352',
  'us-gov-west-1': '013241004608',
  'us-west-1': '602401143452',
  'us-west-2': '602401143452',
};

/** The account of the region's EKS add-on registry; throws for a region the table does not know. */
export function eksAddonRegistryAccount(region: string): string {
  const account = EKS_ADDON_REGISTRY_ACCOUNTS[region];
  if (!account) {
    const allowed =
      'a region in EKS_ADDON_REGISTRY_ACCOUNTS (add it from https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html)';
    invalidProp('eksAddonRegistryAccount', 'region', allowed, region);
  }
  return account;
}

/**
 * Objects in AWS-owned buckets that workloads and nodes in the VPC read through the S3 gateway endpoint:
 * ECR image layers, which every image pull downloads with a URL ECR presigns
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms), and the
 * Amazon Linux 2023 package repositories dnf reads anonymously (the AL2023 nodes and the AL2023 runner image; bucket
 * from https://github.com/aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/s3_endpoint_policy.json).
 */
export function awsOwnedBucketObjectArns(partition: string, region: string): string[] {
  return [`prod-${region}-starport-layer-bucket/*`, `al2023-repos-${region}-de612dc2/*`].map((objects) => s3Arn(partition, objects));
}
