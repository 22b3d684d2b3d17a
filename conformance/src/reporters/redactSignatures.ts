// Removes what could sign a delivery from report text: every hmac value, anything shaped like a
// digest or a cut-off part of one (Base64 or hex, as a partner's error might echo it) and the
// secrets given.
/**
 * The hmac field of a Heap-Hash value, not words that merely end in "hmac" (truncated-hmac:) and
 * not a value already redacted (`<44 chars hidden>`, `[redacted ...]`).
 */
const HMAC_FIELD = /(?<=^|[\s,"'])hmac:(?![<[])([^,"'\s\\]*)/g;
/**
 * A digest (44 characters in Base64, 64 in hex) or a part of one that an excerpt cut off: 13 or
 * more characters of the Base64 alphabet in a row with both a digit and a letter, or 24 or more of
 * any. Payload text breaks such runs with `.`, `@`, `-` or `_`; UUID parts stay at 12 or fewer.
 */
const DIGEST_LIKE =
  /(?<![A-Za-z0-9+/=])(?:(?=[A-Za-z0-9+/]*\d)(?=[A-Za-z0-9+/]*[A-Za-z])[A-Za-z0-9+/]{13,}|[A-Za-z0-9+/]{24,})={0,2}/g;

export function redactSignatures(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join('[secret]');
  }
  return redacted
    .replace(HMAC_FIELD, (_match, value: string) => `hmac:[redacted, ${value.length} chars]`)
    .replace(DIGEST_LIKE, '[redacted digest]');
}

/** Values shorter than this are not secrets worth hiding (and would blank ordinary words). */
const SHORTEST_REDACTED = 6;

/**
 * Replaces each known secret value (a code, a token, a state, a client secret) with its label, the
 * longest first so that a value containing another is hidden whole; also in percent-encoded form.
 */
export function redactValues(
  text: string,
  values: readonly { value: string; label: string }[],
): string {
  let redacted = text;
  const sorted = values
    .filter((item) => item.value.length >= SHORTEST_REDACTED)
    .sort((a, b) => b.value.length - a.value.length);
  for (const { value, label } of sorted) {
    for (const form of new Set([value, encodeURIComponent(value)])) {
      redacted = redacted.split(form).join(label);
    }
  }
  return redacted;
}
