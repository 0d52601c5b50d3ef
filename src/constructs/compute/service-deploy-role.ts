import { Construct } from 'constructs';
import { GithubOidcRole, type GithubSubject } from '../security/github-oidc-role';
import type { EksCluster } from './eks-cluster';

export interface ServiceDeployRoleProps {
  readonly service: string;
  readonly roleName: string;
  readonly oidcProviderArn: string;
  readonly organization: string;
  readonly repository: string;
  /** Branches and GitHub environments of the repository whose jobs may deploy. */
  readonly subjects: readonly GithubSubject[];
  readonly cluster: EksCluster;
  /** The service's ECR repository: the only one it may push to. */
  readonly imageRepositoryArn: string;
  /**
   * The Kubernetes group the role's access entry maps it to; the cluster layer binds the group to a
   * Role in the service's namespace, its only Kubernetes permissions.
   */
  readonly kubernetesGroup: string;
  /** ARNs of the SSM parameters of the contract outputs the service consumes; may be empty. */
  readonly contractParameterArns: readonly string[];
}

/**
 * The role a consumer repository's pipeline deploys with: trusted only by that repository's listed
 * branches and environments, pushing only to its own image repository, reading only its contract
 * parameters, and in Kubernetes only what its group is bound to in its own namespace (the cluster
 * layer's deployer Role: workloads, services, config; no Secrets, no RBAC, so it cannot widen its rights).
 */
export class ServiceDeployRole extends Construct {
  readonly role: GithubOidcRole;

  constructor(scope: Construct, id: string, props: ServiceDeployRoleProps) {
    super(scope, id);
    this.role = new GithubOidcRole(this, 'role', {
      roleName: props.roleName,
      description: `Deploys ${props.service} from ${props.organization}/${props.repository}: its image repository and namespace only`,
      oidcProviderArn: props.oidcProviderArn,
      organization: props.organization,
      repository: props.repository,
      subjects: props.subjects,
      statements: [
        {
          sid: 'PushOwnImages',
          actions: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:InitiateLayerUpload',
            'ecr:UploadLayerPart',
            'ecr:CompleteLayerUpload',
            'ecr:PutImage',
            'ecr:BatchGetImage',
            'ecr:GetDownloadUrlForLayer',
            'ecr:DescribeImages',
          ],
          resources: [props.imageRepositoryArn],
        },
        // GetAuthorizationToken has no resource-level permissions: AWS accepts only "*" for it.
        { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
        { sid: 'FindCluster', actions: ['eks:DescribeCluster'], resources: [props.cluster.arn] },
        ...(props.contractParameterArns.length > 0
          ? [{ sid: 'ReadContract', actions: ['ssm:GetParameter', 'ssm:GetParameters'], resources: [...props.contractParameterArns] }]
          : []),
      ],
    });
    props.cluster.mapToKubernetesGroups(`deploy-${props.service}`, this.role.arn, [props.kubernetesGroup]);
  }

  get arn(): string {
    return this.role.arn;
  }
}
