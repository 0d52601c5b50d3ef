import { SecretsmanagerSecret } from '@cdktn/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktn/provider-aws/lib/secretsmanager-secret-policy';
import { TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { policyDocument } from './policy-document';
import { ServiceGrant } from './service-grant';
import { stableAddress } from '../stable-address';

const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];

export interface ApplicationSecretSpec {
  /** Service that owns the secret: its name is part of the secret's, and it always reads it. */
  readonly owner: string;
  /** Name of the secret within its owner, e.g. `jwt-signing-key`. */
  readonly name: string;
  /** Secrets Manager name, from `Naming.secretName(owner, name)`. */
  readonly secretName: string;
  /** Other services that may read the value. */
  readonly readers: readonly string[];
}

export interface ApplicationSecretsProps {
  readonly secrets: readonly ApplicationSecretSpec[];
  /** Pod-identity role ARN per service; every owner and reader must have one. */
  readonly roleArns: ReadonlyMap<string, string>;
  /** Customer-managed key that encrypts every secret value. */
  readonly kmsKeyArn: string;
  readonly region: string;
  /**
   * Days a deleted secret can still be restored.
   * @default 30 (the maximum)
   */
  readonly recoveryWindowInDays?: number;
}

/**
 * The secrets the services declare in config, created empty: the value is put by the owning team out
 * of band (`aws secretsmanager put-secret-value`), so it never enters Terraform code, plan or state.
 * Each secret is encrypted with the given key and carries a resource policy that refuses
 * `GetSecretValue` to every principal but its owner's and readers' roles, so an identity policy
 * elsewhere in the account (an administrator's `secretsmanager:*`) cannot read it either.
 */
export class ApplicationSecrets extends Construct {
  /** Secret ARN by `<owner>/<name>`. */
  readonly arns: ReadonlyMap<string, string>;
  private readonly specs: readonly ApplicationSecretSpec[];
  private readonly secrets = new Map<string, SecretsmanagerSecret>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ApplicationSecretsProps,
  ) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp('ApplicationSecrets', prop, allowed, got);
    const recoveryWindowInDays = props.recoveryWindowInDays ?? 30;
    if (!Number.isInteger(recoveryWindowInDays) || recoveryWindowInDays < 7 || recoveryWindowInDays > 30) {
      fail('recoveryWindowInDays', '7–30', recoveryWindowInDays);
    }
    this.specs = props.secrets;
    for (const spec of props.secrets) {
      const key = secretKey(spec);
      if (this.secrets.has(key)) fail('secrets', 'unique owner/name pairs', key);
      const principals = [spec.owner, ...spec.readers].map(
        (service) => props.roleArns.get(service) ?? fail('roleArns', `a role for ${service} (reads ${key})`, [...props.roleArns.keys()]),
      );
      const readBy = spec.readers.length > 0 ? `, read by ${spec.readers.join(', ')}` : '';
      const secret = new SecretsmanagerSecret(this, `secret-${spec.owner}-${spec.name}`, {
        name: spec.secretName,
        description: `${spec.name} of ${spec.owner}${readBy}; value set out of band`,
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays,
      });
      stableAddress(secret, spec.secretName);
      new SecretsmanagerSecretPolicy(this, `policy-${spec.owner}-${spec.name}`, {
        secretArn: secret.arn,
        blockPublicPolicy: true,
        // In a secret's resource policy, Resource "*" means this secret.
        policy: policyDocument([
          { sid: 'OwnerAndReadersRead', principals: { AWS: principals }, actions: SECRET_READ_ACTIONS, resources: ['*'] },
          {
            sid: 'NobodyElseReadsTheValue',
            effect: 'Deny',
            principals: '*',
            actions: ['secretsmanager:GetSecretValue'],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': principals } },
          },
        ]),
      });
      this.secrets.set(key, secret);
    }
    this.arns = new Map([...this.secrets].map(([key, secret]) => [key, secret.arn]));
  }

  /** `<owner>/<name>` of every secret `service` owns or is a reader of. */
  readableBy(service: string): string[] {
    return this.specs.filter((spec) => spec.owner === service || spec.readers.includes(service)).map(secretKey);
  }

  /**
   * Lets a service's role read exactly the secrets it owns or reads: the values, and the data key
   * only through Secrets Manager and only for those secrets (encryption context `SecretARN`, see
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
   */
  grantRead(service: string, roleName: string): ServiceGrant {
    const readable = this.readableBy(service).map((key) => this.arns.get(key)!);
    if (readable.length === 0) {
      invalidProp('ApplicationSecrets', 'secrets', `at least one secret ${service} owns or reads`, this.specs.map(secretKey));
    }
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: 'secrets',
      statements: [
        { sid: 'ReadOwnAndSharedSecrets', actions: SECRET_READ_ACTIONS, resources: readable },
        {
          sid: 'DecryptThoseSecretsOnly',
          actions: ['kms:Decrypt'],
          resources: [this.props.kmsKeyArn],
          // Both keys are single-valued: a list under StringEquals matches any one of its values.
          conditions: {
            StringEquals: {
              'kms:ViaService': `secretsmanager.${this.props.region}.amazonaws.com`,
              'kms:EncryptionContext:SecretARN': readable,
            },
          },
        },
      ],
    });
  }
}

function secretKey(spec: Pick<ApplicationSecretSpec, 'owner' | 'name'>): string {
  return `${spec.owner}/${spec.name}`;
}
