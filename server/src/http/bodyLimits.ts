// Default limits on reading request bodies, shared by the configuration and the application.

/** How long a whole webhook body may take to arrive. */
export const DEFAULT_BODY_READ_TIMEOUT_MS = 60_000;

/** Four bodies of the largest size at once, and never less than 64 MB. */
export const defaultInflightBodyBytes = (bodyLimitBytes: number): number =>
  Math.max(64 * 1024 ** 2, 4 * bodyLimitBytes);
