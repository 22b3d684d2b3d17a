// A browser's cookie store, small but faithful where the connect flow depends on it: cookies are
// kept per host (not per port, as browsers do), matched by path, replaced by name, and removed by an
// expiry in the past or Max-Age=0.

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  /** ms since the epoch, or null for a session cookie. */
  expiresAt: number | null;
}

function defaultPath(url: URL): string {
  const last = url.pathname.lastIndexOf('/');
  return last <= 0 ? '/' : url.pathname.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class CookieJar {
  readonly #cookies: StoredCookie[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Stores the cookies of a response's `Set-Cookie` lines. */
  store(url: string, setCookieLines: readonly string[]): void {
    const target = new URL(url);
    for (const line of setCookieLines) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const cookie: StoredCookie = {
        name: pair.slice(0, at).trim(),
        value: pair.slice(at + 1).trim(),
        host: target.hostname,
        path: defaultPath(target),
        expiresAt: null,
      };
      let maxAge: number | null = null;
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=');
        const key = rawKey.trim().toLowerCase();
        const value = rest.join('=').trim();
        if (key === 'path' && value.startsWith('/')) cookie.path = value;
        if (key === 'expires') {
          const date = Date.parse(value);
          if (!Number.isNaN(date)) cookie.expiresAt = date;
        }
        if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
      }
      if (maxAge !== null) cookie.expiresAt = this.#now() + maxAge * 1000;
      const index = this.#cookies.findIndex(
        (each) =>
          each.name === cookie.name && each.host === cookie.host && each.path === cookie.path,
      );
      if (index >= 0) this.#cookies.splice(index, 1);
      if (cookie.expiresAt === null || cookie.expiresAt > this.#now()) this.#cookies.push(cookie);
    }
  }

  /** The `Cookie` header a browser would send to `url`, or null when it has none for it. */
  headerFor(url: string): string | null {
    const target = new URL(url);
    const now = this.#now();
    const matching = this.#cookies
      .filter(
        (cookie) =>
          cookie.host === target.hostname &&
          pathMatches(target.pathname, cookie.path) &&
          (cookie.expiresAt === null || cookie.expiresAt > now),
      )
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length === 0
      ? null
      : matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }

  /** Every cookie value held, for leak checks. */
  values(): { name: string; value: string }[] {
    return this.#cookies.map(({ name, value }) => ({ name, value }));
  }
}
