/** Minimal `--flag value` / `--flag` parser shared by the command-line entry points. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string[]>;
  readonly flags: ReadonlySet<string>;
  readonly positional: readonly string[];
}

function parseArgs(argv: readonly string[], spec: { values: readonly string[]; flags: readonly string[] }): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.flags.includes(name)) {
      flags.add(name);
    } else if (spec.values.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
    } else {
      throw new Error(`unknown option --${name}; known: ${[...spec.values, ...spec.flags].map((o) => `--${o}`).join(', ')}`);
    }
  }
  return { values, flags, positional };
}

/**
 * Parses a command's arguments with `--help` built in. Returns the exit code instead when there is
 * nothing more to do: 0 after printing the usage for `--help`, 2 after a bad option.
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[] },
  usage: string,
): ParsedArgs | number {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, { values: spec.values, flags: [...spec.flags, 'help'] });
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (args.flags.has('help')) {
    console.log(usage);
    return 0;
  }
  return args;
}
