import type { EnvironmentInFile } from './zones';

/**
 * Rule across environment files: each environment applies through a GitHub environment of its own. The apply job's
 * DNS-editing Cloudflare token is a secret of that GitHub environment (.github/workflows/terraform-environment.yml),
 * and each environment's token edits its own zones only (checkZones); its reviewers approve that environment's applies.
 */
export function checkApplyEnvironments(environments: readonly EnvironmentInFile[]): void {
  for (const one of environments) {
    const others = environments.filter((two) => two !== one && two.env.ci.applyEnvironment === one.env.ci.applyEnvironment);
    if (others.length === 0) continue;
    const sharing = others.map((two) => `${two.env.name} (${two.file})`).join(', ');
    one.report(
      ['ci', 'applyEnvironment'],
      `is also the GitHub environment of ${sharing}; each environment needs its own, as its Cloudflare token secret ` +
        "edits that environment's zones only and its reviewers approve that environment's applies",
    );
  }
}
