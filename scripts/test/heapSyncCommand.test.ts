// `heap-sync`: subcommands, --help and --version everywhere, one line and exit 2 for a bad command.
// Serial: each case is a node process compiling TypeScript, and the machine runs other suites too.
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../support/testing/runCli.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';

const CLI = 'scripts/cli/heapSync.ts';
const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  version: string;
};

test.serial('--help lists every subcommand', async (t) => {
  const outcome = await runCli(CLI, ['--help']);
  t.is(outcome.code, 0);
  for (const name of ['start', 'server', 'mock', 'send', 'conformance']) {
    t.regex(outcome.stdout, new RegExp(`^  ${name}\\s+\\S`, 'm'));
  }
});

for (const args of [['--version'], ['-v'], ['start', '--version'], ['conformance', '--version']]) {
  test.serial(`heap-sync ${args.join(' ')} prints the package version`, async (t) => {
    const outcome = await runCli(CLI, args);
    t.is(outcome.code, 0);
    t.is(outcome.stdout.trim(), version);
  });
}

// start, server and mock would otherwise start listening: their help must come first.
for (const [name, mentions] of [
  ['start', /MOCK_HEAP_PORT/],
  ['server', /ADMIN_TOKEN/],
  ['mock', /REDIRECT_URI/],
  ['send', /--max-attempts/],
  ['conformance', /--inspect-url/],
] as const) {
  test.serial(`heap-sync ${name} --help describes it and exits 0`, async (t) => {
    const outcome = await runCli(CLI, [name, '--help']);
    t.is(outcome.code, 0, outcome.stderr);
    t.regex(outcome.stdout, mentions);
    // The installed command names itself, not the checkout's npm scripts.
    t.notRegex(outcome.stdout, /npm (run|start)/);
  });
}

test.serial('installed usage lines, errors and hints name heap-sync', async (t) => {
  const help = await runCli(CLI, ['conformance', '--help']);
  t.regex(help.stdout, /^Usage: heap-sync conformance \[/m);
  const misspelt = await runCli(CLI, ['send', 'sync', '--userz', '10']);
  t.is(misspelt.code, 2);
  t.is(
    misspelt.stderr,
    'send: unknown flag --userz: did you mean --users? (heap-sync send --help lists the options)\n',
  );
});

test.serial('the flags after a subcommand reach its entry', async (t) => {
  const outcome = await runCli(CLI, ['send', 'sync', '--secret', 'flag-secret', '--print-curl']);
  t.is(outcome.code, 0, outcome.stderr);
  t.regex(outcome.stdout, /^curl /m);
});

for (const [args, message] of [
  [[], /^heap-sync: name a command \(start, server, mock, send, conformance\)/],
  [['deploy'], /^heap-sync: unknown command "deploy"/],
  [['send', 'sync', '--pages', '3'], /^send: .*pages/],
] as const) {
  test.serial(
    `heap-sync ${args.join(' ') || '(nothing)'} is a usage error: one line, exit 2`,
    async (t) => {
      const outcome = await runCli(CLI, [...args]);
      t.is(outcome.code, 2);
      t.regex(outcome.stderr, message);
      t.is(outcome.stdout, '');
    },
  );
}
