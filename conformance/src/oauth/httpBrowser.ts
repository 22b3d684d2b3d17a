// The connect-flow run's browser without a browser engine: GETs an address with one cookie jar,
// follows redirects among loopback hosts, and records every answer it got.
import { Agent, request } from 'undici';
import type { CookieJar } from './cookieJar.ts';

/** One answer the browser got, or why it got none. */
export type BrowserAnswer =
  | {
      ok: true;
      url: string;
      status: number;
      headers: Record<string, string>;
      setCookies: string[];
      location: string | null;
      body: string;
      durationMs: number;
    }
  | { ok: false; url: string; error: string; durationMs: number };

/** Largest body kept from one answer. */
const BODY_LIMIT = 1024 * 1024;

const isLoopback = (url: URL) =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || /^127\./.test(url.hostname);

export interface Navigation {
  answers: BrowserAnswer[];
  /** The last answer (the page the browser shows), or the last failure. */
  last: BrowserAnswer;
  /** The address the browser was sent to and did not go to (`stopAt` matched, or not loopback). */
  notFollowed: string | null;
}

export class HttpBrowser {
  readonly #jar: CookieJar;
  readonly #timeoutMs: number;
  readonly #agent: Agent;

  constructor(jar: CookieJar, options: { timeoutMs: number; agent: Agent }) {
    this.#jar = jar;
    this.#timeoutMs = options.timeoutMs;
    this.#agent = options.agent;
  }

  get jar(): CookieJar {
    return this.#jar;
  }

  /** One GET, no redirect followed. */
  async get(url: string): Promise<BrowserAnswer> {
    const started = performance.now();
    const headers: Record<string, string> = {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      'user-agent': 'heap-oauth-conformance',
    };
    const cookie = this.#jar.headerFor(url);
    if (cookie) headers.cookie = cookie;
    try {
      const response = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.#agent,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (size < BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      }
      const flat: Record<string, string> = {};
      let setCookies: string[] = [];
      for (const [name, value] of Object.entries(response.headers)) {
        if (value === undefined) continue;
        if (name === 'set-cookie') setCookies = Array.isArray(value) ? value : [value];
        flat[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      this.#jar.store(url, setCookies);
      const location = flat.location ? new URL(flat.location, url).toString() : null;
      return {
        ok: true,
        url,
        status: response.statusCode,
        headers: flat,
        setCookies,
        location: response.statusCode >= 300 && response.statusCode < 400 ? location : null,
        body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT),
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const name = (error as Error).name;
      return {
        ok: false,
        url,
        error:
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${this.#timeoutMs} ms`
            : ((error as { cause?: Error }).cause?.message ?? (error as Error).message),
        durationMs: Math.round(performance.now() - started),
      };
    }
  }

  /**
   * GETs `url` and follows redirects, up to 10, until an answer is not a redirect, the next address
   * matches `stopAt`, or leaves the loopback hosts (a run never reaches another host).
   */
  async navigate(url: string, stopAt: (next: URL) => boolean = () => false): Promise<Navigation> {
    const answers: BrowserAnswer[] = [];
    let next = url;
    for (let hop = 0; hop < 10; hop += 1) {
      const answer = await this.get(next);
      answers.push(answer);
      if (!answer.ok || !answer.location) return { answers, last: answer, notFollowed: null };
      const target = new URL(answer.location);
      if (stopAt(target) || !isLoopback(target) || !/^https?:$/.test(target.protocol)) {
        return { answers, last: answer, notFollowed: answer.location };
      }
      next = answer.location;
    }
    return { answers, last: answers.at(-1)!, notFollowed: null };
  }
}
