// The reference server's configuration: read from the environment once at start-up and validated.
import { DEFAULT_TOLERANCE, type Tolerance } from '../../../spec/src/index.ts';
import { parseTokenKey } from '../oauth/tokenCipher.ts';
import { DEFAULT_BODY_READ_TIMEOUT_MS, defaultInflightBodyBytes } from '../http/bodyLimits.ts';
import { devDefaults, HEAP_PRODUCTION_HOST } from './devDefaults.ts';
import {
  byteSizeSetting,
  choiceSetting,
  integerSetting,
  secretListSetting,
  type Parsed,
} from './envParsers.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface ServerConfig {
  /** Interface to listen on (`HOST`, default 127.0.0.1; set 0.0.0.0 in a container). */
  host: string;
  /** `PORT`, default 3000; 0 picks a free port. */
  port: number;
  /** Every accepted webhook secret (`WEBHOOK_SECRET`, comma-separated while rotating). */
  webhookSecrets: string[];
  /** True when no WEBHOOK_SECRET was set and the development secret is in use. */
  usingDevSecret: boolean;
  /** `SIGNATURE_TOLERANCE_PAST_MS` / `SIGNATURE_TOLERANCE_FUTURE_MS`. */
  tolerance: Tolerance;
  /** Largest accepted body (`BODY_LIMIT`, default 16mb). Larger bodies get 413. */
  bodyLimitBytes: number;
  /** `BODY_READ_TIMEOUT_MS`, default 60000: a body that takes longer to arrive gets 408. */
  bodyReadTimeoutMs: number;
  /** `MAX_INFLIGHT_BODY_BYTES`: body bytes all requests together may hold (503 beyond). */
  maxInflightBodyBytes: number;
  /** What to do with an action type this contract does not know (`UNKNOWN_ACTIONS`). */
  unknownActions: 'accept' | 'reject';
  /** Where the store lives (`DATABASE_URL`, default sqlite:./data/partner.db; or postgres://...). */
  databaseUrl: string;
  /** `sqlite` durability (`SQLITE_SYNCHRONOUS`): normal survives a process crash, full a power loss. */
  sqliteSynchronous: 'normal' | 'full';
  /** `SQLITE_BUSY_TIMEOUT_MS`, default 200: how long a write waits for another process's lock. */
  sqliteBusyTimeoutMs: number;
  /** Bearer token of the read-only inspection API (`ADMIN_TOKEN`); null disables that API. */
  adminToken: string | null;
  /** `LOG_LEVEL`, default info. */
  logLevel: (typeof LOG_LEVELS)[number];
  /** What to do with a delivery for an id_token no customer connected (`UNKNOWN_ACCOUNTS`). */
  unknownAccounts: 'accept' | 'reject';
  /**
   * `TRUST_PROXY`: believe `X-Forwarded-Proto`/`-Host`/`-For` (Koa's `app.proxy`). Only behind a
   * proxy that sets them; otherwise any client could claim HTTPS or another address.
   */
  trustProxy: boolean;
  oauth: OAuthConfig;
}

export interface OAuthConfig {
  /** `CLIENT_ID`: the partner app's client id at Heap. */
  clientId: string;
  /** `CLIENT_SECRET`. */
  clientSecret: string;
  /** `REDIRECT_URI`: registered with Heap, matched exactly. */
  redirectUri: string;
  /** Where Heap is: `HEAP_BASE_URL`, or https://`HEAP_SERVER`. */
  heapBaseUrl: string;
  /** `TOKEN_ENCRYPTION_KEY`: 32 bytes that encrypt access tokens at rest. */
  tokenKey: Buffer;
  /**
   * `HEAP_TIMEOUT_MS`, default 5000: how long a call to Heap's token or metadata endpoint may take
   * before the browser is shown an error page, so that a silent Heap never leaves it hanging.
   */
  heapTimeoutMs?: number;
  /** `COOKIE_SECRET`: signs the OAuth state cookie. */
  cookieSecret: string;
  /** True while any of the above is a development default. */
  usingDevCredentials: boolean;
  /** Mark the state cookie `Secure` even on plain HTTP (production); otherwise only on HTTPS. */
  alwaysSecureCookies?: boolean;
}

function parseOAuthConfig(
  env: NodeJS.ProcessEnv,
  port: number,
): { ok: true; value: OAuthConfig } | { ok: false; errors: string[] } {
  const production = env.NODE_ENV === 'production';
  const given = (name: string) => env[name]?.trim() || undefined;
  const errors: string[] = [];
  for (const name of ['CLIENT_ID', 'CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'COOKIE_SECRET']) {
    if (production && !given(name)) errors.push(`${name} is required when NODE_ENV=production`);
  }
  const redirectUri = given('REDIRECT_URI') ?? `http://localhost:${port}/api/oauth_redirect`;
  let redirect: URL | null = null;
  try {
    redirect = new URL(redirectUri);
  } catch {
    errors.push(`REDIRECT_URI must be an absolute http(s) URL (got "${redirectUri}")`);
  }
  if (redirect && (!/^https?:$/.test(redirect.protocol) || redirect.search || redirect.hash)) {
    errors.push(
      `REDIRECT_URI must be an http(s) URL without a query or fragment (got "${redirectUri}")`,
    );
  }
  const server = given('HEAP_SERVER');
  const heapBaseUrl =
    given('HEAP_BASE_URL') ??
    (server
      ? `https://${server}`
      : production
        ? `https://${HEAP_PRODUCTION_HOST}`
        : devDefaults.heapBaseUrl);
  try {
    if (!/^https?:$/.test(new URL(heapBaseUrl).protocol)) throw new Error('protocol');
  } catch {
    errors.push(`HEAP_BASE_URL must be an http(s) URL (got "${heapBaseUrl}")`);
  }
  const rawKey = given('TOKEN_ENCRYPTION_KEY');
  const tokenKey = parseTokenKey(rawKey ?? devDefaults.tokenEncryptionKey);
  if (!tokenKey && !(production && !rawKey)) {
    errors.push(
      'TOKEN_ENCRYPTION_KEY must be 32 bytes, as Base64 (44 characters) or hex (64 characters)',
    );
  }
  const heapTimeout = integerSetting('HEAP_TIMEOUT_MS', env.HEAP_TIMEOUT_MS, 5_000, {
    min: 100,
    max: 120_000,
  });
  if (!heapTimeout.ok) errors.push(heapTimeout.error);
  const cookieSecret = given('COOKIE_SECRET') ?? devDefaults.cookieSecret;
  if (cookieSecret.length < 16 && !(production && !given('COOKIE_SECRET'))) {
    errors.push('COOKIE_SECRET must be at least 16 characters long');
  }
  if (errors.length > 0 || !tokenKey || !heapTimeout.ok) return { ok: false, errors };
  return {
    ok: true,
    value: {
      clientId: given('CLIENT_ID') ?? devDefaults.clientId,
      clientSecret: given('CLIENT_SECRET') ?? devDefaults.clientSecret,
      redirectUri,
      heapBaseUrl: heapBaseUrl.replace(/\/+$/, ''),
      tokenKey,
      heapTimeoutMs: heapTimeout.value,
      cookieSecret,
      usingDevCredentials: [
        'CLIENT_ID',
        'CLIENT_SECRET',
        'TOKEN_ENCRYPTION_KEY',
        'COOKIE_SECRET',
      ].some((name) => !given(name)),
      alwaysSecureCookies: production,
    },
  };
}

/** The NODE_ENV values the server knows; unset means development. */
const NODE_ENVS = ['development', 'production', 'test'];

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; error: string };

/** Parses the environment; every missing or invalid setting is named, in one message. */
export function parseServerConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const production = env.NODE_ENV === 'production';
  const rawSecret = env.WEBHOOK_SECRET?.trim() ?? '';
  // Every problem is collected, so one start-up names all of them.
  const errors: string[] = [];
  // An unknown value (prod, Production) would otherwise run with development defaults.
  const nodeEnv = env.NODE_ENV;
  if (nodeEnv !== undefined && nodeEnv !== '' && !NODE_ENVS.includes(nodeEnv)) {
    errors.push(`NODE_ENV must be one of ${NODE_ENVS.join(', ')} (got "${nodeEnv}")`);
  }
  if (production && rawSecret === '') {
    errors.push('WEBHOOK_SECRET is required when NODE_ENV=production');
  }
  const settings = {
    port: integerSetting('PORT', env.PORT, devDefaults.port, { min: 0, max: 65535 }),
    webhookSecrets: rawSecret
      ? secretListSetting('WEBHOOK_SECRET', rawSecret)
      : ({ ok: true, value: [devDefaults.webhookSecret] } as Parsed<string[]>),
    pastMs: integerSetting(
      'SIGNATURE_TOLERANCE_PAST_MS',
      env.SIGNATURE_TOLERANCE_PAST_MS,
      DEFAULT_TOLERANCE.pastMs,
      { min: 1000, max: 86_400_000 },
    ),
    futureMs: integerSetting(
      'SIGNATURE_TOLERANCE_FUTURE_MS',
      env.SIGNATURE_TOLERANCE_FUTURE_MS,
      DEFAULT_TOLERANCE.futureMs,
      { min: 0, max: 86_400_000 },
    ),
    bodyLimitBytes: byteSizeSetting('BODY_LIMIT', env.BODY_LIMIT, 16 * 1024 ** 2),
    bodyReadTimeoutMs: integerSetting(
      'BODY_READ_TIMEOUT_MS',
      env.BODY_READ_TIMEOUT_MS,
      DEFAULT_BODY_READ_TIMEOUT_MS,
      { min: 1000, max: 600_000 },
    ),
    maxInflightBodyBytes: byteSizeSetting(
      'MAX_INFLIGHT_BODY_BYTES',
      env.MAX_INFLIGHT_BODY_BYTES,
      0,
    ),
    unknownActions: choiceSetting(
      'UNKNOWN_ACTIONS',
      env.UNKNOWN_ACTIONS,
      ['accept', 'reject'],
      'accept',
    ),
    sqliteSynchronous: choiceSetting(
      'SQLITE_SYNCHRONOUS',
      env.SQLITE_SYNCHRONOUS,
      ['normal', 'full'],
      'normal',
    ),
    sqliteBusyTimeoutMs: integerSetting('SQLITE_BUSY_TIMEOUT_MS', env.SQLITE_BUSY_TIMEOUT_MS, 200, {
      min: 0,
      max: 5000,
    }),
    logLevel: choiceSetting('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info'),
    unknownAccounts: choiceSetting(
      'UNKNOWN_ACCOUNTS',
      env.UNKNOWN_ACCOUNTS,
      ['accept', 'reject'],
      'accept',
    ),
    trustProxy: choiceSetting('TRUST_PROXY', env.TRUST_PROXY, ['true', 'false'], 'false'),
  };
  for (const setting of Object.values(settings)) {
    if (!setting.ok) errors.push(setting.error);
  }
  const value = <T>(parsed: Parsed<T>): T => (parsed as { value: T }).value;
  const bodyLimitBytes = value(settings.bodyLimitBytes);
  const maxInflightBodyBytes =
    value(settings.maxInflightBodyBytes) || defaultInflightBodyBytes(bodyLimitBytes);
  if (settings.maxInflightBodyBytes.ok && maxInflightBodyBytes < bodyLimitBytes) {
    errors.push(
      `MAX_INFLIGHT_BODY_BYTES must be at least BODY_LIMIT (${bodyLimitBytes} bytes), or no body of the largest size could be read`,
    );
  }
  const databaseUrl = env.DATABASE_URL?.trim() || devDefaults.databaseUrl;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    errors.push(
      'DATABASE_URL must start with sqlite: or postgres:// (for example sqlite:./data/partner.db)',
    );
  }
  const oauth = parseOAuthConfig(env, value(settings.port) ?? devDefaults.port);
  if (!oauth.ok) errors.push(...oauth.errors);
  const adminToken = env.ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16) {
    errors.push('ADMIN_TOKEN must be at least 16 characters long');
  }
  if (errors.length === 1) return { ok: false, error: errors[0]! };
  if (errors.length > 1 || !oauth.ok) {
    return {
      ok: false,
      error: `${errors.length} settings are missing or invalid: ${errors.join('; ')}`,
    };
  }
  return {
    ok: true,
    config: {
      host: env.HOST?.trim() || '127.0.0.1',
      port: value(settings.port),
      webhookSecrets: value(settings.webhookSecrets),
      usingDevSecret: rawSecret === '',
      tolerance: { pastMs: value(settings.pastMs), futureMs: value(settings.futureMs) },
      bodyLimitBytes,
      bodyReadTimeoutMs: value(settings.bodyReadTimeoutMs),
      maxInflightBodyBytes,
      unknownActions: value(settings.unknownActions),
      databaseUrl,
      sqliteSynchronous: value(settings.sqliteSynchronous),
      sqliteBusyTimeoutMs: value(settings.sqliteBusyTimeoutMs),
      adminToken,
      logLevel: value(settings.logLevel),
      unknownAccounts: value(settings.unknownAccounts),
      trustProxy: value(settings.trustProxy) === 'true',
      oauth: oauth.value,
    },
  };
}
