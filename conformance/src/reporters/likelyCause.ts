// The most likely cause of a failed or warned case, in one sentence a partner can act on, read from
// which case it was and how it went wrong.
import type { CaseResult } from '../cases/caseTypes.ts';

const RAW_BYTES =
  'The endpoint verifies something other than the exact bytes received (a re-serialisation of the parsed JSON, a decoded string, or a hex digest): compute the HMAC over ts followed by the raw request body, before parsing.';
const STRICT_HEADER =
  'The Heap-Hash header is not parsed strictly: accept only one ts (milliseconds) and one Base64 hmac, and refuse anything else.';
const NOT_VERIFIED =
  'The signature is not checked, or not over ts + raw body with the webhook secret: refuse every delivery whose HMAC does not match.';

/** By case id, for a case that went wrong in the way its title warns about. */
const BY_CASE: Record<string, string> = {
  'signature.pretty-printed': RAW_BYTES,
  'signature.escaped-unicode': RAW_BYTES,
  'signature.reordered-keys': RAW_BYTES,
  'signature.raw-utf8-ids': RAW_BYTES,
  'signature.missing-header': NOT_VERIFIED,
  'signature.wrong-secret': NOT_VERIFIED,
  'signature.body-changed': NOT_VERIFIED,
  'signature.empty-header': STRICT_HEADER,
  'signature.no-comma': STRICT_HEADER,
  'signature.missing-ts': STRICT_HEADER,
  'signature.missing-hmac': STRICT_HEADER,
  'signature.non-numeric-ts': STRICT_HEADER,
  'signature.duplicate-keys': STRICT_HEADER,
  'signature.truncated-hmac':
    'Comparing digests of different lengths throws (crypto.timingSafeEqual does): check the decoded length first and refuse.',
  'signature.hex-hmac': 'The hmac is read as hex; Heap sends Base64.',
  'signature.seconds-timestamp': 'ts is read as seconds; Heap sends milliseconds since the epoch.',
  'signature.stale-timestamp':
    'The age of ts is not checked, or the window is wider than --max-age: old deliveries can be replayed.',
  'signature.far-future-timestamp':
    'Timestamps ahead of the clock are not limited: a captured delivery signed for the future stays valid.',
  'signature.keys-reversed': 'The Heap-Hash parser assumes ts comes first.',
  'signature.clock-fast':
    'The future tolerance is too narrow: an honest sender whose clock runs a few seconds fast is refused.',
  'drain.bad-signature': 'Drains are not signature-checked like syncs.',
};

/** By group, when the case failed on the membership it left behind. */
const MEMBERS_BY_GROUP: Record<string, string> = {
  sync: 'Pages are not applied exactly once whatever their order: a redelivered, reordered or concurrent page changed the segment wrongly.',
  drain: 'A drain did not empty the segment, or a page of the drained sync brought users back.',
  signature: 'A refused delivery was still applied: verify before storing anything.',
};

export function likelyCause(result: CaseResult): string | null {
  if (result.status !== 'failed' && result.status !== 'warning') return null;
  const { message } = result;
  if (/no answer within the time limit/.test(message)) {
    return 'The endpoint did not answer within --timeout: it hangs, or does slow work before answering.';
  }
  if (/no answer: /.test(message)) {
    return 'The connection failed or was closed without an answer: the endpoint crashed or dropped the request.';
  }
  if (/could not read members/.test(message)) {
    return 'The inspection API did not answer as spec/partner_inspection_api.yaml describes (URL or token?).';
  }
  if (/^members differ|came back/.test(message)) return MEMBERS_BY_GROUP[result.group] ?? null;
  if (/should be 200, got 2\d\d/.test(message)) {
    return 'Another 2xx than 200: Heap accepts it, and recommends 200.';
  }
  if (/should be 403, got 4\d\d|should carry a JSON \{"error"/.test(message)) {
    return 'A refusal other than 403 {"error": "..."}: Heap retries it the same way; the spec recommends 403.';
  }
  if (/should be 400, got 4\d\d/.test(message)) {
    return 'Invalid input is refused with another 4xx than the recommended 400.';
  }
  if (/server error \d{3}/.test(message) && result.id !== 'signature.truncated-hmac') {
    return 'An unhandled error in the endpoint: bad input must get a 4xx, and Heap retries every 5xx.';
  }
  const byCase = BY_CASE[result.id];
  if (byCase) return byCase;
  if (result.group === 'examples' && /naming no account/.test(message)) {
    return "The endpoint refuses a delivery without an id_token: Heap's reference app gives one to the partner's own environment; acknowledge it so Heap's test script and the Developer Hub's sample succeed.";
  }
  if (result.group === 'examples' && /without fields/.test(message)) {
    return "The endpoint requires customer_config.fields, as Heap's reference app does; Heap's spec requires no field.";
  }
  if (result.group === 'examples') {
    return /got 40[13]/.test(message)
      ? 'A genuine delivery failed the signature check: check the secret, the raw bytes, Base64 and milliseconds.'
      : 'A payload Heap sends was refused: the endpoint validates more strictly than the contract.';
  }
  if (/accepted a delivery it must refuse/.test(message)) return NOT_VERIFIED;
  return null;
}
