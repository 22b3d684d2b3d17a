// Removes what could sign a delivery from report text: every hmac value, anything shaped like an
// HMAC-SHA256 digest (Base64 or hex, as a partner's error might echo it) and the secrets given.
const HMAC_FIELD = /hmac:([^,"\s\\]*)/g;
const BASE64_DIGEST = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=/g;
const HEX_DIGEST = /(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])/g;

export function redactSignatures(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret) redacted = redacted.split(secret).join('[secret]');
  }
  return redacted
    .replace(HMAC_FIELD, (_match, value: string) => `hmac:[redacted, ${value.length} chars]`)
    .replace(BASE64_DIGEST, '[redacted Base64 digest]')
    .replace(HEX_DIGEST, '[redacted hex digest]');
}
