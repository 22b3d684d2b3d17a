// A minimal browser for tests: keeps cookies per host, follows redirects on request, records each hop.
import { request } from 'undici';

export interface Hop {
  url: string;
  status: number;
  location?: string;
  body: string;
}

export class TestBrowser {
  readonly #cookies = new Map<string, Map<string, string>>();
  readonly hops: Hop[] = [];

  cookiesFor(host: string): Map<string, string> {
    return this.#cookies.get(host) ?? this.#cookies.set(host, new Map()).get(host)!;
  }

  /** One request, no redirect following. */
  async go(
    url: string,
    options: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
  ): Promise<Hop> {
    const target = new URL(url);
    const jar = this.cookiesFor(target.host);
    const headers: Record<string, string> = {};
    if (jar.size > 0)
      headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const response = await request(url, { method: options.method ?? 'GET', headers, body });
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.location;
    const hop: Hop = {
      url,
      status: response.statusCode,
      location: typeof location === 'string' ? new URL(location, url).toString() : undefined,
      body: await response.body.text(),
    };
    this.hops.push(hop);
    return hop;
  }

  /** Follows redirects (a POST's redirect continues as GET, as browsers do) up to `limit` hops. */
  async follow(
    url: string,
    options: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {},
    limit = 10,
  ): Promise<Hop> {
    let hop = await this.go(url, options);
    for (let hops = 1; hop.location && hop.status >= 300 && hop.status < 400; hops++) {
      if (hops > limit) throw new Error(`more than ${limit} redirects`);
      hop = await this.go(hop.location);
    }
    return hop;
  }
}
