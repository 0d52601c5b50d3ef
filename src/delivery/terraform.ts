import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** One finished terraform command: its exit status and what it printed (stdout and stderr, in order). */
export interface TerraformRun {
  readonly status: number;
  readonly output: string;
}

export interface RunOptions {
  /** Write stdout here instead of the log and `output` (`show -json`: large, and it holds unmasked values). */
  readonly stdoutFile?: string;
}

export interface Terraform {
  run(workingDirectory: string, args: readonly string[], options?: RunOptions): Promise<TerraformRun>;
}

/**
 * Runs the terraform binary (`$TERRAFORM_BINARY`, else `terraform` on the PATH), echoing its output to
 * the job log as it comes (a first apply takes hours) and keeping it for error reports.
 */
export function terraformCli(binary = process.env.TERRAFORM_BINARY ?? 'terraform', log: NodeJS.WritableStream = process.stdout): Terraform {
  return {
    run(workingDirectory, args, options = {}) {
      return new Promise((resolve) => {
        const child = spawn(binary, [`-chdir=${workingDirectory}`, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, TF_IN_AUTOMATION: 'true', TF_INPUT: 'false' },
        });
        const chunks: string[] = [];
        const file = options.stdoutFile ? createWriteStream(options.stdoutFile) : undefined;
        child.stdout.on('data', (data: Buffer) => {
          if (file) return void file.write(data);
          chunks.push(data.toString());
          log.write(data);
        });
        child.stderr.on('data', (data: Buffer) => {
          chunks.push(data.toString());
          log.write(data);
        });
        child.on('error', (error) => resolve({ status: 127, output: `cannot run ${binary}: ${error.message}` }));
        child.on('close', (code) => {
          const done = () => resolve({ status: code ?? 1, output: chunks.join('') });
          if (file) file.end(done);
          else done();
        });
      });
    },
  };
}
