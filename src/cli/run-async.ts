/** Runs an async command's `main` as the process: its result is the exit code; an unexpected error prints and exits 1. */
export function runAsync(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
