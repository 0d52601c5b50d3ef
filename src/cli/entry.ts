/** A command: its arguments in, its exit code out. Every command module exports one as `main`. */
export type Main = (argv: readonly string[]) => number | Promise<number>;

/** Runs a command and returns its exit code: what `main` returns or resolves to, or 1 (printed) on an unexpected error. */
export async function runCommand(main: Main, argv: readonly string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    console.error(error);
    return 1;
  }
}

/**
 * Runs a command as this process (`runCommand`, then its code is the exit code). A command module calls it when
 * started directly (`node dist/src/cli/<name>.js`, guarded by `require.main === module`); `scripts/run.mjs` (every npm
 * script) calls it with the module's exported `main`, because a module it loads is not `require.main` and so does not
 * run itself. Tests call `main` in-process (test/support/command.ts).
 */
export async function runMain(main: Main, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await runCommand(main, argv);
}
