// A lean HTTP/1.1 client for one origin: a pool of keep-alive connections that each carry one
// request at a time. It does only what deliveries need (POST with a known body length) so that a
// load test is bound by the partner, not by the sender. Responses may be framed by
// Content-Length, chunked, or by the connection closing.
import net from 'node:net';
import tls from 'node:tls';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class Http1Error extends Error {
  constructor(
    message: string,
    readonly code: 'TIMEOUT' | 'ECONNREFUSED' | 'ECONNRESET' | 'EPROTO' | string,
  ) {
    super(message);
    this.name = code === 'TIMEOUT' ? 'TimeoutError' : 'Http1Error';
  }
}

interface PendingRequest {
  head: Buffer;
  body: Buffer;
  resolve(response: RawResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | null;
  /** Sent again once if a reused connection turned out to be closed by the server. */
  retried: boolean;
  /** The connection carrying it, once sent. */
  connection: Connection | null;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const LINE_BREAK = /[\r\n]/;
const IDLE_CLOSE_MS = 30_000;

/** Incremental parser of one response at a time. */
class ResponseParser {
  #buffer: Buffer = Buffer.alloc(0);
  #head: { status: number; headers: Record<string, string>; keepAlive: boolean } | null = null;
  #framing: { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' } | null =
    null;
  #parts: Buffer[] = [];
  /** True once any byte of the current response arrived. */
  started = false;

  /** Feeds bytes; returns a complete response (and whether the connection may be reused) or null. */
  feed(chunk: Buffer): { response: RawResponse; keepAlive: boolean } | null {
    this.started = true;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (!this.#head) {
        const end = this.#buffer.indexOf(CRLFCRLF);
        if (end < 0) {
          if (this.#buffer.length > 64 * 1024)
            throw new Http1Error('response head larger than 64 KiB', 'EPROTO');
          return null;
        }
        const lines = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
        this.#buffer = this.#buffer.subarray(end + 4);
        const statusLine = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
        if (!statusLine)
          throw new Http1Error(
            `not an HTTP/1.x response: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`,
            'EPROTO',
          );
        const status = Number(statusLine[2]);
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
        }
        if (status >= 100 && status < 200) continue; // informational: the real answer follows
        const connection = (headers.connection ?? '').toLowerCase();
        const keepAlive =
          statusLine[1] === '1' ? !connection.includes('close') : connection.includes('keep-alive');
        this.#head = { status, headers, keepAlive };
        const length = headers['content-length'];
        if (status === 204 || status === 304) this.#framing = { kind: 'length', remaining: 0 };
        else if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked'))
          this.#framing = { kind: 'chunked' };
        else if (length !== undefined && /^\d+$/.test(length))
          this.#framing = { kind: 'length', remaining: Number(length) };
        else this.#framing = { kind: 'close' };
      }
      const framing = this.#framing!;
      if (framing.kind === 'close') {
        this.#parts.push(this.#buffer);
        this.#buffer = Buffer.alloc(0);
        return null;
      }
      if (framing.kind === 'length') {
        const take = Math.min(framing.remaining, this.#buffer.length);
        this.#parts.push(this.#buffer.subarray(0, take));
        this.#buffer = this.#buffer.subarray(take);
        framing.remaining -= take;
        return framing.remaining === 0 ? this.#complete() : null;
      }
      // chunked: <hex size>[;ext]\r\n<data>\r\n ... 0\r\n[trailers]\r\n
      const lineEnd = this.#buffer.indexOf('\r\n');
      if (lineEnd < 0) return null;
      const size = parseInt(
        this.#buffer.subarray(0, lineEnd).toString('latin1').split(';')[0]!,
        16,
      );
      if (Number.isNaN(size)) throw new Http1Error('malformed chunked response', 'EPROTO');
      if (size === 0) {
        // The last chunk, then optional trailer lines, then an empty line.
        if (this.#buffer.length < lineEnd + 4) return null;
        let end = lineEnd + 4;
        if (this.#buffer.subarray(lineEnd + 2, lineEnd + 4).toString('latin1') !== '\r\n') {
          const trailersEnd = this.#buffer.indexOf(CRLFCRLF, lineEnd + 2);
          if (trailersEnd < 0) return null;
          end = trailersEnd + 4;
        }
        this.#buffer = this.#buffer.subarray(end);
        return this.#complete();
      }
      if (this.#buffer.length < lineEnd + 2 + size + 2) return null;
      this.#parts.push(this.#buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.#buffer = this.#buffer.subarray(lineEnd + 2 + size + 2);
    }
  }

  /** The connection closed: completes a close-delimited response, or says what was cut off. */
  end(): { response: RawResponse; keepAlive: boolean } | null {
    if (this.#head && this.#framing?.kind === 'close') return this.#complete();
    return null;
  }

  #complete(): { response: RawResponse; keepAlive: boolean } {
    const head = this.#head!;
    const response = {
      status: head.status,
      headers: head.headers,
      body: Buffer.concat(this.#parts),
    };
    const keepAlive =
      head.keepAlive && this.#framing?.kind !== 'close' && this.#buffer.length === 0;
    this.#head = null;
    this.#framing = null;
    this.#parts = [];
    this.started = false;
    return { response, keepAlive };
  }
}

class Connection {
  readonly socket: net.Socket;
  readonly #parser = new ResponseParser();
  #current: PendingRequest | null = null;
  #served = 0;
  #idleTimer: NodeJS.Timeout | null = null;
  closed = false;

  constructor(
    origin: URL,
    private readonly pool: Http1Pool,
    tlsOptions: tls.ConnectionOptions,
  ) {
    const port = Number(origin.port || (origin.protocol === 'https:' ? 443 : 80));
    const host = origin.hostname.replace(/^\[|\]$/g, '');
    this.socket =
      origin.protocol === 'https:'
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) ? undefined : host,
            ALPNProtocols: ['http/1.1'],
            ...tlsOptions,
          })
        : net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.socket.on('error', (error: NodeJS.ErrnoException) =>
      this.#fail(new Http1Error(error.message, error.code ?? 'ECONNRESET')),
    );
    this.socket.on('close', () => this.#onClose());
  }

  send(request: PendingRequest): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.socket.ref();
    this.#current = request;
    this.socket.cork();
    this.socket.write(request.head);
    this.socket.write(request.body);
    this.socket.uncork();
  }

  destroy(error?: Error): void {
    if (error) this.#fail(error);
    this.closed = true;
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let parsed;
    try {
      parsed = this.#parser.feed(chunk);
    } catch (error) {
      this.destroy(error as Error);
      return;
    }
    if (parsed) this.#finish(parsed.response, parsed.keepAlive);
  }

  #finish(response: RawResponse, keepAlive: boolean): void {
    const request = this.#current;
    this.#current = null;
    this.#served++;
    if (request?.timer) clearTimeout(request.timer);
    if (!keepAlive) {
      this.closed = true;
      this.socket.end();
    } else {
      this.socket.unref();
      this.#idleTimer = setTimeout(() => this.destroy(), IDLE_CLOSE_MS).unref();
    }
    request?.resolve(response);
    this.pool.released(this);
  }

  #onClose(): void {
    this.closed = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    const parsed = this.#parser.end();
    if (parsed && this.#current) {
      this.#finish(parsed.response, false);
      return;
    }
    const request = this.#current;
    if (request) {
      this.#current = null;
      // A reused connection the server had already closed: send once more on a fresh one.
      if (this.#served > 0 && !this.#parser.started && !request.retried) {
        request.retried = true;
        this.pool.released(this, request);
        return;
      }
      if (request.timer) clearTimeout(request.timer);
      request.reject(
        new Http1Error('the connection closed before a complete answer', 'ECONNRESET'),
      );
    }
    this.pool.released(this);
  }

  #fail(error: Error): void {
    const request = this.#current;
    if (!request) return;
    if (
      this.#served > 0 &&
      !this.#parser.started &&
      !request.retried &&
      error instanceof Http1Error &&
      error.code === 'ECONNRESET'
    ) {
      return; // #onClose retries it
    }
    this.#current = null;
    if (request.timer) clearTimeout(request.timer);
    request.reject(error);
  }
}

export class Http1Pool {
  readonly #origin: URL;
  readonly #maxConnections: number;
  readonly #timeoutMs: number;
  readonly #tls: tls.ConnectionOptions;
  readonly #connections = new Set<Connection>();
  readonly #idle: Connection[] = [];
  readonly #queue: PendingRequest[] = [];
  #closed = false;

  /** `tls` adds options for https origins (a private CA, say). */
  constructor(
    origin: string,
    options: { connections: number; timeoutMs: number; tls?: tls.ConnectionOptions },
  ) {
    this.#origin = new URL(origin);
    this.#maxConnections = options.connections;
    this.#timeoutMs = options.timeoutMs;
    this.#tls = options.tls ?? {};
  }

  /** POSTs `body` to `path`; resolves with the whole answer or rejects with an Http1Error. */
  post(path: string, headers: Record<string, string>, body: Buffer): Promise<RawResponse> {
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.#origin.host}\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (LINE_BREAK.test(name) || LINE_BREAK.test(value)) {
        throw new Error(`header ${name} contains a line break`);
      }
      const lower = name.toLowerCase();
      if (lower !== 'content-length' && lower !== 'host') head += `${name}: ${value}\r\n`;
    }
    head += `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
    return new Promise<RawResponse>((resolve, reject) => {
      const request: PendingRequest = {
        head: Buffer.from(head, 'latin1'),
        body,
        resolve,
        reject,
        timer: null,
        retried: false,
        connection: null,
      };
      request.timer = setTimeout(() => {
        request.timer = null;
        const error = new Http1Error(`no complete answer within ${this.#timeoutMs} ms`, 'TIMEOUT');
        const queued = this.#queue.indexOf(request);
        if (queued >= 0) {
          this.#queue.splice(queued, 1);
          reject(error);
          return;
        }
        this.#abort(request, error);
      }, this.#timeoutMs);
      this.#dispatch(request);
    });
  }

  #abort(request: PendingRequest, error: Error): void {
    if (request.connection) request.connection.destroy(error);
    else request.reject(error);
  }

  #dispatch(request: PendingRequest): void {
    if (this.#closed) {
      request.reject(new Http1Error('the client is closed', 'ECONNRESET'));
      return;
    }
    let connection = this.#idle.pop();
    while (connection && connection.closed) connection = this.#idle.pop();
    if (!connection && this.#connections.size < this.#maxConnections) {
      connection = new Connection(this.#origin, this, this.#tls);
      this.#connections.add(connection);
    }
    if (!connection) {
      this.#queue.push(request);
      return;
    }
    request.connection = connection;
    connection.send(request);
  }

  /** Called by a connection when it is free again (or gone), with a request to send once more. */
  released(connection: Connection, retry?: PendingRequest): void {
    if (retry) retry.connection = null;
    if (connection.closed) this.#connections.delete(connection);
    else this.#idle.push(connection);
    if (retry) this.#dispatch(retry);
    const next = this.#queue.shift();
    if (next) this.#dispatch(next);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const request of this.#queue.splice(0)) {
      if (request.timer) clearTimeout(request.timer);
      request.reject(new Http1Error('the client is closed', 'ECONNRESET'));
    }
    for (const connection of this.#connections) connection.destroy();
    this.#connections.clear();
    this.#idle.length = 0;
  }
}
