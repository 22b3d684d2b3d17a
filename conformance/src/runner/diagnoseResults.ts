// Names the likely cause when the pattern of results points to one: a partner that verifies a
// re-serialisation fails only the cases whose bytes differ from JSON.stringify, one that reads
// seconds accepts the seconds case and refuses genuine deliveries, and so on.
import type { CaseResult, Diagnosis } from '../cases/caseTypes.ts';

const acceptedWhatItMustRefuse = (result: CaseResult | undefined) =>
  result !== undefined &&
  (result.status === 'failed' || result.status === 'warning') &&
  /accepted a delivery it must refuse/.test(result.message);

const refusedWhatItMustAccept = (result: CaseResult | undefined) =>
  result !== undefined &&
  (result.status === 'failed' || result.status === 'warning') &&
  /expected a 2xx, got 4\d\d/.test(result.message);

/**
 * The status when a case was answered 404, 405 or 501: nothing serves POST at that URL, so the
 * signature was never looked at. Null for any other outcome.
 */
export function wrongRouteStatus(result: CaseResult): number | null {
  if (result.status !== 'failed' && result.status !== 'warning') return null;
  const match = /(?:expected a 2xx, got|server error) (404|405|501)\b/.exec(result.message);
  return match ? Number(match[1]) : null;
}

const WRONG_ROUTE_HINT: Record<number, string> = {
  404: 'the URL is wrong: check --url (and --drain-url), the full URL Heap would POST to, path included',
  405: 'the URL does not take POST, or it is the route for the other action: check --url and --drain-url',
  501: 'the endpoint does not implement POST there: check --url and that the route handles POST',
};

/** What to fix when an endpoint answers this wrong-route status to genuine deliveries. */
export const wrongRouteHint = (status: number) => WRONG_ROUTE_HINT[status] ?? 'check --url';

/**
 * Cases that send genuine deliveries whose bytes are exactly what JSON.stringify gives, in shapes
 * Heap's production sender sends. The `should` examples (no account, no customer_config fields, the
 * Developer Hub's sample) are left out: a correct partner may refuse them, so their answers say
 * nothing about the secret, the bytes or --id-token.
 */
const isGenuineCompact = (result: CaseResult) =>
  (result.group === 'examples' && result.severity === 'must') ||
  result.id === 'signature.raw-utf8-ids';

/** Every case that sends only genuine deliveries Heap could send and expects them accepted. */
export const isGenuine = (result: CaseResult) =>
  isGenuineCompact(result) ||
  [...RESERIALISED, 'signature.keys-reversed', 'signature.clock-fast'].includes(result.id);

const RESERIALISED = [
  'signature.pretty-printed',
  'signature.escaped-unicode',
  'signature.reordered-keys',
];

export function diagnoseResults(results: readonly CaseResult[]): Diagnosis[] {
  const byId = new Map(results.map((result) => [result.id, result]));
  const genuineRefused = results.filter(
    (result) => isGenuine(result) && refusedWhatItMustAccept(result),
  );
  const genuinePassed = results.filter(
    (result) => isGenuineCompact(result) && result.status === 'passed',
  );
  const diagnoses: Diagnosis[] = [];

  const reserialisedRefused = RESERIALISED.filter((id) => refusedWhatItMustAccept(byId.get(id)));
  if (reserialisedRefused.length > 0 && genuinePassed.length > 0) {
    diagnoses.push({
      cause:
        'the endpoint verifies the signature over a re-serialisation of the parsed JSON ' +
        '(JSON.stringify), not over the raw bytes received',
      cases: reserialisedRefused,
    });
  }
  if (acceptedWhatItMustRefuse(byId.get('signature.seconds-timestamp')) && genuineRefused.length) {
    diagnoses.push({
      cause:
        'the endpoint reads the Heap-Hash ts as seconds; Heap sends milliseconds since the epoch',
      cases: ['signature.seconds-timestamp', ...genuineRefused.map((result) => result.id)],
    });
  }
  if (acceptedWhatItMustRefuse(byId.get('signature.hex-hmac')) && genuineRefused.length) {
    diagnoses.push({
      cause: 'the endpoint expects a hex digest; Heap sends the HMAC-SHA256 in Base64',
      cases: ['signature.hex-hmac', ...genuineRefused.map((result) => result.id)],
    });
  }
  const genuineFailed = results.filter((result) => isGenuine(result) && result.status !== 'passed');
  const routeStatuses = new Set(genuineFailed.map(wrongRouteStatus));
  const [routeStatus] = routeStatuses;
  if (
    genuinePassed.length === 0 &&
    genuineFailed.length > 0 &&
    routeStatuses.size === 1 &&
    routeStatus !== null &&
    routeStatus !== undefined
  ) {
    diagnoses.push({
      cause: `the endpoint answered ${routeStatus} to every genuine delivery: ${wrongRouteHint(routeStatus)}`,
      cases: genuineFailed.map((result) => result.id),
    });
  }
  if (diagnoses.length === 0 && genuinePassed.length === 0 && genuineRefused.length > 0) {
    diagnoses.push({
      cause:
        'every genuine delivery was refused: check that --secret is the secret the endpoint ' +
        'verifies with, and, if it refuses accounts it has not connected, pass the id_token of ' +
        'one it has with --id-token',
      cases: genuineRefused.map((result) => result.id),
    });
  }
  if (refusedWhatItMustAccept(byId.get('signature.clock-fast')) && genuinePassed.length > 0) {
    diagnoses.push({
      cause:
        'the future tolerance is too narrow: a sender whose clock is a few seconds ahead is ' +
        "refused (Heap's reference app allows 1 s; allow at least a few seconds)",
      cases: ['signature.clock-fast'],
    });
  }
  // A probing case names its own cause (the replay window it measured).
  for (const result of results) {
    if (result.likelyCause && result.status !== 'passed') {
      diagnoses.push({ cause: result.likelyCause, cases: [result.id] });
    }
  }
  return diagnoses;
}
