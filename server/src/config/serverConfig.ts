// The reference server's configuration: read from the environment once at start-up and validated.
import type { Tolerance } from '../webhook/heapHash.ts';
import { DEFAULT_TOLERANCE } from '../webhook/heapHash.ts';
import { devDefaults } from './devDefaults.ts';
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
  /** What to do with an action type this contract does not know (`UNKNOWN_ACTIONS`). */
  unknownActions: 'accept' | 'reject';
  /** Where the store lives (`DATABASE_URL`, default sqlite:./data/partner.db). */
  databaseUrl: string;
  /** `sqlite` durability (`SQLITE_SYNCHRONOUS`): normal survives a process crash, full a power loss. */
  sqliteSynchronous: 'normal' | 'full';
  /** Bearer token of the read-only inspection API (`ADMIN_TOKEN`); null disables that API. */
  adminToken: string | null;
  /** `LOG_LEVEL`, default info. */
  logLevel: (typeof LOG_LEVELS)[number];
}

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; error: string };

/** Parses the environment; the first invalid setting is named in one sentence. */
export function parseServerConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const production = env.NODE_ENV === 'production';
  const rawSecret = env.WEBHOOK_SECRET?.trim() ?? '';
  if (production && rawSecret === '') {
    return { ok: false, error: 'WEBHOOK_SECRET is required when NODE_ENV=production' };
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
    logLevel: choiceSetting('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, 'info'),
  };
  for (const setting of Object.values(settings)) {
    if (!setting.ok) return { ok: false, error: setting.error };
  }
  const value = <T>(parsed: Parsed<T>): T => (parsed as { value: T }).value;
  const databaseUrl = env.DATABASE_URL?.trim() || devDefaults.databaseUrl;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    return {
      ok: false,
      error: 'DATABASE_URL must start with sqlite: (for example sqlite:./data/partner.db)',
    };
  }
  const adminToken = env.ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && adminToken.length < 16) {
    return { ok: false, error: 'ADMIN_TOKEN must be at least 16 characters long' };
  }
  return {
    ok: true,
    config: {
      host: env.HOST?.trim() || '127.0.0.1',
      port: value(settings.port),
      webhookSecrets: value(settings.webhookSecrets),
      usingDevSecret: rawSecret === '',
      tolerance: { pastMs: value(settings.pastMs), futureMs: value(settings.futureMs) },
      bodyLimitBytes: value(settings.bodyLimitBytes),
      unknownActions: value(settings.unknownActions),
      databaseUrl,
      sqliteSynchronous: value(settings.sqliteSynchronous),
      adminToken,
      logLevel: value(settings.logLevel),
    },
  };
}
