// The connect-flow cases (group `oauth`): each is data with a pure judge of what the run observed.
// Ids, severities and what fails them are the fixed interface in conformance/INTERPRETING.md.
import type { CaseSource, Severity } from '../cases/caseTypes.ts';
import {
  allAnswers,
  answersEvidence,
  connected,
  connectionWord,
  providerSaw,
  reveals,
  serverError,
  unanswered,
  whereInAnswer,
} from './flowEvidence.ts';
import type { FlowRun, ObservedRun } from './flowTypes.ts';
import type { BrowserAnswer } from './httpBrowser.ts';
import { canaryMarkupIn } from './metadataCanary.ts';
import { apparentEntropyBits } from './stateEntropy.ts';

export interface OAuthVerdict {
  verdict: 'pass' | 'fail' | 'skip';
  message: string;
  evidence?: string;
  likelyCause?: string;
}

export interface OAuthCase {
  id: string;
  title: string;
  severity: Severity;
  source: CaseSource;
  /** The section the rule comes from. */
  specRef: string;
  judge(run: ObservedRun): OAuthVerdict;
}

const pass = (message: string): OAuthVerdict => ({ verdict: 'pass', message });
const fail = (message: string, evidence?: string, likelyCause?: string): OAuthVerdict => ({
  verdict: 'fail',
  message,
  ...(evidence ? { evidence } : {}),
  ...(likelyCause ? { likelyCause } : {}),
});
const skip = (message: string): OAuthVerdict => ({ verdict: 'skip', message });

const flowEvidence = (flow: FlowRun) =>
  `${answersEvidence(`flow "${flow.record.name}"`, allAnswers(flow))}\n  ${providerSaw(flow)}`;

const describeAnswer = (answer: BrowserAnswer) =>
  answer.ok
    ? `${answer.status} from ${answer.url}`
    : `no answer from ${answer.url} (${answer.error})`;

/**
 * The verdict for a flow the partner must refuse: no token request and no connection (and, for the
 * cases that say so, no 5xx and an answer in time).
 */
function refusedFlow(
  run: ObservedRun,
  flow: FlowRun,
  options: { noServerError?: boolean; cause: string },
): OAuthVerdict {
  const evidence = flowEvidence(flow);
  if (flow.callbackUrl === null) return fail('the callback was never reached', evidence);
  const crashed = serverError(flow.fromCallback);
  if (options.noServerError && crashed) {
    return fail(`the callback answered ${describeAnswer(crashed)}`, evidence, options.cause);
  }
  if (flow.tokenRequestsInFlow > 0) {
    return fail(
      `the partner called the token endpoint anyway (${flow.tokenRequestsInFlow} request(s))`,
      evidence,
      options.cause,
    );
  }
  if (connected(flow) === true) {
    return fail(
      `a connection was made (seen through ${connectionWord(run)})`,
      evidence,
      options.cause,
    );
  }
  const answer = flow.fromCallback.at(-1);
  const verified = run.successSignal === 'none' ? '; connections not verified' : '';
  return pass(
    `refused: no token request${answer ? `; the browser got ${describeAnswer(answer)}` : ''}${verified}`,
  );
}

/** The verdict for a flow whose token exchange fails: an answer in time, never a 5xx, no connection. */
function tokenFailure(run: ObservedRun, flow: FlowRun, what: string, cause: string): OAuthVerdict {
  const evidence = flowEvidence(flow);
  if (flow.tokenRequestsInFlow === 0) {
    return skip(`the partner made no token request in this flow, so ${what} was never seen`);
  }
  const silent = unanswered(flow.fromCallback);
  if (silent) {
    return fail(
      `the browser got no answer in time after ${what}: ${silent.error}`,
      evidence,
      cause,
    );
  }
  const crashed = serverError(flow.fromCallback);
  if (crashed)
    return fail(`after ${what} the browser got ${describeAnswer(crashed)}`, evidence, cause);
  if (connected(flow) === true) {
    return fail(
      `a connection was made after ${what} (seen through ${connectionWord(run)})`,
      evidence,
    );
  }
  return pass(`after ${what} the browser got ${describeAnswer(flow.fromCallback.at(-1)!)}`);
}

/** The verdict for a flow the partner should complete despite a legitimate variation. */
function completedFlow(run: ObservedRun, flow: FlowRun, what: string, cause: string): OAuthVerdict {
  const evidence = flowEvidence(flow);
  const done = connected(flow);
  const fetched = flow.record.metadataRequests.some((request) => request.answerStatus === 200);
  if (done === false || (done === null && !fetched)) {
    return fail(`the flow did not complete with ${what}`, evidence, cause);
  }
  const crashed = serverError(allAnswers(flow));
  if (crashed)
    return fail(`with ${what} the browser got ${describeAnswer(crashed)}`, evidence, cause);
  return pass(
    done === null
      ? `with ${what} the metadata was fetched (connection not verified)`
      : `completed with ${what}`,
  );
}

const tokens = (run: ObservedRun) =>
  run.allRecords.flatMap((record) => [
    { value: record.issued.accessToken, name: 'access token' },
    { value: record.issued.idToken, name: 'id_token' },
  ]);

const everyAnswer = (run: ObservedRun) => [
  ...Object.values(run.flows).flatMap(allAnswers),
  ...run.replay.answers,
];

/** Whether the browser got one kind of token: in an answer, or (with Chromium) DOM, cookie, storage. */
function tokenInBrowser(
  run: ObservedRun,
  name: 'access token' | 'id_token',
  cause: string,
): OAuthVerdict {
  const values = tokens(run).filter((token) => token.name === name);
  for (const answer of everyAnswer(run)) {
    for (const { value } of values) {
      const where = whereInAnswer(answer, value);
      if (where)
        return fail(`the ${name} of a flow reached the browser in ${where}`, undefined, cause);
    }
  }
  if (!run.chromium.ran)
    return pass(`no ${name} in any answer (DOM and storage not checked: no browser)`);
  for (const flow of [run.chromium.genuine, run.chromium.htmlCanary]) {
    for (const { value } of values) {
      if (reveals(flow.dom, value))
        return fail(`the ${name} is in the DOM of ${flow.finalUrl}`, undefined, cause);
      if (flow.cookies.some((cookie) => reveals(cookie, value)))
        return fail(`the ${name} is in a cookie`, undefined, cause);
      if (flow.storage.some((item) => reveals(item, value)))
        return fail(`the ${name} is in localStorage or sessionStorage`, undefined, cause);
    }
  }
  return pass(`no ${name} in any answer, DOM, cookie or storage`);
}

export const oauthCases: readonly OAuthCase[] = [
  {
    id: 'oauth.genuine-flow',
    title: 'a genuine flow completes: one token request, metadata fetched, a connection',
    severity: 'must',
    source: 'heap-spec',
    specRef: 'spec/heap_partner_api.yaml (authorize, token, metadata); RFC 6749 §4.1',
    judge(run) {
      const flow = run.flows.genuine;
      const evidence = flowEvidence(flow);
      const requests = flow.tokenRequestsInFlow;
      if (requests !== 1) return fail(`${requests} token requests (one expected)`, evidence);
      const crashed = serverError(allAnswers(flow)) ?? unanswered(allAnswers(flow));
      if (crashed) return fail(`the browser got ${describeAnswer(crashed)}`, evidence);
      if (!flow.record.metadataRequests.some((request) => request.answerStatus === 200)) {
        return fail(
          'the metadata endpoint was not called with the access token in Authorization: Bearer',
          evidence,
        );
      }
      const done = connected(flow);
      if (done === false)
        return fail(`no connection seen through ${connectionWord(run)}`, evidence);
      if (
        flow.connectionsAdded &&
        !flow.connectionsAdded.some((each) => each.id_token === flow.record.issued.idToken)
      ) {
        return fail(
          'a connection was stored, but not with the id_token of the token answer',
          evidence,
        );
      }
      return pass(
        done === null
          ? 'token exchanged and metadata fetched; the connection could not be verified (no --inspect-url or --success-text)'
          : `token exchanged, metadata fetched, connection seen through ${connectionWord(run)}`,
      );
    },
  },
  {
    id: 'oauth.state-present',
    title: 'the authorize request carries a state',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §10.12',
    judge(run) {
      const request = run.flows.genuine.record.authorizeRequests[0];
      if (!request?.state) {
        return fail(
          'the authorize request has no state',
          undefined,
          'the partner sends no state: nothing ties the callback to the browser that started the flow (CSRF)',
        );
      }
      return pass(`state sent (${request.state.length} characters)`);
    },
  },
  {
    id: 'oauth.state-unique',
    title: 'state differs in every flow and carries at least 128 bits',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §10.12, §10.10; RFC 9700 §2.1',
    judge(run) {
      const requests = run.allRecords.flatMap((record) => record.authorizeRequests);
      const states = requests.map((request) => request.state).filter((state) => state !== null);
      // An absent state is neither unique nor random: it fails here as well as in state-present.
      if (states.length < requests.length) {
        return fail(
          `${requests.length - states.length} of ${requests.length} authorize requests carried no state`,
          undefined,
          'the partner sends no state: nothing ties the callback to the browser that started the flow (CSRF)',
        );
      }
      if (states.length < 2) return skip('fewer than two flows reached the authorize endpoint');
      const distinct = new Set(states).size;
      if (distinct === 1) {
        return fail(
          `the same state in all ${states.length} flows`,
          undefined,
          'state is the same in every flow: it is a constant, not a CSRF token',
        );
      }
      if (distinct < states.length) {
        return fail(`${states.length - distinct} of ${states.length} states repeat an earlier one`);
      }
      const bits = Math.min(...apparentEntropyBits(states));
      if (bits < 128) {
        return fail(
          `the states carry about ${Math.floor(bits)} bits of apparent entropy (128 needed)`,
          undefined,
          'state is too short or too predictable: use at least 16 random bytes (e.g. crypto.randomBytes(16) in Base64url)',
        );
      }
      return pass(`${states.length} distinct states, at least ${Math.floor(bits)} bits each`);
    },
  },
  {
    id: 'oauth.state-altered',
    title: 'a callback with an altered state is refused',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §10.12; RFC 9700 §2.1',
    judge: (run) =>
      refusedFlow(run, run.flows.stateAltered, {
        cause: 'the callback does not compare state with the one it issued to this browser',
      }),
  },
  {
    id: 'oauth.state-missing',
    title: 'a callback with no state is refused',
    severity: 'must',
    source: 'rfc-9700',
    specRef: 'RFC 9700 §2.1; RFC 6749 §10.12',
    judge: (run) =>
      refusedFlow(run, run.flows.stateMissing, {
        cause: 'the callback accepts a missing state: it checks state only when one is present',
      }),
  },
  {
    id: 'oauth.state-other-browser',
    title: 'a state issued to browser A is refused from browser B',
    severity: 'must',
    source: 'rfc-9700',
    specRef: 'RFC 9700 §2.1; RFC 6819 §4.4.1.8',
    judge: (run) =>
      refusedFlow(run, run.flows.otherBrowser, {
        cause:
          run.flows.stateAltered.tokenRequestsInFlow > 0
            ? 'the callback does not check state at all (see oauth.state-altered)'
            : 'state is checked against a server-wide list, not bound to the browser (a cookie or session): an attacker can hand a victim a callback from their own flow',
      }),
  },
  {
    id: 'oauth.callback-replayed',
    title: 'a replayed callback makes no second token request or connection',
    severity: 'must',
    source: 'rfc-9700',
    specRef: 'RFC 9700 §4.2.4; RFC 6749 §4.1.2',
    judge(run) {
      const { replay } = run;
      if (run.flows.genuine.callbackUrl === null)
        return skip('the genuine flow reached no callback');
      const evidence = answersEvidence('replayed callback', replay.answers);
      const again = replay.tokenRequestsAfter - replay.tokenRequestsBefore;
      if (again > 0) {
        return fail(
          `the replayed callback made ${again} more token request(s)`,
          evidence,
          'state is not invalidated after its first use at the callback',
        );
      }
      if (replay.connectionsAdded && replay.connectionsAdded.length > 0) {
        return fail('the replayed callback stored a connection again', evidence);
      }
      const crashed = serverError(replay.answers);
      const note = crashed ? ` (it answered ${describeAnswer(crashed)})` : '';
      return pass(
        `no second token request${replay.connectionsAdded ? ' and no second connection' : ''}${note}`,
      );
    },
  },
  {
    id: 'oauth.code-single-use',
    title: 'no code is sent to the token endpoint twice',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §4.1.2',
    judge(run) {
      const reused = run.allRecords.flatMap((record) =>
        record.tokenRequests.filter((request) => request.earlierUses > 0).map(() => record.name),
      );
      if (reused.length > 0) {
        return fail(
          `a code was sent again in ${reused.length} request(s) (flows: ${[...new Set(reused)].join(', ')})`,
          undefined,
          'the partner retries the token request with the same code, or does not remember which callbacks it handled',
        );
      }
      const count = run.allRecords.reduce((sum, record) => sum + record.tokenRequests.length, 0);
      return pass(`${count} token request(s), each with a code never sent before`);
    },
  },
  {
    id: 'oauth.token-redirect-uri',
    title: "the token request's redirect_uri is the authorize request's",
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §4.1.3',
    judge(run) {
      const pairs = run.allRecords.flatMap((record) =>
        record.tokenRequests.map((request) => ({
          flow: record.name,
          sent: request.redirectUri,
          authorized: record.authorizeRequests[0]?.redirectUri ?? null,
        })),
      );
      if (pairs.length === 0) return skip('no token request to compare');
      const wrong = pairs.find((pair) => pair.sent !== pair.authorized);
      if (wrong) {
        return fail(
          `flow "${wrong.flow}": token request redirect_uri ${JSON.stringify(wrong.sent)}, authorize request ${JSON.stringify(wrong.authorized)}`,
        );
      }
      return pass(
        `${pairs.length} token request(s), each with the authorize request's redirect_uri`,
      );
    },
  },
  {
    id: 'oauth.access-denied',
    title: 'error=access_denied gets an error page, no token request, no connection',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §4.1.2.1',
    judge: (run) =>
      refusedFlow(run, run.flows.accessDenied, {
        noServerError: true,
        cause: 'the callback throws on error=access_denied instead of showing an error page',
      }),
  },
  {
    id: 'oauth.token-invalid-grant',
    title: 'a token answer invalid_grant gets an error page and no connection',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §5.2',
    judge: (run) =>
      tokenFailure(
        run,
        run.flows.invalidGrant,
        'invalid_grant',
        'the callback does not handle an OAuth error from the token endpoint',
      ),
  },
  {
    id: 'oauth.token-server-error',
    title: 'a 5xx from the token endpoint gets an error page, not a 5xx',
    severity: 'must',
    source: 'our-decision',
    specRef: 'conformance/INTERPRETING.md (OAuth connect flow): never a 5xx, never a hang',
    judge: (run) =>
      tokenFailure(
        run,
        run.flows.serverError,
        'a 503 from the token endpoint',
        "the callback passes Heap's failure on as its own 5xx (or throws): show an error page and let the user retry",
      ),
  },
  {
    id: 'oauth.token-timeout',
    title: 'a token endpoint that never answers still gets the browser an answer in time',
    severity: 'must',
    source: 'our-decision',
    specRef: 'conformance/INTERPRETING.md (OAuth connect flow): never a 5xx, never a hang',
    judge: (run) =>
      tokenFailure(
        run,
        run.flows.tokenTimeout,
        'a token endpoint that never answered',
        `the call to Heap's token endpoint has no time limit, or one longer than --timeout (${run.timeoutMs} ms)`,
      ),
  },
  {
    id: 'oauth.token-in-url',
    title: 'the access token travels only in the Authorization header',
    severity: 'must',
    source: 'rfc-9700',
    specRef: 'RFC 9700 §4.3.2',
    judge(run) {
      for (const record of run.allRecords) {
        const inQuery = record.metadataRequests.find((request) => request.tokenInQuery.length > 0);
        if (inQuery) {
          return fail(
            `flow "${record.name}": the metadata request carries the access token in its query (${inQuery.tokenInQuery.join(', ')})`,
            undefined,
            'the access token is sent as a query parameter: send it only as Authorization: Bearer',
          );
        }
      }
      const addresses = [
        ...everyAnswer(run).flatMap((answer) => [
          answer.url,
          ...(answer.ok && answer.location ? [answer.location] : []),
        ]),
        ...(run.chromium.ran
          ? [run.chromium.genuine, run.chromium.htmlCanary].flatMap((flow) => [
              flow.finalUrl,
              ...flow.requestedUrls,
            ])
          : []),
      ];
      for (const { value, name } of tokens(run).filter((token) => token.name === 'access token')) {
        const address = addresses.find((url) => reveals(url, value));
        if (address) return fail(`the ${name} is in an address the browser sees: ${address}`);
      }
      return pass('the access token was sent only in Authorization: Bearer and is in no address');
    },
  },
  {
    id: 'oauth.token-to-browser',
    title: 'no access token reaches the browser',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §10.3, §2.1',
    judge: (run) =>
      tokenInBrowser(
        run,
        'access token',
        'the access token is shown to the browser: keep it on the server (encrypted at rest)',
      ),
  },
  {
    // Heap's reference app prints the id_token on its success page: it names the account in every
    // webhook but grants nothing by itself, so showing it costs privacy, not access.
    id: 'oauth.id-token-to-browser',
    title: 'the id_token stays on the server',
    severity: 'should',
    source: 'our-decision',
    specRef: 'RFC 6749 §10.3',
    judge: (run) =>
      tokenInBrowser(
        run,
        'id_token',
        'the page or a cookie shows the id_token: it names the customer account in every webhook; keep it on the server',
      ),
  },
  {
    id: 'oauth.metadata-escaped',
    title: 'HTML and script in the metadata are shown as text',
    severity: 'must',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §10.14',
    judge(run) {
      const flow = run.flows.htmlCanary;
      if (!flow.record.metadataRequests.some((request) => request.answerStatus === 200)) {
        return skip(
          'the partner did not fetch the metadata in this flow, so the canary was never shown',
        );
      }
      const cause =
        "Heap's metadata is put into the page unescaped: escape every value from Heap (HTML-escape, or render it as text)";
      for (const answer of allAnswers(flow)) {
        const markup = answer.ok
          ? canaryMarkupIn(answer.body, flow.record.issued.canaryMarker)
          : null;
        if (markup)
          return fail(
            `authorized_by became ${markup} in the page at ${answer.url}`,
            undefined,
            cause,
          );
      }
      if (!run.chromium.ran)
        return pass(
          'the canary is not raw markup in any page (script execution not checked: no browser)',
        );
      const browser = run.chromium.htmlCanary;
      if (browser.canaryScriptRan)
        return fail(`the canary's script ran in ${browser.finalUrl}`, undefined, cause);
      if (browser.canaryElementInDom)
        return fail(`the canary became an element in ${browser.finalUrl}`, undefined, cause);
      return pass('the canary stayed text: its script did not run and it made no element');
    },
  },
  {
    id: 'oauth.token-type-case',
    title: 'token_type "Bearer" is accepted as bearer',
    severity: 'should',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §5.1, §7.1',
    judge: (run) =>
      completedFlow(
        run,
        run.flows.tokenTypeCapitalised,
        'token_type "Bearer"',
        'token_type is compared case-sensitively with "bearer": compare it case-insensitively',
      ),
  },
  {
    id: 'oauth.token-extra-fields',
    title: 'unknown fields in the token answer are ignored',
    severity: 'should',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §5.1',
    judge: (run) =>
      completedFlow(
        run,
        run.flows.extraFields,
        'extra fields (scope, expires_in, an object) in the token answer',
        'the token answer is validated strictly: ignore fields you do not know',
      ),
  },
  {
    id: 'oauth.clean-redirect',
    title: 'the browser does not end on an address holding the code or state',
    severity: 'should',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §3.1.2.5; RFC 9700 §4.2.4',
    judge(run) {
      const flow = run.flows.genuine;
      const last = flow.fromCallback.at(-1);
      if (!last) return skip('the genuine flow reached no callback');
      // Chromium's flow when it ran (its address is the one a person sees), else the HTTP browser's.
      const ended = run.chromium.ran
        ? { url: run.chromium.genuine.finalUrl, record: run.chromium.genuine.record }
        : { url: last.url, record: flow.record };
      const finalUrl = new URL(ended.url);
      const values = [
        { value: ended.record.issued.code, name: 'code' },
        { value: ended.record.authorizeRequests[0]?.state ?? null, name: 'state' },
      ];
      const held = values.filter(
        (item) =>
          finalUrl.searchParams.has(item.name) || (item.value && ended.url.includes(item.value)),
      );
      if (held.length > 0) {
        return fail(
          `the browser ends on the callback address, which still holds the ${held.map((item) => item.name).join(' and ')}`,
          undefined,
          'the callback renders its page itself: redirect (303) to a page without the code and state once they are handled',
        );
      }
      return pass('the browser ends on an address without the code or state');
    },
  },
  {
    id: 'oauth.referrer-policy',
    title: 'the callback answer keeps its address out of Referer headers',
    severity: 'should',
    source: 'rfc-9700',
    specRef: 'RFC 9700 §4.2.4',
    judge(run) {
      const answer = run.flows.genuine.fromCallback[0];
      if (!answer?.ok) return skip('the genuine callback got no answer');
      if (answer.status >= 300 && answer.status < 400) {
        return pass(
          'the callback answers a redirect: its address never becomes a page that sends a Referer',
        );
      }
      const header = answer.headers['referrer-policy'];
      const meta = /<meta[^>]+name=["']?referrer["']?[^>]*content=["']?([a-z-]+)/i.exec(
        answer.body,
      )?.[1];
      const policies = (header ?? meta ?? '').split(',').map((item) => item.trim().toLowerCase());
      const policy = policies.filter(Boolean).at(-1);
      if (!policy) {
        return fail(
          'the callback answer has no Referrer-Policy',
          undefined,
          'set Referrer-Policy: no-referrer (helmet does) on the callback',
        );
      }
      if (['unsafe-url', 'no-referrer-when-downgrade'].includes(policy)) {
        return fail(`Referrer-Policy ${policy} sends the callback's full address to other origins`);
      }
      return pass(`Referrer-Policy: ${policy}`);
    },
  },
  {
    id: 'oauth.third-party-resources',
    title: 'the pages after the callback load nothing from another origin',
    severity: 'should',
    source: 'rfc-6749',
    specRef: 'RFC 6749 §3.1.2.5; RFC 9700 §4.2.4',
    judge(run) {
      if (!run.chromium.ran) return skip(`browser checks skipped: ${run.chromium.reason}`);
      const flow = run.chromium.genuine;
      const secrets = [flow.record.issued.code, flow.record.authorizeRequests[0]?.state].filter(
        (value): value is string => Boolean(value),
      );
      const leaking = flow.crossOriginRequests.find(
        (request) => request.referer && secrets.some((value) => request.referer!.includes(value)),
      );
      if (leaking)
        return fail(
          `a request to ${new URL(leaking.url).origin} carries the code or state in its Referer`,
        );
      if (flow.crossOriginRequests.length > 0) {
        const origins = [
          ...new Set(flow.crossOriginRequests.map((request) => new URL(request.url).origin)),
        ];
        return fail(`the pages after the callback load from ${origins.join(', ')}`);
      }
      return pass('no request to another origin after the callback');
    },
  },
  {
    id: 'oauth.pkce',
    title: 'PKCE (S256) is sent (informational)',
    severity: 'informational',
    source: 'rfc-9700',
    specRef: 'RFC 9700 §2.1.1',
    judge(run) {
      const record = run.flows.genuine.record;
      const request = record.authorizeRequests[0];
      if (!request?.codeChallenge) {
        return pass(
          "no PKCE: state alone protects the callback (Heap's PKCE support is not published)",
        );
      }
      const token = record.tokenRequests[0];
      const verifier =
        token?.verifierMatches === true
          ? 'the token request carries the matching code_verifier'
          : token?.codeVerifier
            ? 'the token request carries a code_verifier that does not match the challenge'
            : 'the token request carries no code_verifier';
      return pass(
        `PKCE sent: code_challenge_method ${request.codeChallengeMethod ?? '(none, plain)'}; ${verifier}`,
      );
    },
  },
];
