#!/usr/bin/env node
// `heap-sync`, the installed command: runs the entry point of one subcommand with the flags after it.
import { INVOKED_AS_ENV } from '../../support/src/commandLine.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../support/src/projectRoot.ts';
import { subcommands } from './subcommands.ts';

const HELP_FLAGS = new Set(['-h', '--help']);
const VERSION_FLAGS = new Set(['-v', '--version']);

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function usage(): string {
  const width = Math.max(...Object.keys(subcommands).map((name) => name.length));
  return `Usage: heap-sync <command> [options]

Heap Segment Sync toolkit ${version()}

Commands:
${Object.entries(subcommands)
  .map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)
  .join('\n')}

heap-sync <command> --help describes a command; -v, --version prints the version.`;
}

/** The flags before a `--` terminator: only those can ask for help or the version. */
function flagsOf(args: string[]): string[] {
  const end = args.indexOf('--');
  return end === -1 ? args : args.slice(0, end);
}

const [name, ...rest] = process.argv.slice(2);
const list = Object.keys(subcommands).join(', ');
if (name === undefined) {
  console.error(`heap-sync: name a command (${list}); heap-sync --help describes them`);
  process.exit(2);
}
if (HELP_FLAGS.has(name)) {
  console.log(usage());
  process.exit(0);
}
if (VERSION_FLAGS.has(name)) {
  console.log(version());
  process.exit(0);
}
const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
if (!subcommand) {
  console.error(`heap-sync: unknown command "${name}" (commands: ${list})`);
  process.exit(2);
}
const flags = flagsOf(rest);
if (flags.some((flag) => VERSION_FLAGS.has(flag))) {
  console.log(version());
  process.exit(0);
}
// The entries name the command as it was typed, and so do the processes they start.
process.env[INVOKED_AS_ENV] = 'heap-sync';
// The entries read their flags from process.argv, as they do when run by their npm script.
process.argv = [process.argv[0]!, `heap-sync ${name}`, ...rest];
await subcommand.run();
