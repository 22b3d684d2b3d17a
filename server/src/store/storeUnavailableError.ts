// The one error a store throws for a fault that is not the request's: the database is locked by
// someone else, or failed. The HTTP layer answers it with 503 and Retry-After (Heap retries).
export type StoreUnavailableReason = 'locked' | 'fault';

export class StoreUnavailableError extends Error {
  readonly reason: StoreUnavailableReason;
  /** How long a client should wait before trying again. */
  readonly retryAfterSeconds: number;

  constructor(reason: StoreUnavailableReason, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StoreUnavailableError';
    this.reason = reason;
    this.retryAfterSeconds = reason === 'locked' ? 2 : 10;
  }
}
