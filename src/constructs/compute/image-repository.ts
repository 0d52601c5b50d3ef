import { EcrLifecyclePolicy } from '@cdktn/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktn/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';
import { stableAddress } from '../stable-address';

export interface ImageRepositoryProps {
  readonly name: string;
  readonly kmsKeyArn: string;
  /**
   * Days an untagged image (a failed or superseded push) is kept.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Tagged images (releases) kept; older ones expire.
   * @default 30
   */
  readonly keepReleases?: number;
}

/**
 * A private ECR repository for one service: immutable tags (a released tag always means the same
 * image), a vulnerability scan of every push, KMS encryption, and a lifecycle policy that removes
 * untagged images and all but the last releases.
 */
export class ImageRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 7;
    const keepReleases = props.keepReleases ?? 30;
    if (!Number.isInteger(untaggedExpiryDays) || untaggedExpiryDays < 1)
      invalidProp(`ImageRepository ${props.name}`, 'untaggedExpiryDays', 'a whole number ≥ 1', untaggedExpiryDays);
    if (!Number.isInteger(keepReleases) || keepReleases < 1)
      invalidProp(`ImageRepository ${props.name}`, 'keepReleases', 'a whole number ≥ 1', keepReleases);
    this.repository = new EcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
      tags: { Name: props.name },
    });
    stableAddress(this.repository, props.name);
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untaggedExpiryDays} days`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the last ${keepReleases} releases`,
            selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keepReleases },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }

  get arn(): string {
    return this.repository.arn;
  }

  get url(): string {
    return this.repository.repositoryUrl;
  }
}
