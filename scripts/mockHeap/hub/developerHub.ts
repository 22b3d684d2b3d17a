// The mock Developer Hub under /hub: server-rendered pages and form posts for the integration's
// settings, the webhook secret, sample and segment deliveries, connected accounts and the log.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { MockHeapConfig } from '../mockHeapConfig.ts';
import { DeliveryLog } from './deliveryLog.ts';
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import { HubDeliveries } from './hubDeliveries.ts';
import { hubPage } from './hubPage.ts';
import { HubState, type ConnectedAccount, type HubSettings, type TestSegment } from './hubState.ts';
import { SCHEDULES } from './segmentsSection.ts';
import { SegmentSchedule } from './segmentSchedule.ts';

export interface HubAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeveloperHubOptions {
  /** Extra `npm run send` flags for every delivery (tests shorten the retry waits). */
  senderFlags?: string[];
  log?: (line: string) => void;
}

const NOTICES: Record<string, string> = {
  saved: 'Settings saved.',
  sample: 'Sample segment sent: see the delivery log.',
  segment: 'Segment created.',
  sync: 'Sync started: see the delivery log.',
  drain: 'Drain sent: see the delivery log.',
};

function html(status: number, body: string, headers: Record<string, string> = {}): HubAnswer {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
    body: Buffer.from(body),
  };
}

function seeOther(location: string, headers: Record<string, string> = {}): HubAnswer {
  return { status: 303, headers: { location, ...headers }, body: Buffer.alloc(0) };
}

/**
 * The browser that pressed "Reveal webhook secret" keeps seeing it, across the hub's other
 * actions, until "Hide webhook secret": a cookie of that browser, never the secret itself.
 */
const SECRET_SHOWN_COOKIE = 'hub_secret_shown';
const secretShownCookie = (shown: boolean) =>
  `${SECRET_SHOWN_COOKIE}=${shown ? '1' : ''}; Path=/hub; HttpOnly; SameSite=Strict${shown ? '' : '; Max-Age=0'}`;
const secretShown = (incoming: http.IncomingMessage) =>
  (incoming.headers.cookie ?? '')
    .split(';')
    .some((pair) => pair.trim() === `${SECRET_SHOWN_COOKIE}=1`);

function problemPage(status: number, message: string): HubAnswer {
  return html(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Developer Hub: ${status}</title></head>` +
      `<body><main><h1>Developer Hub</h1><p role="alert">${escapeHtml(message)}</p>` +
      `<p><a href="/hub">Back to the Developer Hub</a></p></main></body></html>`,
  );
}

function httpUrl(raw: string | undefined, what: string): string {
  let url: URL;
  try {
    url = new URL(raw?.trim() ?? '');
  } catch {
    throw new Error(`${what} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${what} must be an http(s) URL`);
  return url.toString();
}

function wholeNumber(raw: string | undefined, what: string, min: number, max: number): number {
  const text = raw?.trim() ?? '';
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max)
    throw new Error(`${what} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

export class DeveloperHub {
  readonly state: HubState;
  readonly log = new DeliveryLog();
  readonly #config: MockHeapConfig;
  readonly #deliveries: HubDeliveries;
  readonly #schedule: SegmentSchedule;
  readonly #logLine: (line: string) => void;
  readonly #running = new Set<Promise<void>>();

  constructor(config: MockHeapConfig, options: DeveloperHubOptions = {}) {
    this.#config = config;
    this.#logLine = options.log ?? (() => {});
    this.state = new HubState(config.dataDir, {
      webhookUrl: config.webhookUrl,
      redirectUri: config.redirectUri,
    });
    this.#deliveries = new HubDeliveries(this.state, this.log, {
      secret: config.webhookSecret,
      senderFlags: options.senderFlags,
    });
    this.#schedule = new SegmentSchedule(this.state, (segment) =>
      this.#background(`scheduled sync of segment ${segment.id}`, () =>
        this.#deliveries.sync(segment),
      ),
    );
    this.#schedule.refresh();
  }

  /** The redirect URL the authorize endpoint accepts now. */
  redirectUri(): string {
    return this.state.data.settings.redirectUri;
  }

  /** Where a setting's current value comes from, in words for the page and for errors. */
  settingSource(name: keyof HubSettings): string {
    const variable = name === 'redirectUri' && this.#config.redirectUriFromEnvironment;
    if (this.state.isSaved(name)) {
      return variable ? 'saved in the Hub (overrides REDIRECT_URI)' : 'saved in the Hub';
    }
    return variable ? 'from the environment (REDIRECT_URI)' : 'default';
  }

  recordAccount(account: ConnectedAccount): void {
    this.state.addAccount(account);
  }

  /** Stops scheduled syncs and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.#schedule.stop();
    await Promise.allSettled([...this.#running]);
  }

  /** Answers a request under /hub, or null when the path is not the hub's. */
  async handle(incoming: http.IncomingMessage, body: Buffer): Promise<HubAnswer | null> {
    const url = new URL(incoming.url ?? '/', 'http://mock-heap');
    const method = incoming.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') return seeOther('/hub');
    if (url.pathname !== '/hub' && !url.pathname.startsWith('/hub/')) return null;
    if (method === 'GET' && url.pathname === '/hub') {
      return this.#page(
        NOTICES[url.searchParams.get('done') ?? ''] ?? null,
        secretShown(incoming) ? this.#config.webhookSecret : null,
      );
    }
    if (method === 'GET' && url.pathname === '/hub/api/deliveries') {
      const after = Number(url.searchParams.get('after') ?? 0) || 0;
      const entries = this.log.entries().filter((entry) => entry.seq > after);
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: Buffer.from(JSON.stringify({ entries })),
      };
    }
    if (method !== 'POST') return problemPage(404, 'There is no such page in the Developer Hub.');
    if (!this.#sameOrigin(incoming)) {
      return problemPage(403, 'Forms of the Developer Hub can only be posted from its own pages.');
    }
    const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    try {
      return this.#post(url.pathname, form);
    } catch (error) {
      return problemPage(400, (error as Error).message);
    }
  }

  #post(pathname: string, form: Record<string, string>): HubAnswer {
    if (pathname === '/hub/settings') {
      this.state.saveSettings({
        webhookUrl: httpUrl(form.webhookUrl, 'Webhook URL'),
        redirectUri: httpUrl(form.redirectUri, 'OAuth redirect URL'),
      });
      return seeOther('/hub?done=saved');
    }
    if (pathname === '/hub/secret') {
      const page = this.#page(null, this.#config.webhookSecret);
      return { ...page, headers: { ...page.headers, 'set-cookie': secretShownCookie(true) } };
    }
    if (pathname === '/hub/secret/hide') {
      return seeOther('/hub', { 'set-cookie': secretShownCookie(false) });
    }
    if (pathname === '/hub/sample') {
      this.#background('sample segment', () => this.#deliveries.sample());
      return seeOther('/hub?done=sample');
    }
    if (pathname === '/hub/segments') {
      this.state.addSegment(this.#segmentFromForm(form));
      this.#schedule.refresh();
      return seeOther('/hub?done=segment');
    }
    const action = /^\/hub\/segments\/(\d{1,15})\/(sync|drain)$/.exec(pathname);
    const segment = action ? this.state.segment(Number(action[1])) : undefined;
    if (!action || !segment) return problemPage(404, 'There is no such segment or action.');
    const kind = action[2] as 'sync' | 'drain';
    this.#background(`${kind} of segment ${segment.id}`, () => this.#deliveries[kind](segment));
    return seeOther(`/hub?done=${kind}`);
  }

  #segmentFromForm(form: Record<string, string>): Omit<TestSegment, 'id'> {
    const name = form.name?.trim() ?? '';
    if (name === '' || name.length > 200)
      throw new Error('Segment name must be 1 to 200 characters');
    const idToken = form.idToken?.trim() || null;
    if (idToken !== null && !this.state.data.accounts.some((a) => a.idToken === idToken))
      throw new Error('Account must be one of the connected accounts');
    const scheduleMinutes = form.scheduleMinutes?.trim() ? Number(form.scheduleMinutes) : null;
    if (!SCHEDULES.includes(scheduleMinutes))
      throw new Error('Schedule must be one of the choices');
    return {
      name,
      users: wholeNumber(form.users, 'Users', 0, 1_000_000),
      pageSize: wholeNumber(form.pageSize, 'Page size', 1, 100_000),
      idToken,
      scheduleMinutes,
    };
  }

  /** A browser sends Origin with every form post; a post from another site's page is refused. */
  #sameOrigin(incoming: http.IncomingMessage): boolean {
    const origin = incoming.headers.origin;
    if (origin === undefined) return true;
    try {
      return new URL(origin).host === incoming.headers.host;
    } catch {
      return false;
    }
  }

  #page(notice: string | null, revealedSecret: string | null): HubAnswer {
    const nonce = randomBytes(16).toString('base64');
    const account = this.state.latestAccount();
    return html(
      200,
      hubPage({
        data: this.state.data,
        sources: {
          webhookUrl: this.settingSource('webhookUrl'),
          redirectUri: this.settingSource('redirectUri'),
        },
        clientId: this.#config.clientId,
        revealedSecret,
        sampleAccount: account ? account.idToken : 'sample id_token (no account connected)',
        log: this.log.entries(),
        notice,
        nonce,
      }),
      {
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
        // no-referrer would make Chromium send `Origin: null` with the hub's own form posts.
        'referrer-policy': 'same-origin',
      },
    );
  }

  #background(what: string, run: () => Promise<void>): void {
    const running = run().catch((error: unknown) =>
      this.#logLine(`hub: ${what} failed: ${(error as Error).message}`),
    );
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
  }
}
