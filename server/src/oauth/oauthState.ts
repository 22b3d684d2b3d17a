// The OAuth `state`: random, bound to the browser by a signed HttpOnly cookie, short-lived and
// usable once. The cookie holds `<state>.<expiry ms>`; used states are recorded in the store until
// they expire, so single use holds across restarts and across instances sharing the store.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { OAuthStateStore } from '../store/oauthStateStore.ts';

export const STATE_COOKIE = 'heap_oauth_state';
export const STATE_TTL_MS = 10 * 60_000;

export type StateCheck =
  { ok: true } | { ok: false; reason: 'missing' | 'mismatch' | 'expired' | 'replayed' };

export class OAuthStates {
  readonly #used: OAuthStateStore;
  readonly #now: () => number;

  constructor(used: OAuthStateStore, now: () => number = Date.now) {
    this.#used = used;
    this.#now = now;
  }

  /** A new state and the cookie value that binds it to the browser. */
  issue(): { state: string; cookieValue: string } {
    const state = randomBytes(24).toString('base64url');
    return { state, cookieValue: `${state}.${this.#now() + STATE_TTL_MS}` };
  }

  /** Checks the state Heap sent back against the browser's cookie, and consumes it. */
  async consume(
    returnedState: string | undefined,
    cookieValue: string | undefined,
  ): Promise<StateCheck> {
    const now = this.#now();
    await this.#used.forgetExpiredStates(new Date(now));
    if (!returnedState || !cookieValue) return { ok: false, reason: 'missing' };
    const dot = cookieValue.lastIndexOf('.');
    const state = cookieValue.slice(0, dot);
    const expires = Number(cookieValue.slice(dot + 1));
    const given = Buffer.from(returnedState);
    const expected = Buffer.from(state);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'mismatch' };
    if (!Number.isFinite(expires) || expires < now) return { ok: false, reason: 'expired' };
    if (!(await this.#used.useState(state, new Date(expires))))
      return { ok: false, reason: 'replayed' };
    return { ok: true };
  }
}
