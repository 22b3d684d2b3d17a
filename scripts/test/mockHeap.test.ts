// The mock Heap (a real Prism process behind the stateful layer): every answer matches
// spec/heap_partner_api.yaml, codes are single use, credentials and redirect URI are checked, and a
// third-party OAuth 2 client gets a token from it.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuthorizationCode } from 'simple-oauth2';
import { request } from 'undici';
import { createSchemaValidator, readSpec, specFiles } from '../../spec/src/index.ts';
import { AuthorizationState } from '../mockHeap/authorizationState.ts';
import type { MockHeapConfig } from '../mockHeap/mockHeapConfig.ts';
import { startMockHeap, type MockHeap } from '../mockHeap/mockHeapServer.ts';

const config: MockHeapConfig = {
  port: 0,
  clientId: 'dev-client-id',
  clientSecret: 'dev-client-secret',
  redirectUri: 'http://localhost:3000/api/oauth_redirect',
  codeTtlMs: 60_000,
  envId: '777',
  partnerAppId: '4',
  authorizedBy: 'dev@example.co',
  dataDir: mkdtempSync(path.join(os.tmpdir(), 'mock-heap-')),
  webhookSecret: 'dev-webhook-secret',
  webhookUrl: 'http://127.0.0.1:3000/webhooks/heap',
};

let mock: MockHeap;
test.before(async () => {
  mock = await startMockHeap(config);
});
test.after.always(async () => {
  await mock?.stop();
  rmSync(config.dataDir, { recursive: true, force: true });
});

const spec = readSpec(specFiles.heapPartnerApi);
const validator = createSchemaValidator(spec, 'heap_partner_api');

interface Answer {
  status: number;
  location?: string;
  body: unknown;
}

/** Sends a request to the mock and checks the answer against the spec's response for its status. */
async function call(
  t: {
    true(value: boolean, message?: string): void;
    deepEqual(a: unknown, b: unknown, message?: string): void;
  },
  method: 'GET' | 'POST',
  specPath: string,
  pathAndQuery: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await request(`${mock.url}${pathAndQuery}`, {
    method,
    headers: options.headers,
    body: options.body,
  });
  const text = await response.body.text();
  const operation = spec.paths[specPath]![method.toLowerCase()]!;
  const declared = operation.responses[String(response.statusCode)];
  t.true(
    declared !== undefined,
    `${method} ${specPath} answered ${response.statusCode}, which the spec does not declare`,
  );
  const schema = declared?.content?.['application/json']?.schema;
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (schema)
    t.deepEqual(
      validator.validateAgainst(schema, body),
      { ok: true },
      `${response.statusCode} body matches the spec`,
    );
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? location : undefined,
    body,
  };
}

const authorizePath = '/api/partner/oauth/authorize';
const tokenPath = '/api/partner/oauth/token';
const metadataPath = '/api/partner/v1/metadata/{id_token}';

function authorizeQuery(overrides: Record<string, string> = {}): string {
  return `${authorizePath}?${new URLSearchParams({
    client_id: config.clientId,
    state: 'partner-state-1',
    response_type: 'code',
    redirect_uri: config.redirectUri,
    scope: 'segment',
    ...overrides,
  })}`;
}

async function freshCode(t: Parameters<typeof call>[0]): Promise<string> {
  const answer = await call(t, 'GET', authorizePath, authorizeQuery());
  return new URL(answer.location!).searchParams.get('code')!;
}

const tokenBody = (code: string, overrides: Record<string, string> = {}) => ({
  grant_type: 'authorization_code',
  code,
  redirect_uri: config.redirectUri,
  client_id: config.clientId,
  client_secret: config.clientSecret,
  ...overrides,
});

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

test('authorize sends the browser back to the registered redirect URI with a fresh code and the partner state', async (t) => {
  const first = await call(t, 'GET', authorizePath, authorizeQuery());
  const second = await call(
    t,
    'GET',
    authorizePath,
    authorizeQuery({ state: 'state with spaces & symbols' }),
  );
  t.is(first.status, 302);
  const a = new URL(first.location!);
  const b = new URL(second.location!);
  t.is(`${a.origin}${a.pathname}`, config.redirectUri);
  t.is(a.searchParams.get('state'), 'partner-state-1');
  t.is(b.searchParams.get('state'), 'state with spaces & symbols');
  t.not(a.searchParams.get('code'), b.searchParams.get('code'));
});

test('authorize refuses a mismatched redirect URI, an unknown client and missing parameters', async (t) => {
  const mismatch = await call(
    t,
    'GET',
    authorizePath,
    authorizeQuery({ redirect_uri: `${config.redirectUri}?x=1` }),
  );
  t.is(mismatch.status, 400);
  t.like(mismatch.body, { error: 'invalid_request' });
  t.regex(JSON.stringify(mismatch.body), /redirect_uri does not match/);
  const unknown = await call(
    t,
    'GET',
    authorizePath,
    authorizeQuery({ client_id: 'someone-else' }),
  );
  t.like(unknown.body, { error: 'invalid_client' });
  const missing = await call(
    t,
    'GET',
    authorizePath,
    `${authorizePath}?client_id=${config.clientId}`,
  );
  t.is(missing.status, 400);
  t.regex(JSON.stringify(missing.body), /state/);
});

test('a code is exchanged once, as JSON or as a form; the tokens work for metadata', async (t) => {
  const code = await freshCode(t);
  const granted = await call(t, 'POST', tokenPath, tokenPath, json(tokenBody(code)));
  t.is(granted.status, 200);
  const {
    access_token: accessToken,
    id_token: idToken,
    token_type: tokenType,
  } = granted.body as Record<string, string>;
  t.is(tokenType, 'bearer');
  t.regex(accessToken!, /^[0-9a-f]{48}$/);
  const again = await call(t, 'POST', tokenPath, tokenPath, json(tokenBody(code)));
  t.is(again.status, 400);
  t.like(again.body, { error: 'invalid_grant' });

  const formCode = await freshCode(t);
  const form = await call(t, 'POST', tokenPath, tokenPath, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(tokenBody(formCode)).toString(),
  });
  t.is(form.status, 200);

  const path = `/api/partner/v1/metadata/${idToken}`;
  const metadata = await call(t, 'GET', metadataPath, path, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  t.is(metadata.status, 200);
  t.like(metadata.body, {
    env_id: '777',
    authorized_by: 'dev@example.co',
    authorized_scope: 'segment',
  });
  t.is((await call(t, 'GET', metadataPath, path)).status, 401);
  t.is(
    (await call(t, 'GET', metadataPath, path, { headers: { authorization: 'Bearer wrong' } }))
      .status,
    401,
  );
  const unknownId = await call(t, 'GET', metadataPath, '/api/partner/v1/metadata/no-such-account', {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  t.is(unknownId.status, 404);
});

test('the token endpoint refuses a wrong secret, a mismatched redirect URI, another grant type and a missing code', async (t) => {
  const wrongSecret = await call(
    t,
    'POST',
    tokenPath,
    tokenPath,
    json(tokenBody(await freshCode(t), { client_secret: 'nope' })),
  );
  t.is(wrongSecret.status, 401);
  t.like(wrongSecret.body, { error: 'invalid_client' });
  const mismatch = await call(
    t,
    'POST',
    tokenPath,
    tokenPath,
    json(tokenBody(await freshCode(t), { redirect_uri: 'http://localhost:3000/other' })),
  );
  t.is(mismatch.status, 400);
  t.like(mismatch.body, { error: 'invalid_grant' });
  const grant = await call(
    t,
    'POST',
    tokenPath,
    tokenPath,
    json(tokenBody('x', { grant_type: 'client_credentials' })),
  );
  t.like(grant.body, { error: 'unsupported_grant_type' });
  const missing = await call(
    t,
    'POST',
    tokenPath,
    tokenPath,
    json({ grant_type: 'authorization_code', client_id: 'a' }),
  );
  t.is(missing.status, 400);
  t.like(missing.body, { error: 'invalid_request' });
  t.regex(JSON.stringify(missing.body), /code/);
});

test('codes expire', (t) => {
  let now = 1_000;
  const state = new AuthorizationState({ codeTtlMs: 500, now: () => now });
  const code = state.issueCode('c', 'http://r');
  now += 501;
  t.deepEqual(state.redeem(code, 'http://r'), { ok: false, reason: 'expired' });
  t.deepEqual(state.redeem('never-issued', 'http://r'), { ok: false, reason: 'unknown' });
});

test('a third-party OAuth 2 client (simple-oauth2) gets a token with the dev credentials', async (t) => {
  const client = new AuthorizationCode({
    client: { id: config.clientId, secret: config.clientSecret },
    auth: { tokenHost: mock.url, tokenPath, authorizePath },
    options: { authorizationMethod: 'body', bodyFormat: 'form' },
  });
  const authorizeUrl = client.authorizeURL({
    redirect_uri: config.redirectUri,
    scope: 'segment',
    state: 'lib-state',
  });
  const redirect = await request(authorizeUrl);
  await redirect.body.dump();
  t.is(redirect.statusCode, 302);
  const back = new URL(String(redirect.headers.location));
  t.is(back.searchParams.get('state'), 'lib-state');
  const accessToken = await client.getToken({
    code: back.searchParams.get('code')!,
    redirect_uri: config.redirectUri,
  });
  t.is(accessToken.token.token_type, 'bearer');
  t.regex(String(accessToken.token.access_token), /^[0-9a-f]{48}$/);
  t.truthy(accessToken.token.id_token);
});
