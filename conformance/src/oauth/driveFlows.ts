// Drives every scenario of the connect-flow run with HTTP browsers (one cookie jar each): starts at
// the partner's start URL, lets the test provider answer, delivers the callback, and notes what the
// browser got and which connections appeared. The first genuine flow doubles as the setup check.
import { Agent } from 'undici';
import type { ConnectionsClient, ConnectionSummary } from './connectionsClient.ts';
import { CookieJar } from './cookieJar.ts';
import type { FlowRun, ObservedRun } from './flowTypes.ts';
import { HttpBrowser, type BrowserAnswer } from './httpBrowser.ts';
import { GENUINE, type FlowScenario } from './providerTypes.ts';
import type { TestProvider } from './testProvider.ts';

export interface DriveSettings {
  startUrl: string;
  redirectUri: string;
  clientId: string;
  provider: TestProvider;
  connections: ConnectionsClient | null;
  successText: string | null;
  timeoutMs: number;
  /** Told as each flow ends, for progress. */
  progress?: (flow: string) => void;
}

/** A problem with the run's setup, not with the partner's security: one line saying what to fix. */
export class SetupProblem extends Error {}

const describe = (answer: BrowserAnswer) =>
  answer.ok ? `${answer.status} at ${answer.url}` : `no answer from ${answer.url}: ${answer.error}`;

function isCallback(target: URL, redirectUri: string): boolean {
  const registered = new URL(redirectUri);
  return target.origin === registered.origin && target.pathname === registered.pathname;
}

export async function driveFlows(
  settings: DriveSettings,
): Promise<Omit<ObservedRun, 'chromium' | 'allRecords' | 'strayTokenRequests'>> {
  const agent = new Agent({ connections: 4 });
  const { provider } = settings;
  const newBrowser = () =>
    new HttpBrowser(new CookieJar(), { timeoutMs: settings.timeoutMs, agent });

  const snapshot = async (): Promise<ConnectionSummary[] | null> => {
    if (!settings.connections) return null;
    const listed = await settings.connections.list();
    if (!listed.ok)
      throw new SetupProblem(`the inspection API failed during the run: ${listed.reason}`);
    return listed.connections;
  };
  const added = (before: ConnectionSummary[] | null, after: ConnectionSummary[] | null) => {
    if (!before || !after) return null;
    const seen = new Set(before.map((each) => `${each.id_token} ${each.connected_at}`));
    return after.filter((each) => !seen.has(`${each.id_token} ${each.connected_at}`));
  };
  const shows = (answers: BrowserAnswer[]) => {
    if (settings.successText === null) return null;
    const last = answers.at(-1);
    return last?.ok === true && last.body.includes(settings.successText);
  };

  async function flow(
    name: string,
    scenario: FlowScenario,
    options: { otherBrowser?: boolean; setupCheck?: boolean } = {},
  ): Promise<{ run: FlowRun; browser: HttpBrowser }> {
    const before = await snapshot();
    const record = provider.beginFlow(name, scenario);
    const browser = newBrowser();
    try {
      const start = await browser.navigate(settings.startUrl, (next) =>
        isCallback(next, settings.redirectUri),
      );
      if (options.setupCheck) setupCheck(start.answers, record.authorizeRequests);
      const callbackUrl =
        start.notFollowed && isCallback(new URL(start.notFollowed), settings.redirectUri)
          ? start.notFollowed
          : null;
      const deliverer = options.otherBrowser ? newBrowser() : browser;
      const fromCallback = callbackUrl ? (await deliverer.navigate(callbackUrl)).answers : [];
      const after = await snapshot();
      settings.progress?.(name);
      return {
        run: {
          record,
          toCallback: start.answers,
          callbackUrl,
          tokenRequestsInFlow: record.tokenRequests.length,
          fromCallback,
          connectionsAdded: added(before, after),
          successShown: shows(fromCallback),
        },
        browser,
      };
    } finally {
      provider.endFlow();
    }
  }

  function setupCheck(answers: BrowserAnswer[], authorize: FlowRun['record']['authorizeRequests']) {
    const first = answers[0]!;
    if (!first.ok) {
      throw new SetupProblem(`cannot reach the start URL ${settings.startUrl}: ${first.error}`);
    }
    if (authorize.length === 0) {
      throw new SetupProblem(
        `the start URL ${settings.startUrl} does not redirect to the provider at ${provider.url} ` +
          `(the browser ended with ${describe(answers.at(-1)!)}): configure the partner to use ` +
          `${provider.url} as Heap (for the reference server: HEAP_BASE_URL=${provider.url})`,
      );
    }
    const refusal = authorize.find((request) => request.refusal)?.refusal;
    if (refusal) {
      throw new SetupProblem(
        `the partner's authorize request was refused: ${refusal} (registered: --client-id ` +
          `${settings.clientId}, --redirect-uri ${settings.redirectUri})`,
      );
    }
  }

  try {
    const { run: genuine, browser: genuineBrowser } = await flow('genuine', GENUINE, {
      setupCheck: true,
    });
    if (genuine.record.tokenRequests.some((request) => !request.clientAuthenticated)) {
      throw new SetupProblem(
        'the partner authenticated its token request with another client id or secret than ' +
          '--client-id and --client-secret (or CLIENT_SECRET)',
      );
    }
    // The genuine callback again, in the browser that completed it.
    const replayBefore = await snapshot();
    const tokenRequestsBefore = genuine.record.tokenRequests.length;
    const replayed = genuine.callbackUrl
      ? (await genuineBrowser.navigate(genuine.callbackUrl)).answers
      : [];
    const replayAfter = await snapshot();
    const tokenRequestsAfter = genuine.record.tokenRequests.length;
    settings.progress?.('replayed callback');
    const plain = async (name: string, scenario: Partial<FlowScenario>, otherBrowser = false) =>
      (await flow(name, { ...GENUINE, ...scenario }, { otherBrowser })).run;
    return {
      providerUrl: provider.url,
      registeredRedirectUri: settings.redirectUri,
      flows: {
        genuine,
        stateAltered: await plain('state altered', { authorize: 'state-altered' }),
        stateMissing: await plain('state removed', { authorize: 'state-missing' }),
        otherBrowser: await plain('callback in another browser', {}, true),
        accessDenied: await plain('access denied', { authorize: 'access-denied' }),
        invalidGrant: await plain('token invalid_grant', { token: 'invalid-grant' }),
        serverError: await plain('token endpoint 503', { token: 'server-error' }),
        tokenTimeout: await plain('token endpoint silent', { token: 'no-answer' }),
        tokenTypeCapitalised: await plain('token_type Bearer', { token: 'token-type-capitalised' }),
        extraFields: await plain('extra token fields', { token: 'extra-fields' }),
        htmlCanary: await plain('HTML in metadata', { metadata: 'html-canary' }),
      },
      replay: {
        answers: replayed,
        tokenRequestsBefore,
        tokenRequestsAfter,
        connectionsAdded: added(replayBefore, replayAfter),
        successShown: shows(replayed),
      },
      successSignal: settings.connections
        ? 'inspection'
        : settings.successText !== null
          ? 'success-text'
          : 'none',
      timeoutMs: settings.timeoutMs,
    };
  } finally {
    await agent.close();
  }
}
