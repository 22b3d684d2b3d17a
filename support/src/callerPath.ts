// Resolves a path given on the command line against the folder the user typed the command in.
import path from 'node:path';

/**
 * `npm run` (and `npm --prefix DIR run`) runs a script in the package's folder and says in INIT_CWD
 * where the user was; a relative --json, --body or --add-file means a file there.
 */
export function callerPath(given: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD?.trim() || process.cwd(), given);
}
