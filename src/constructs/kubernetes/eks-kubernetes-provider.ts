import { Fn } from 'cdktn';
import type { Construct } from 'constructs';
import { KubernetesProvider } from '../../generated/kubernetes/provider';

export interface EksKubernetesProviderProps {
  readonly clusterName: string;
  /** The cluster's API endpoint (https URL) and base64 CA bundle, as EKS reports them. */
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly region: string;
  /**
   * A role to take before asking for the token, the one the AWS provider assumes too.
   * @default - the caller's own credentials (the CI job's OIDC role)
   */
  readonly assumeRoleArn?: string;
}

/**
 * The Kubernetes provider for an EKS cluster, authenticated as the caller's own IAM role: each request
 * gets a short-lived token from `aws eks get-token` (the exec credential plugin renews it through long
 * applies), so no kubeconfig, static token or token in plan or state exists. What the role may do in
 * the cluster is decided by its EKS access entry.
 * https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs#exec-plugins
 * https://docs.aws.amazon.com/cli/latest/reference/eks/get-token.html
 */
export function eksKubernetesProvider(scope: Construct, id: string, props: EksKubernetesProviderProps): KubernetesProvider {
  const args = ['eks', 'get-token', '--output', 'json', '--cluster-name', props.clusterName, '--region', props.region];
  if (props.assumeRoleArn) args.push('--role-arn', props.assumeRoleArn);
  return new KubernetesProvider(scope, id, {
    host: props.endpoint,
    clusterCaCertificate: Fn.base64decode(props.certificateAuthorityData),
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args },
  });
}
