// Removes what could sign a delivery from report text: every hmac value, anything shaped like a
// digest or a cut-off part of one (Base64 or hex, as a partner's error might echo it) and the
// secrets given. URLs stay readable: the ones the run certified verbatim, any other one with its
// scheme, host and port, and its path and query judged part by part.
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
/** An absolute http(s) URL: it ends at whitespace, a quote, a bracket or a backslash. */
const URL_LIKE = /\bhttps?:\/\/[^\s"'<>()[\]{}`\\]+/g;
/** Scheme and authority of a URL (host and port are never a secret). */
const URL_ORIGIN = /^https?:\/\/[^/?#]*/;

const redactDigests = (text: string) => text.replace(DIGEST_LIKE, '[redacted digest]');

/**
 * A URL the run did not name: its origin is kept and each path segment and query part is judged
 * alone, so that `3000/webhooks/heap` is not read as one Base64 run while a digest in it still is.
 */
function redactUrl(url: string): string {
  const origin = URL_ORIGIN.exec(url)?.[0] ?? '';
  const rest = url.slice(origin.length).replace(/[^/?#&=;]+/g, redactDigests);
  return origin + rest;
}

/**
 * @param secrets values that never appear: replaced by `[secret]` wherever they occur.
 * @param knownUrls URLs the run itself used (the target, the drain URL): shown verbatim.
 */
export function redactSignatures(
  text: string,
  secrets: readonly string[] = [],
  knownUrls: readonly string[] = [],
): string {
  const hideSecrets = (value: string) => {
    let hidden = value;
    for (const secret of secrets) if (secret) hidden = hidden.split(secret).join('[secret]');
    return hidden;
  };
  const known = new Set(knownUrls.map(hideSecrets));
  const withoutHmac = hideSecrets(text).replace(
    HMAC_FIELD,
    (_match, value: string) => `hmac:[redacted, ${value.length} chars]`,
  );
  let redacted = '';
  let last = 0;
  for (const match of withoutHmac.matchAll(URL_LIKE)) {
    const url = match[0];
    redacted += redactDigests(withoutHmac.slice(last, match.index));
    redacted += known.has(url) ? url : redactUrl(url);
    last = match.index + url.length;
  }
  return redacted + redactDigests(withoutHmac.slice(last));
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
