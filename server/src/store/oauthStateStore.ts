// OAuth states that were used, kept in the store so that single use holds across restarts and
// across the instances sharing a database (a flow may start on one and finish on another).

export interface OAuthStateStore {
  /**
   * Records `state` as used until `expiresAt`. True the first time, false when it was already
   * used: the check and the record are one atomic step, so two concurrent callbacks cannot both win.
   */
  useState(state: string, expiresAt: Date): Promise<boolean>;
  /** Forgets used states that expired before `now` (an expired state is refused on its own). */
  forgetExpiredStates(now: Date): Promise<void>;
  close(): Promise<void>;
}
