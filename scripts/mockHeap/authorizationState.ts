// What the mock Heap remembers between requests: authorization codes (single use, expiring) and
// the connections their exchange created.
import { randomBytes, randomUUID } from 'node:crypto';

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface Connection {
  idToken: string;
  accessToken: string;
  authorizedAt: Date;
}

export type CodeCheck =
  { ok: true } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'redirect_uri_mismatch' };

export class AuthorizationState {
  readonly #codes = new Map<string, IssuedCode>();
  readonly #byToken = new Map<string, Connection>();
  readonly #idTokens = new Set<string>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { codeTtlMs: number; now?: () => number }) {
    this.#ttlMs = options.codeTtlMs;
    this.#now = options.now ?? Date.now;
  }

  issueCode(clientId: string, redirectUri: string): string {
    const code = randomBytes(16).toString('base64url');
    this.#codes.set(code, {
      clientId,
      redirectUri,
      expiresAt: this.#now() + this.#ttlMs,
      used: false,
    });
    return code;
  }

  /** Checks a code for a token exchange and uses it up (even when the check fails on redirect_uri). */
  redeem(code: string, redirectUri: string): CodeCheck {
    const issued = this.#codes.get(code);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (issued.used) return { ok: false, reason: 'used' };
    issued.used = true;
    if (issued.expiresAt < this.#now()) return { ok: false, reason: 'expired' };
    if (issued.redirectUri !== redirectUri) return { ok: false, reason: 'redirect_uri_mismatch' };
    return { ok: true };
  }

  connect(): Connection {
    const connection = {
      idToken: randomUUID(),
      accessToken: randomBytes(24).toString('hex'),
      authorizedAt: new Date(this.#now()),
    };
    this.#byToken.set(connection.accessToken, connection);
    this.#idTokens.add(connection.idToken);
    return connection;
  }

  connectionFor(accessToken: string): Connection | undefined {
    return this.#byToken.get(accessToken);
  }

  knowsIdToken(idToken: string): boolean {
    return this.#idTokens.has(idToken);
  }
}
