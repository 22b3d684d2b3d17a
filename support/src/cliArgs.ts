// Reads command-line flags for every CLI with node:util parseArgs, and turns each mistake into one
// line of our own: the closest known flag for a misspelt one, and npm's `--` rule when npm has
// taken the flags for its own (`npm run send sync --users 10` hands the script only `sync 10`).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliContext {
  /** How the user runs this command, flags to follow: `npm run send --`, `heap-sync send`. */
  command: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Levenshtein distance. Hand-written rather than a dependency: it runs once per mistake over a
 * few dozen short flag names, and a package installed by partners gains nothing from one more.
 */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known flag nearest to `given` (at most 2 edits, and fewer than its length), or null. */
export function closestFlag(given: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(given, name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= 2 && bestDistance < given.length ? best : null;
}

/**
 * The line for a word the command did not expect. Under npm, a known flag found among npm's own
 * settings (npm_config_*) means npm read it: the line then shows the command with `--` in place.
 */
export function unexpectedArgument(
  value: string,
  args: readonly string[],
  flagNames: readonly string[],
  context: CliContext,
): string {
  const takenByNpm = context.env.npm_lifecycle_event
    ? flagNames.filter((name) => context.env[`npm_config_${name.replace(/-/g, '_')}`] !== undefined)
    : [];
  if (takenByNpm.length === 0) return `unexpected argument "${value}"`;
  const rest = args.filter((word) => word !== value);
  const example = [context.command, ...rest, ...takenByNpm.map((name) => `--${name}`), value];
  return `unexpected argument "${value}": with npm run, put -- before the flags: ${example.join(' ')}`;
}

/** parseArgs, strict, with every parse error rewritten as one line (thrown as an Error). */
export function parseCliArgs<T extends ParseArgsConfig>(
  config: T,
  context: CliContext,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  const args = config.args ?? [];
  const options = config.options ?? {};
  const flagNames = Object.keys(options);
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const flag = /'(--?[^' =]+)/.exec(message)?.[1] ?? '';
    const name = flag.replace(/^--?/, '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const nearest = closestFlag(name, flagNames);
      throw new Error(`unknown flag ${flag}${nearest ? `: did you mean --${nearest}?` : ''}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const long = flagNames.find((known) => known === name || options[known]?.short === name);
      const shown = long ? `--${long}` : flag;
      if (long && options[long]?.type === 'boolean') {
        const given = args.find((word) => word.startsWith(`${shown}=`)) ?? shown;
        throw new Error(`${shown} takes no value (got "${given}")`);
      }
      // parseArgs also lands here when the value itself starts with "-", as a token may.
      const next = args[args.indexOf(shown) + 1];
      if (args.includes(shown) && next !== undefined && next.startsWith('-')) {
        throw new Error(
          `${shown} needs a value; for one that starts with "-", write ${shown}=<value>`,
        );
      }
      throw new Error(`${shown} needs a value, as in ${shown} <value>`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const value = /'([^']*)'/.exec(message)?.[1] ?? '';
      throw new Error(unexpectedArgument(value, args, flagNames, context));
    }
    throw error;
  }
}
