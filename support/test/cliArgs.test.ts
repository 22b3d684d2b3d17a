// Flag mistakes get one line of our own: the closest known flag, and npm's `--` rule when npm
// looks to have taken the flags itself.
import test from 'ava';
import { closestFlag, parseCliArgs, unexpectedArgument } from '../src/cliArgs.ts';

const options = {
  users: { type: 'string' },
  'page-size': { type: 'string' },
  url: { type: 'string' },
  quick: { type: 'boolean' },
} as const;

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  parseCliArgs({ args, options, allowPositionals: false }, { command: 'npm run send --', env });

const cases: [string, { args: string[]; env?: NodeJS.ProcessEnv; want: RegExp }][] = [
  [
    'a misspelt flag',
    { args: ['--userz', '10'], want: /^unknown flag --userz: did you mean --users\?$/ },
  ],
  ['a flag far from any', { args: ['--colour'], want: /^unknown flag --colour$/ }],
  [
    'a missing value',
    { args: ['--users'], want: /^--users needs a value, as in --users <value>$/ },
  ],
  [
    'a value that starts with a dash, as a token may',
    {
      args: ['--users', '-3x'],
      want: /^--users needs a value; for one that starts with "-", write --users=<value>$/,
    },
  ],
  [
    'a value for a switch',
    { args: ['--quick=yes'], want: /^--quick takes no value \(got "--quick=yes"\)$/ },
  ],
  [
    'a bare value after npm took the flags',
    {
      args: ['10'],
      env: { npm_lifecycle_event: 'send', npm_config_users: 'true' },
      want: /^unexpected argument "10": with npm run, put -- before the flags: npm run send -- --users 10$/,
    },
  ],
  ['a bare value', { args: ['10'], want: /^unexpected argument "10"$/ }],
];

for (const [name, { args, env, want }] of cases) {
  test(`one line for ${name}`, (t) => {
    const error = t.throws(() => parse(args, env));
    t.regex(error.message, want);
    t.false(error.message.includes('\n'));
  });
}

test('known flags parse as node:util parseArgs does', (t) => {
  t.deepEqual(parse(['--users', '10', '--quick']).values, { users: '10', quick: true });
});

test('the closest flag is one or two edits away, or none', (t) => {
  const known = ['users', 'page-size', 'url'];
  t.is(closestFlag('userz', known), 'users');
  t.is(closestFlag('pagesize', known), 'page-size');
  t.is(closestFlag('colour', known), null);
});

test('the npm rule shows the command as it should have been typed', (t) => {
  const env = { npm_lifecycle_event: 'send', npm_config_users: 'true' };
  t.is(
    unexpectedArgument('10', ['sync', '10'], ['users', 'url'], { command: 'npm run send --', env }),
    'unexpected argument "10": with npm run, put -- before the flags: npm run send -- sync --users 10',
  );
  // Outside npm, npm's settings in the environment mean nothing.
  t.is(
    unexpectedArgument('10', ['sync', '10'], ['users'], {
      command: 'heap-sync send',
      env: { npm_config_users: 'true' },
    }),
    'unexpected argument "10"',
  );
});
