import { EKS_VERSIONS, EKS_VERSIONS_REVIEWED_ON, eksSupportStatus, eksVersionsIn } from '../eks-versions';
import type { EnvironmentFile } from '../schema/environment';
import type { ProjectConfig } from '../schema/project';
import type { Report } from './report';

const ANYWHERE = '0.0.0.0/0';

export function checkPlatform(env: EnvironmentFile, _project: ProjectConfig, report: Report): void {
  checkVersion(env, report);
  checkEndpoint(env, report);
  checkAccess(env, report);
}

function checkVersion(env: EnvironmentFile, report: Report): void {
  const { kubernetesVersion: version, extendedSupport } = env.platform;
  const standard = eksVersionsIn('standard').join(', ');
  const path = ['platform', 'kubernetesVersion'];
  const status = eksSupportStatus(version);
  const entry = EKS_VERSIONS.find((v) => v.version === version);
  if (status === 'unknown') {
    report(
      path,
      'must be a version of the EKS support calendar in src/config/eks-versions.ts; ' +
        `in standard support on ${EKS_VERSIONS_REVIEWED_ON}: ${standard}`,
    );
  } else if (status === 'unsupported') {
    report(path, `left EKS extended support on ${entry!.endOfExtendedSupport}; use a version in standard support: ${standard}`);
  } else if (status === 'extended' && !extendedSupport) {
    report(
      path,
      `left EKS standard support on ${entry!.endOfStandardSupport}; ` +
        `use a version in standard support (${standard}) or set platform.extendedSupport to true (paid)`,
    );
  }
}

function checkEndpoint(env: EnvironmentFile, report: Report): void {
  const { enabled, cidrs } = env.platform.publicEndpoint;
  const path = ['platform', 'publicEndpoint', 'cidrs'];
  if (enabled && cidrs.length === 0)
    report(path, 'must list the source CIDRs allowed to reach the public endpoint when it is enabled (an empty list would mean 0.0.0.0/0)');
  if (!enabled && cidrs.length > 0) report(path, 'must be empty while publicEndpoint.enabled is false (set enabled to true to use them)');
  if (env.tier === 'production') {
    cidrs.forEach((cidr, i) => {
      if (cidr === ANYWHERE)
        report([...path, i], 'must not be 0.0.0.0/0 in a production environment; list the networks that administer the cluster');
    });
  }
}

function checkAccess(env: EnvironmentFile, report: Report): void {
  const { adminRoleArns, readOnlyRoleArns } = env.platform;
  // The cluster creator gets no admin rights, so without an admin entry nobody could administer the cluster.
  if (adminRoleArns.length === 0)
    report(['platform', 'adminRoleArns'], 'must list at least one IAM role (the cluster creator gets no admin access)');
  readOnlyRoleArns.forEach((arn, i) => {
    if (adminRoleArns.includes(arn))
      report(['platform', 'readOnlyRoleArns', i], 'must not repeat a role of adminRoleArns (a principal has one access entry)');
  });
  for (const [field, arns] of [
    ['adminRoleArns', adminRoleArns],
    ['readOnlyRoleArns', readOnlyRoleArns],
  ] as const) {
    arns.forEach((arn, i) => {
      if (arns.indexOf(arn) !== i) report(['platform', field, i], 'must not repeat a role');
    });
  }
  const { branches, environments } = env.platform.deployFrom;
  if (branches.length + environments.length === 0)
    report(['platform', 'deployFrom'], 'must name at least one branch or GitHub environment consumer pipelines deploy from');
  // A branch subject would let any job on that branch deploy, skipping the environment's reviewers.
  if (env.tier === 'production' && branches.length > 0) {
    report(
      ['platform', 'deployFrom', 'branches'],
      'must be empty in a production environment: consumer pipelines deploy to production ' +
        'only through a GitHub environment with required reviewers (deployFrom.environments)',
    );
  }
}
