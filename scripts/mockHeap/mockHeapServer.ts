// The mock Heap: Prism serves spec/heap_partner_api.yaml (request validation, example answers), and
// this thin layer in front of it adds what examples cannot do: fresh single-use codes, the
// partner's own state in the redirect, exact redirect_uri and client checks, tokens that the
// metadata endpoint recognises. Every answer still comes from Prism, adjusted only in the fields
// that carry state, so every answer still matches the spec.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { specFiles } from '../../spec/src/index.ts';
import { AuthorizationState } from './authorizationState.ts';
import { DeveloperHub } from './hub/developerHub.ts';
import type { MockHeapConfig } from './mockHeapConfig.ts';
import { startPrism, type PrismProcess } from './prismProcess.ts';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface MockHeap {
  url: string;
  prismUrl: string;
  hub: DeveloperHub;
  stop(): Promise<void>;
}

export interface StartMockHeapOptions {
  log?: (line: string) => void;
  host?: string;
  /** Extra `npm run send` flags for the Developer Hub's deliveries (tests shorten retry waits). */
  senderFlags?: string[];
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
}

const PASSED_HEADERS = ['content-type', 'location', 'www-authenticate', 'sl-violations'];

/** Prism's validation problems (its `sl-violations` header) as one sentence. */
function violations(answer: Answer): string[] {
  try {
    const list = JSON.parse(answer.headers['sl-violations'] ?? '[]') as { message: string }[];
    return list.map((violation) => violation.message);
  } catch {
    return [];
  }
}

function jsonAnswer(status: number, body: unknown, base: Answer): Answer {
  return {
    status,
    headers: { ...base.headers, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function readForm(contentType: string, body: Buffer): Record<string, string> {
  try {
    if (contentType.includes('application/json'))
      return JSON.parse(body.toString()) as Record<string, string>;
    return Object.fromEntries(new URLSearchParams(body.toString()));
  } catch {
    return {};
  }
}

export async function startMockHeap(
  config: MockHeapConfig,
  options: StartMockHeapOptions = {},
): Promise<MockHeap> {
  const log = options.log ?? (() => {});
  const hub = new DeveloperHub(config, { senderFlags: options.senderFlags, log });
  const prism: PrismProcess = await startPrism(specFiles.heapPartnerApi);
  const state = new AuthorizationState({ codeTtlMs: config.codeTtlMs });

  async function prismAnswer(
    incoming: http.IncomingMessage,
    body: Buffer,
    prefer?: string,
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'accept']) {
      const value = incoming.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    if (prefer) headers.prefer = prefer;
    const response = await request(`${prism.url}${incoming.url ?? '/'}`, {
      method: (incoming.method ?? 'GET') as 'GET',
      headers,
      body: body.length > 0 ? body : undefined,
    });
    const answerHeaders: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = response.headers[name];
      if (typeof value === 'string') answerHeaders[name] = value;
    }
    return {
      status: response.statusCode,
      headers: answerHeaders,
      body: Buffer.from(await response.body.arrayBuffer()),
    };
  }

  async function authorize(
    incoming: http.IncomingMessage,
    query: URLSearchParams,
    body: Buffer,
  ): Promise<Answer> {
    const answer = await prismAnswer(incoming, body);
    if (answer.status !== 302) {
      const problems = violations(answer);
      return jsonAnswer(
        answer.status,
        {
          error: 'invalid_request',
          error_description: problems.join('; ') || 'Invalid authorize request',
        },
        answer,
      );
    }
    if (query.get('client_id') !== config.clientId)
      return prismAnswer(incoming, body, 'code=400, example=unknown_client');
    const redirectUri = query.get('redirect_uri') ?? '';
    if (redirectUri !== hub.redirectUri()) {
      // Heap answers only the first sentence; the mock also says what is registered and where.
      const base = await prismAnswer(incoming, body, 'code=400, example=redirect_uri_mismatch');
      const source = hub.settingSource('redirectUri');
      const where = source.startsWith('saved in the Hub')
        ? `saved in the Developer Hub at ${options.tls ? 'https' : 'http'}://${incoming.headers.host ?? '127.0.0.1'}/hub, where it can be changed${source.includes('overrides') ? '; it overrides REDIRECT_URI' : ''}`
        : source === 'default'
          ? 'the default: set REDIRECT_URI, or change it in the Developer Hub'
          : 'set by REDIRECT_URI, or change it in the Developer Hub';
      return jsonAnswer(
        400,
        {
          error: 'invalid_request',
          error_description: `redirect_uri does not match the registered redirect URI: got ${redirectUri}, registered ${hub.redirectUri()} (${where})`,
        },
        base,
      );
    }
    const location = new URL(redirectUri);
    location.searchParams.set('code', state.issueCode(config.clientId, redirectUri));
    location.searchParams.set('state', query.get('state') ?? '');
    return { ...answer, headers: { ...answer.headers, location: location.toString() } };
  }

  async function token(incoming: http.IncomingMessage, body: Buffer): Promise<Answer> {
    const answer = await prismAnswer(incoming, body);
    if (answer.status === 400) {
      const problems = violations(answer);
      const error = problems.some((problem) => problem.includes('grant_type'))
        ? 'unsupported_grant_type'
        : 'invalid_request';
      return jsonAnswer(
        400,
        { error, error_description: problems.join('; ') || 'Invalid token request' },
        answer,
      );
    }
    if (answer.status !== 200) return answer;
    const form = readForm(incoming.headers['content-type'] ?? '', body);
    if (form.client_id !== config.clientId || form.client_secret !== config.clientSecret) {
      return prismAnswer(incoming, body, 'code=401');
    }
    const redeemed = state.redeem(form.code ?? '', form.redirect_uri ?? '');
    if (!redeemed.ok) {
      const example =
        redeemed.reason === 'redirect_uri_mismatch' ? 'redirect_uri_mismatch' : 'invalid_code';
      return prismAnswer(incoming, body, `code=400, example=${example}`);
    }
    const connection = state.connect();
    hub.recordAccount({
      idToken: connection.idToken,
      envId: config.envId,
      authorizedBy: config.authorizedBy,
      authorizedAt: connection.authorizedAt.toISOString(),
    });
    const granted = JSON.parse(answer.body.toString()) as Record<string, unknown>;
    return jsonAnswer(
      200,
      { ...granted, access_token: connection.accessToken, id_token: connection.idToken },
      answer,
    );
  }

  async function metadata(
    incoming: http.IncomingMessage,
    idToken: string,
    body: Buffer,
  ): Promise<Answer> {
    const answer = await prismAnswer(incoming, body);
    if (answer.status !== 200) return answer;
    const bearer = /^bearer\s+(.+)$/i.exec(incoming.headers.authorization ?? '')?.[1] ?? '';
    const connection = state.connectionFor(bearer);
    if (!connection) return prismAnswer(incoming, body, 'code=401');
    if (connection.idToken !== idToken) {
      return prismAnswer(incoming, body, state.knowsIdToken(idToken) ? 'code=401' : 'code=404');
    }
    const example = JSON.parse(answer.body.toString()) as Record<string, unknown>;
    return jsonAnswer(
      200,
      {
        ...example,
        env_id: config.envId,
        partner_app_id: config.partnerAppId,
        authorized_by: config.authorizedBy,
        authorized_scope: 'segment',
        authorized_at_utc: connection.authorizedAt.toISOString(),
      },
      answer,
    );
  }

  async function route(incoming: http.IncomingMessage, body: Buffer): Promise<Answer> {
    const hubAnswer = await hub.handle(incoming, body);
    if (hubAnswer) return hubAnswer;
    const url = new URL(incoming.url ?? '/', 'http://mock-heap');
    if (incoming.method === 'GET' && url.pathname === '/api/partner/oauth/authorize') {
      return authorize(incoming, url.searchParams, body);
    }
    if (incoming.method === 'POST' && url.pathname === '/api/partner/oauth/token')
      return token(incoming, body);
    const metadataPath = /^\/api\/partner\/v1\/metadata\/([^/]+)$/.exec(url.pathname);
    if (incoming.method === 'GET' && metadataPath)
      return metadata(incoming, decodeURIComponent(metadataPath[1]!), body);
    return prismAnswer(incoming, body);
  }

  const handler: http.RequestListener = (incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      route(incoming, Buffer.concat(chunks)).then(
        (answer) => {
          log(
            `${incoming.method} ${new URL(incoming.url ?? '/', 'http://mock-heap').pathname} -> ${answer.status}`,
          );
          response.writeHead(answer.status, {
            ...answer.headers,
            'content-length': String(answer.body.length),
          });
          response.end(answer.body);
        },
        (error: unknown) => {
          log(`${incoming.method} ${incoming.url} -> 502 (${(error as Error).message})`);
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ error: 'mock_heap_error', error_description: 'Prism did not answer' }),
          );
        },
      );
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await prism.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    prismUrl: prism.url,
    hub,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await hub.stop();
      await prism.stop();
    },
  };
}
