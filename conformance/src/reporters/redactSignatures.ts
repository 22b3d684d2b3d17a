// Removes what could sign a delivery from report text: every hmac value, anything shaped like a
// digest or a cut-off part of one (Base64 or hex, as a partner's error might echo it) and the
// secrets given.
/** The hmac field of a Heap-Hash value, not words that merely end in "hmac" (truncated-hmac:). */
const HMAC_FIELD = /(?<=^|[\s,"'])hmac:([^,"'\s\\]*)/g;
/**
 * 24 or more characters of the Base64 alphabet in a row: a digest (44 in Base64, 64 in hex) or a
 * prefix of one that an excerpt cut off. Payload text breaks such runs with `.`, `@`, `-` or `_`.
 */
const DIGEST_LIKE = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{24,}={0,2}/g;

export function redactSignatures(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join('[secret]');
  }
  return redacted
    .replace(HMAC_FIELD, (_match, value: string) => `hmac:[redacted, ${value.length} chars]`)
    .replace(DIGEST_LIKE, '[redacted digest]');
}
