// Parsers for command-line flag values shared by the CLIs; each throws one sentence naming the flag.
export function wholeNumberFlag(
  flag: string,
  raw: string | undefined,
  fallback: number,
  range: { min: number; max: number },
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < range.min || Number(raw) > range.max) {
    throw new Error(
      `--${flag} must be a whole number from ${range.min} to ${range.max} (got "${raw}")`,
    );
  }
  return Number(raw);
}

/** An http(s) URL, or null when the flag is absent or empty. */
export function httpUrlFlag(flag: string, raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--${flag} must be an http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--${flag} must be an http(s) URL (got "${raw}")`);
  }
  return url.toString();
}
