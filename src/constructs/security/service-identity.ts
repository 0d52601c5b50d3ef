import { EksPodIdentityAssociation } from '@cdktn/provider-aws/lib/eks-pod-identity-association';
import { Construct } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';
import { ServiceGrant } from './service-grant';

export interface ServiceIdentityProps {
  /** Service name: its namespace and its service account. */
  readonly service: string;
  /** Where the service's code lives, for the role description. */
  readonly repository: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  /** Secrets Manager name prefix the service owns, e.g. "social/prod/svc-feed/"; it may read only these. */
  readonly secretNamePrefix: string;
}

/**
 * The AWS identity of one consumer service: a role only its service account in its namespace can get
 * through Pod Identity, the association that hands it out, and read access to its own secrets. Every
 * other permission is a ServiceGrant attached by the layer that owns the resource.
 */
export class ServiceIdentity extends Construct {
  readonly role: PodIdentityRole;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: ServiceIdentityProps) {
    super(scope, id);
    if (!props.secretNamePrefix.endsWith(`/${props.service}/`)) {
      throw new Error(`ServiceIdentity ${props.service}: secretNamePrefix must end with "/${props.service}/" so the service reads only its own secrets (got "${props.secretNamePrefix}")`);
    }
    this.role = new PodIdentityRole(this, 'identity', {
      roleName: props.roleName,
      description: `Pod identity of ${props.service} (${props.repository}); grants are attached by the layers that own the resources`,
      accountId: props.accountId,
      clusterName: props.clusterName,
      namespace: props.service,
      serviceAccount: props.service,
    });
    this.association = new EksPodIdentityAssociation(this, 'association', {
      clusterName: props.clusterName,
      namespace: props.service,
      serviceAccount: props.service,
      roleArn: this.role.arn,
    });
    new ServiceGrant(this, {
      service: props.service,
      roleName: this.role.name,
      capability: 'own-secrets',
      statements: [
        {
          sid: 'OwnSecrets',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          // Secrets Manager appends a random suffix to every secret ARN, hence the trailing wildcard.
          resources: [`arn:aws:secretsmanager:${props.region}:${props.accountId}:secret:${props.secretNamePrefix}*`],
        },
      ],
    });
  }
}
