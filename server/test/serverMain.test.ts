// `npm run server` as a process: configuration errors, start-up, graceful shutdown.
import test from 'ava';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseServerConfig } from '../src/config/serverConfig.ts';
import { runServerMain, startServerProcess } from './helpers/serverProcess.ts';

const invalidSettings: [string, { env: Record<string, string>; want: RegExp }][] = [
  [
    'a non-numeric PORT',
    { env: { PORT: 'http' }, want: /^PORT must be a whole number from 0 to 65535 \(got "http"\)$/ },
  ],
  ['a PORT out of range', { env: { PORT: '70000' }, want: /^PORT must be/ }],
  [
    'no secret in production',
    {
      env: {
        NODE_ENV: 'production',
        CLIENT_ID: 'c',
        CLIENT_SECRET: 's',
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        COOKIE_SECRET: 'cookie-secret-0123456789',
      },
      want: /^WEBHOOK_SECRET is required when NODE_ENV=production$/,
    },
  ],
  [
    'an empty entry in the secret list',
    {
      env: { WEBHOOK_SECRET: 'a,,b' },
      want: /^WEBHOOK_SECRET must be one secret or a comma-separated list/,
    },
  ],
  ['a bad BODY_LIMIT', { env: { BODY_LIMIT: 'huge' }, want: /^BODY_LIMIT must be a size such as/ }],
  [
    'a bad tolerance',
    { env: { SIGNATURE_TOLERANCE_PAST_MS: '-1' }, want: /^SIGNATURE_TOLERANCE_PAST_MS must be/ },
  ],
  [
    'a bad UNKNOWN_ACTIONS',
    { env: { UNKNOWN_ACTIONS: 'maybe' }, want: /^UNKNOWN_ACTIONS must be one of accept, reject/ },
  ],
  [
    'a bad DATABASE_URL',
    { env: { DATABASE_URL: 'mysql://x' }, want: /^DATABASE_URL must start with sqlite:/ },
  ],
  [
    'a short ADMIN_TOKEN',
    { env: { ADMIN_TOKEN: 'short' }, want: /^ADMIN_TOKEN must be at least 16 characters/ },
  ],
  [
    'an unknown NODE_ENV',
    {
      env: { NODE_ENV: 'prod' },
      want: /^NODE_ENV must be one of development, production, test \(got "prod"\)$/,
    },
  ],
  [
    'a NODE_ENV in capitals',
    { env: { NODE_ENV: 'Production' }, want: /^NODE_ENV must be one of development, production/ },
  ],
  ['a bad LOG_LEVEL', { env: { LOG_LEVEL: 'loud' }, want: /^LOG_LEVEL must be one of/ }],
  [
    'no CLIENT_SECRET in production',
    {
      env: {
        NODE_ENV: 'production',
        WEBHOOK_SECRET: 's',
        CLIENT_ID: 'c',
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        COOKIE_SECRET: 'cookie-secret-0123456789',
      },
      want: /^CLIENT_SECRET is required when NODE_ENV=production$/,
    },
  ],
  [
    'a REDIRECT_URI with a query',
    {
      env: { REDIRECT_URI: 'http://localhost:3000/cb?x=1' },
      want: /^REDIRECT_URI must be an http\(s\) URL without a query/,
    },
  ],
  [
    'a short TOKEN_ENCRYPTION_KEY',
    { env: { TOKEN_ENCRYPTION_KEY: 'abcd' }, want: /^TOKEN_ENCRYPTION_KEY must be 32 bytes/ },
  ],
  [
    'a bad HEAP_BASE_URL',
    { env: { HEAP_BASE_URL: 'heap' }, want: /^HEAP_BASE_URL must be an http\(s\) URL/ },
  ],
  [
    'a bad UNKNOWN_ACCOUNTS',
    {
      env: { UNKNOWN_ACCOUNTS: 'sometimes' },
      want: /^UNKNOWN_ACCOUNTS must be one of accept, reject/,
    },
  ],
];

for (const [name, { env, want }] of invalidSettings) {
  test(`configuration: ${name} is named in one sentence`, (t) => {
    const result = parseServerConfig(env);
    t.false(result.ok);
    t.regex(result.ok ? '' : result.error, want);
  });
}

test('configuration: production names every missing and invalid setting in one message', (t) => {
  const result = parseServerConfig({ NODE_ENV: 'production', PORT: 'http', ADMIN_TOKEN: 'short' });
  t.false(result.ok);
  if (result.ok) return;
  t.regex(result.error, /^7 settings are missing or invalid: /);
  for (const name of [
    'WEBHOOK_SECRET is required',
    'CLIENT_ID is required',
    'CLIENT_SECRET is required',
    'TOKEN_ENCRYPTION_KEY is required',
    'COOKIE_SECRET is required',
    'PORT must be a whole number',
    'ADMIN_TOKEN must be at least 16 characters',
  ]) {
    t.true(result.error.includes(name), name);
  }
});

test('configuration: Heap is the mock in development, HEAP_SERVER names a host, production is heapanalytics.com', (t) => {
  const heapOf = (env: NodeJS.ProcessEnv) => {
    const result = parseServerConfig(env);
    return result.ok ? result.config.oauth.heapBaseUrl : result.error;
  };
  t.is(heapOf({}), 'http://127.0.0.1:4010');
  t.is(heapOf({ HEAP_SERVER: 'heap.example' }), 'https://heap.example');
  t.is(heapOf({ HEAP_BASE_URL: 'http://127.0.0.1:9999/' }), 'http://127.0.0.1:9999');
  const production = {
    NODE_ENV: 'production',
    WEBHOOK_SECRET: 's',
    CLIENT_ID: 'c',
    CLIENT_SECRET: 'cs',
    TOKEN_ENCRYPTION_KEY: 'a'.repeat(64),
    COOKIE_SECRET: 'c'.repeat(32),
  };
  t.is(heapOf(production), 'https://heapanalytics.com');
  const redirect = parseServerConfig({ PORT: '4321' });
  t.is(
    redirect.ok && redirect.config.oauth.redirectUri,
    'http://localhost:4321/api/oauth_redirect',
  );
});

test('configuration: the secret never appears in an error', (t) => {
  const result = parseServerConfig({ WEBHOOK_SECRET: 'super-secret-value,' });
  t.false(result.ok);
  t.false(result.ok ? true : result.error.includes('super-secret-value'));
});

test('configuration: defaults with no environment, secrets listed when rotating', (t) => {
  const defaults = parseServerConfig({});
  t.like(defaults.ok ? defaults.config : {}, {
    host: '127.0.0.1',
    port: 3000,
    usingDevSecret: true,
    bodyLimitBytes: 16 * 1024 * 1024,
    unknownActions: 'accept',
    databaseUrl: 'sqlite:./data/partner.db',
    adminToken: null,
    tolerance: { pastMs: 180_000, futureMs: 60_000 },
  });
  const rotating = parseServerConfig({ WEBHOOK_SECRET: ' new , old ', BODY_LIMIT: '2mb' });
  t.deepEqual(rotating.ok && rotating.config.webhookSecrets, ['new', 'old']);
  t.is(rotating.ok && rotating.config.bodyLimitBytes, 2 * 1024 * 1024);
});

test('the server process stops with one clear line on a bad setting', async (t) => {
  const run = runServerMain({ PORT: 'abc', WEBHOOK_SECRET: 'a-secret' });
  const { code } = await run.exited;
  t.is(code, 2);
  t.is(
    run.output().trim(),
    'server: configuration error: PORT must be a whole number from 0 to 65535 (got "abc")',
  );
});

test('the server process starts, creates its database folder, and shuts down gracefully on SIGTERM', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'server-main-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dbFile = path.join(dir, 'nested', 'partner.db');
  const server = await startServerProcess({
    DATABASE_URL: `sqlite:${dbFile}`,
    WEBHOOK_SECRET: 'process-secret',
  });
  t.teardown(() => server.child.kill('SIGKILL'));
  t.is((await fetch(`${server.url}/healthcheck`)).status, 200);
  t.true((await stat(dbFile)).isFile());
  server.child.kill('SIGTERM');
  t.deepEqual(await server.exited, { code: 0, signal: null });
  t.regex(server.output(), /"msg":"stopped"/);
  t.false(server.output().includes('process-secret'));
});

test('the development secret is announced as such', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'server-main-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${path.join(dir, 'p.db')}` });
  t.teardown(() => server.child.kill('SIGKILL'));
  t.regex(server.output(), /WEBHOOK_SECRET is not set: using the development secret/);
  server.child.kill('SIGINT');
  t.is((await server.exited).code, 0);
});
