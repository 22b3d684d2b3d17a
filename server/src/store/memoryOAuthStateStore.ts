// Used OAuth states in process memory: for a server built without a store (tests, embedding).
import type { OAuthStateStore } from './oauthStateStore.ts';

export class MemoryOAuthStateStore implements OAuthStateStore {
  readonly #used = new Map<string, number>();

  async useState(state: string, expiresAt: Date): Promise<boolean> {
    if (this.#used.has(state)) return false;
    this.#used.set(state, expiresAt.getTime());
    return true;
  }

  async forgetExpiredStates(now: Date): Promise<void> {
    for (const [state, expires] of this.#used)
      if (expires < now.getTime()) this.#used.delete(state);
  }

  async close(): Promise<void> {}
}
