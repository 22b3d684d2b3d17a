// How the user runs each command, for usage lines, errors and hints: `heap-sync send` when the
// installed command started it, `npm run send --` in the checkout. The one place that decides.

/** Set by the installed `heap-sync` for the entries it runs; the processes they start inherit it. */
export const INVOKED_AS_ENV = 'HEAP_SYNC_INVOKED_AS';

/** The npm scripts and the `heap-sync` subcommand that runs the same entry. */
const SUBCOMMANDS = {
  start: 'start',
  server: 'server',
  'mock:heap': 'mock',
  send: 'send',
  conformance: 'conformance',
  bench: 'bench',
} as const;

export type CommandScript = keyof typeof SUBCOMMANDS;

/** True when the installed `heap-sync` command is running this process (or started it). */
export const invokedAsInstalled = (env: NodeJS.ProcessEnv = process.env) =>
  env[INVOKED_AS_ENV] === 'heap-sync';

/**
 * The command to type, ready for flags to follow: `heap-sync send` / `npm run send --`
 * (`npm start --` for the start script).
 */
export function commandLine(script: CommandScript, env: NodeJS.ProcessEnv = process.env): string {
  if (invokedAsInstalled(env)) return `heap-sync ${SUBCOMMANDS[script]}`;
  return script === 'start' ? 'npm start --' : `npm run ${script} --`;
}
