// Likely causes read from the pattern of results: a route that answers 404, 405 or 501 to every
// genuine delivery is a wrong URL or method, not a wrong secret.
import test from 'ava';
import type { CaseResult } from '../src/cases/caseTypes.ts';
import { diagnoseResults, wrongRouteStatus } from '../src/runner/diagnoseResults.ts';

const genuine = (id: string, group: string, message: string): CaseResult =>
  ({
    id,
    group,
    title: id,
    severity: 'must',
    source: 'heap-spec',
    specRef: 'webhook_spec.yaml',
    status: 'failed',
    message,
    durationMs: 1,
  }) as CaseResult;

const everyGenuine = (answer: string) => [
  genuine('examples.spec-sync', 'examples', `spec-sync: expected a 2xx, got ${answer}`),
  genuine('examples.mixed-page', 'examples', `mixed-page: expected a 2xx, got ${answer}`),
  genuine('signature.pretty-printed', 'signature', `pretty: expected a 2xx, got ${answer}`),
];

for (const status of [404, 405]) {
  test(`every genuine delivery answered ${status}: a wrong URL or method, not the secret`, (t) => {
    const [diagnosis, ...others] = diagnoseResults(everyGenuine(`${status} {"error":"x"}`));
    t.deepEqual(others, []);
    t.regex(diagnosis!.cause, new RegExp(`answered ${status} to every genuine delivery`));
    t.regex(diagnosis!.cause, /--url/);
    t.notRegex(diagnosis!.cause, /--secret/);
    t.is(diagnosis!.cases.length, 3);
  });
}

test('every genuine delivery answered 501: the method is not served', (t) => {
  const results = everyGenuine('').map((result) => ({
    ...result,
    message: `${result.id}: server error 501 Not Implemented`,
  }));
  const [diagnosis] = diagnoseResults(results);
  t.regex(diagnosis!.cause, /answered 501 to every genuine delivery.*POST/);
});

test('every genuine delivery refused with 403 still points at the secret', (t) => {
  const [diagnosis] = diagnoseResults(everyGenuine('403 {"error":"signature_mismatch"}'));
  t.regex(diagnosis!.cause, /every genuine delivery was refused: check that --secret/);
});

test('the status of a wrong-route answer is read from the message, and only for those', (t) => {
  t.is(wrongRouteStatus(genuine('a', 'examples', 'a: expected a 2xx, got 404 {}')), 404);
  t.is(wrongRouteStatus(genuine('a', 'examples', 'a: server error 501')), 501);
  t.is(wrongRouteStatus(genuine('a', 'examples', 'a: expected a 2xx, got 403 {}')), null);
  t.is(wrongRouteStatus({ ...genuine('a', 'examples', 'a: got 404'), status: 'passed' }), null);
});
