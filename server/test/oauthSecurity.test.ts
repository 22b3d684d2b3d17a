// The connect flow's pages and cookie: security headers on every page, a Secure state cookie over
// HTTPS (directly or through a trusted proxy) and always in production, TRUST_PROXY parsed.
import test from 'ava';
import { parseServerConfig, type OAuthConfig } from '../src/config/serverConfig.ts';
import { freePort } from '../../support/src/freePort.ts';
import { startTestServer, type TestServer } from './helpers/testServer.ts';

async function startConnectServer(
  t: { teardown(fn: () => Promise<void>): void },
  options: { trustProxy?: boolean; alwaysSecureCookies?: boolean } = {},
): Promise<TestServer & { redirectUri: string }> {
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/api/oauth_redirect`;
  const config: OAuthConfig = {
    clientId: 'test-client',
    clientSecret: 'test-client-secret',
    redirectUri,
    heapBaseUrl: 'https://heap.test',
    tokenKey: Buffer.alloc(32, 7),
    cookieSecret: 'test-cookie-secret-0123456789',
    usingDevCredentials: false,
    alwaysSecureCookies: options.alwaysSecureCookies ?? false,
  };
  const server = await startTestServer(
    { port, trustProxy: options.trustProxy ?? false },
    { config },
  );
  t.teardown(() => server.close());
  return Object.assign(server, { redirectUri });
}

const stateCookie = (response: Response): string =>
  response.headers.getSetCookie().find((cookie) => cookie.startsWith('heap_oauth_state=')) ?? '';

const pages: [string, (server: TestServer & { redirectUri: string }) => Promise<Response>][] = [
  ['the connect page', (server) => fetch(`${server.url}/`)],
  ['a failure page', (server) => fetch(`${server.redirectUri}?code=c&state=s`)],
];

for (const [name, open] of pages) {
  test(`${name} cannot be framed, sniffed or leak its URL as a referrer`, async (t) => {
    const server = await startConnectServer(t);
    const response = await open(server);
    t.regex(response.headers.get('content-type') ?? '', /text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    t.regex(csp, /frame-ancestors 'none'/);
    t.regex(csp, /default-src 'none'/);
    t.regex(csp, /form-action 'self' http:\/\/127\.0\.0\.1:\d+ https:\/\/heap\.test/);
    t.is(response.headers.get('x-frame-options'), 'DENY');
    t.is(response.headers.get('x-content-type-options'), 'nosniff');
    t.is(response.headers.get('referrer-policy'), 'no-referrer');
  });
}

test('the state cookie is not Secure over plain HTTP in development', async (t) => {
  const server = await startConnectServer(t);
  const response = await fetch(`${server.url}/api/authorize`, { redirect: 'manual' });
  t.is(response.status, 302);
  t.notRegex(stateCookie(response), /;\s*secure/i);
});

test('behind a trusted proxy that terminated TLS, the state cookie is Secure', async (t) => {
  const server = await startConnectServer(t, { trustProxy: true });
  const response = await fetch(`${server.url}/api/authorize`, {
    redirect: 'manual',
    headers: { 'x-forwarded-proto': 'https' },
  });
  t.is(response.status, 302);
  t.regex(stateCookie(response), /;\s*secure/i);
  t.regex(stateCookie(response), /;\s*httponly/i);
});

test('an untrusted X-Forwarded-Proto does not change what the server believes', async (t) => {
  const server = await startConnectServer(t, { trustProxy: false });
  const response = await fetch(`${server.url}/api/authorize`, {
    redirect: 'manual',
    headers: { 'x-forwarded-proto': 'https' },
  });
  t.is(response.status, 302);
  t.notRegex(stateCookie(response), /;\s*secure/i);
});

test('in production the state cookie is always Secure', async (t) => {
  const server = await startConnectServer(t, { alwaysSecureCookies: true });
  const response = await fetch(`${server.url}/api/authorize`, { redirect: 'manual' });
  t.is(response.status, 302);
  t.regex(stateCookie(response), /;\s*secure/i);
});

test('configuration: TRUST_PROXY, and Secure cookies in production', (t) => {
  const development = parseServerConfig({});
  t.true(development.ok);
  if (development.ok) {
    t.false(development.config.trustProxy);
    t.false(development.config.oauth.alwaysSecureCookies);
  }
  const proxied = parseServerConfig({ TRUST_PROXY: 'true' });
  t.true(proxied.ok && proxied.config.trustProxy);
  const production = parseServerConfig({
    NODE_ENV: 'production',
    WEBHOOK_SECRET: 'w',
    CLIENT_ID: 'c',
    CLIENT_SECRET: 's',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    COOKIE_SECRET: 'cookie-secret-0123456789',
  });
  t.true(production.ok && production.config.oauth.alwaysSecureCookies === true);
  const bad = parseServerConfig({ TRUST_PROXY: 'yes please' });
  t.false(bad.ok);
  if (!bad.ok) t.regex(bad.error, /TRUST_PROXY must be one of true, false/);
});
