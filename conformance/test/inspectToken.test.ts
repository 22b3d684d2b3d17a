// Both conformance runs read the inspection token the same way: an empty --inspect-token is a
// usage error, an empty INSPECT_TOKEN is no token, and the flag wins over the variable.
import test from 'ava';
import { parseConformanceArgs } from '../src/conformanceOptions.ts';
import { parseOAuthArgs } from '../src/oauth/oauthOptions.ts';

const webhookArgs = ['--url', 'http://127.0.0.1:1/users_sync', '--secret', 's'.repeat(16)];
const oauthArgs = [
  ...['--start-url', 'http://127.0.0.1:1/connect', '--provider-port', '4999'],
  ...['--client-id', 'id', '--client-secret', 'secret'],
  ...['--redirect-uri', 'http://127.0.0.1:1/callback', '--inspect-url', 'http://127.0.0.1:1/admin'],
];

const runs = [
  [
    'the webhook run',
    (args: string[], env: NodeJS.ProcessEnv) =>
      parseConformanceArgs(
        [...webhookArgs, '--inspect-url', 'http://127.0.0.1:1/admin', ...args],
        env,
      ),
  ],
  [
    'the connect-flow run',
    (args: string[], env: NodeJS.ProcessEnv) => parseOAuthArgs([...oauthArgs, ...args], env),
  ],
] as const;

for (const [name, parse] of runs) {
  test(`${name}: an empty --inspect-token is refused in one line`, (t) => {
    const parsed = parse(['--inspect-token', ''], {});
    t.is(parsed.kind, 'error');
    t.regex(parsed.kind === 'error' ? parsed.message : '', /^--inspect-token must not be empty/);
  });

  test(`${name}: an empty INSPECT_TOKEN is no token, and the flag wins over the variable`, (t) => {
    const token = (args: string[], env: NodeJS.ProcessEnv) => {
      const parsed = parse(args, env);
      return parsed.kind === 'run' ? parsed.options.inspectToken : `error: ${parsed.kind}`;
    };
    t.is(token([], { INSPECT_TOKEN: '  ' }), null);
    t.is(token([], { INSPECT_TOKEN: 'from-env' }), 'from-env');
    t.is(token(['--inspect-token', 'from-flag'], { INSPECT_TOKEN: 'from-env' }), 'from-flag');
  });
}
