// Small parsers for environment settings; each returns a value or a sentence naming what is wrong.
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

export function integerSetting(
  name: string,
  raw: string | undefined,
  fallback: number,
  range: { min: number; max: number },
): Parsed<number> {
  if (raw === undefined || raw.trim() === '') return ok(fallback);
  const value = Number(raw.trim());
  if (!/^-?\d+$/.test(raw.trim()) || value < range.min || value > range.max) {
    return bad(`${name} must be a whole number from ${range.min} to ${range.max} (got "${raw}")`);
  }
  return ok(value);
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes as a number, or with a unit: `512kb`, `16mb`. */
export function byteSizeSetting(
  name: string,
  raw: string | undefined,
  fallback: number,
): Parsed<number> {
  if (raw === undefined || raw.trim() === '') return ok(fallback);
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!match || Number(match[1]) === 0) {
    return bad(`${name} must be a size such as 10485760, 512kb or 16mb (got "${raw}")`);
  }
  return ok(Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()]!);
}

export function choiceSetting<T extends string>(
  name: string,
  raw: string | undefined,
  choices: readonly T[],
  fallback: T,
): Parsed<T> {
  if (raw === undefined || raw.trim() === '') return ok(fallback);
  const value = raw.trim().toLowerCase() as T;
  if (!choices.includes(value)) {
    return bad(`${name} must be one of ${choices.join(', ')} (got "${raw}")`);
  }
  return ok(value);
}

/** A comma-separated list of secrets; each must be non-empty. Never echoes the value. */
export function secretListSetting(name: string, raw: string): Parsed<string[]> {
  const secrets = raw.split(',').map((secret) => secret.trim());
  if (secrets.some((secret) => secret === '')) {
    return bad(`${name} must be one secret or a comma-separated list with no empty entries`);
  }
  return ok(secrets);
}
