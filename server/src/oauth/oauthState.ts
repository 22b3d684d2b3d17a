// The OAuth `state`: random, bound to the browser by a signed HttpOnly cookie, short-lived and
// usable once. The cookie holds `<state>.<expiry ms>`; consumed states are remembered until expiry.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const STATE_COOKIE = 'heap_oauth_state';
export const STATE_TTL_MS = 10 * 60_000;

export type StateCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'mismatch' | 'expired' | 'replayed' };

export class OAuthStates {
  readonly #consumed = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A new state and the cookie value that binds it to the browser. */
  issue(): { state: string; cookieValue: string } {
    const state = randomBytes(24).toString('base64url');
    return { state, cookieValue: `${state}.${this.#now() + STATE_TTL_MS}` };
  }

  /** Checks the state Heap sent back against the browser's cookie, and consumes it. */
  consume(returnedState: string | undefined, cookieValue: string | undefined): StateCheck {
    this.#forgetExpired();
    if (!returnedState || !cookieValue) return { ok: false, reason: 'missing' };
    const dot = cookieValue.lastIndexOf('.');
    const state = cookieValue.slice(0, dot);
    const expires = Number(cookieValue.slice(dot + 1));
    const given = Buffer.from(returnedState);
    const expected = Buffer.from(state);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'mismatch' };
    if (!Number.isFinite(expires) || expires < this.#now()) return { ok: false, reason: 'expired' };
    if (this.#consumed.has(state)) return { ok: false, reason: 'replayed' };
    this.#consumed.set(state, expires);
    return { ok: true };
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [state, expires] of this.#consumed) if (expires < now) this.#consumed.delete(state);
  }
}
