import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/load';
import { adminCommands, expectedSettings, mainRuleset, settingsProblems, type ObservedSettings } from '../delivery/github-settings';
import { parseCommandArgs } from './args';
import { runMain } from './entry';

const USAGE = `usage: npm run github-settings -- <expected|ruleset|check> [--config <dir>] [--observed <dir>]
  expected  the GitHub environments and branch rules config implies, and the commands an administrator runs
  ruleset   the ruleset for main, as JSON for POST /repos/{owner}/{repo}/rulesets
  check     compare with what GitHub reports, saved in --observed: environments.json, rules.json and
            branch-policies-<environment>.json (the maintenance workflow fetches them read-only)
exit status: 0 as expected, 1 a setting differs, 2 bad input`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('github-settings', argv, { values: ['config', 'observed'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const [command, ...rest] = args.positional;
  if (!['expected', 'ruleset', 'check'].includes(command ?? '') || rest.length > 0) {
    console.error(`github-settings: expected one command, expected, ruleset or check\n${USAGE}`);
    return 2;
  }
  let configs: ReturnType<typeof loadConfig>;
  try {
    configs = loadConfig(resolve(args.values.get('config')?.at(-1) ?? 'config'));
  } catch (error) {
    console.error(`github-settings: ${error instanceof ConfigError ? error.message : (error as Error).message}`);
    return 2;
  }
  const expected = expectedSettings(configs);
  if (command === 'ruleset') {
    console.log(JSON.stringify(mainRuleset(expected), null, 2));
    return 0;
  }
  if (command === 'expected') {
    const { organization, infraRepository } = configs[0].project.github;
    const reviewers = (required: boolean) => (required ? ', required reviewers, no self-review' : '');
    for (const env of expected.environments) {
      const deployments = `deployments from ${expected.branch} only${reviewers(env.requiredReviewers)}`;
      console.log(`environment ${env.name}: ${deployments} (trusted by ${env.environment})`);
    }
    console.log(`branch ${expected.branch}: required checks ${expected.requiredChecks.join(', ')}; Code Owner review`);
    for (const { name, repositories, environment, requiredReviewers } of expected.consumerEnvironments) {
      console.log(
        `consumer environment ${name} in ${repositories.join(', ')}: ` +
          `deployments from protected branches only${reviewers(requiredReviewers)} (trusted by the deploy roles of ${environment})`,
      );
    }
    console.log('');
    console.log(adminCommands(expected, `${organization}/${infraRepository}`).join('\n'));
    return 0;
  }
  const dir = args.values.get('observed')?.at(-1);
  if (!dir) {
    console.error('github-settings: check needs --observed <dir>');
    return 2;
  }
  const read = (file: string, fallback: unknown) => {
    const path = join(dir, file);
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : fallback;
  };
  let observed: ObservedSettings;
  try {
    observed = {
      environments: read('environments.json', {}),
      branchRules: read('rules.json', []),
      branchPolicies: Object.fromEntries(expected.environments.map((env) => [env.name, read(`branch-policies-${env.name}.json`, {})])),
    };
  } catch (error) {
    console.error(`github-settings: ${dir}: ${(error as Error).message}`);
    return 2;
  }
  const problems = settingsProblems(expected, observed);
  for (const problem of problems) console.log(`- ${problem}`);
  const differ = `github-settings: ${problems.length} setting(s) differ; docs/delivery.md, "GitHub settings"`;
  console.log(problems.length === 0 ? 'github-settings: as config expects' : differ);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) runMain(main);
