// The connect-flow run's test provider: Heap's three OAuth endpoints on a plain node:http server,
// registered with the partner's client id, secret and redirect URI. The authorize endpoint approves
// at once (no login page); each flow follows the scenario it was begun with, and every request the
// partner makes is recorded against the flow it belongs to.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { components } from '../../../generated/heap-partner-api.ts';
import { metadataCanary } from './metadataCanary.ts';
import type {
  AuthorizeRecord,
  FlowRecord,
  FlowScenario,
  MetadataRecord,
  TokenRecord,
} from './providerTypes.ts';

type TokenResponse = components['schemas']['TokenResponse'];
type Metadata = components['schemas']['Metadata'];
type OAuthError = components['schemas']['OAuthError'];

export interface ProviderRegistration {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestProvider {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  authorizeUrl: string;
  /** Starts a flow: the next authorize request belongs to it and follows its scenario. */
  beginFlow(name: string, scenario: FlowScenario): FlowRecord;
  /** Ends the current flow: requests it holds unanswered are cut off. */
  endFlow(): void;
  /** Every flow so far, in order. */
  flows(): readonly FlowRecord[];
  /** Token requests whose code no flow issued. */
  strayTokenRequests(): readonly TokenRecord[];
  /** Every secret value the run issued or saw (codes, tokens, states), for redaction. */
  secretValues(): { value: string; label: string }[];
  stop(): Promise<void>;
}

export const AUTHORIZE_PATH = '/api/partner/oauth/authorize';
export const TOKEN_PATH = '/api/partner/oauth/token';
const METADATA_PATH = /^\/api\/partner\/v1\/metadata\/([^/]+)$/;

const sameText = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

function readForm(contentType: string, body: string): Record<string, string> {
  try {
    if (contentType.includes('application/json')) {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : '']),
      );
    }
    return Object.fromEntries(new URLSearchParams(body));
  } catch {
    return {};
  }
}

/** The client id and secret of an `Authorization: Basic` header (RFC 6749 §2.3.1), if any. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const encoded = /^basic\s+(.+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/** A state the partner did not issue: the same length, every character changed. */
export function alteredState(state: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const changed = [...state].map(
    (char) => alphabet[(alphabet.indexOf(char) + 7) % alphabet.length],
  );
  return changed.join('') || 'altered-state';
}

export async function startTestProvider(
  registration: ProviderRegistration,
  port: number,
): Promise<TestProvider> {
  const flows: FlowRecord[] = [];
  const stray: TokenRecord[] = [];
  const codeUses = new Map<string, number>();
  const flowByCode = new Map<string, FlowRecord>();
  const flowByAccessToken = new Map<string, FlowRecord>();
  const held = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();
  let current: FlowRecord | null = null;

  const json = (response: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
    return status;
  };
  const oauthError = (response: http.ServerResponse, status: number, error: OAuthError) =>
    json(response, status, error);

  function authorize(query: URLSearchParams, response: http.ServerResponse): void {
    const record: AuthorizeRecord = {
      clientId: query.get('client_id'),
      state: query.get('state'),
      redirectUri: query.get('redirect_uri'),
      responseType: query.get('response_type'),
      scope: query.get('scope'),
      codeChallenge: query.get('code_challenge'),
      codeChallengeMethod: query.get('code_challenge_method'),
      code: null,
      location: null,
      refusal: null,
    };
    const flow = current;
    flow?.authorizeRequests.push(record);
    // As Heap does, an unknown client or an unregistered redirect_uri is never redirected to.
    if (record.clientId !== registration.clientId) {
      record.refusal = `client_id "${record.clientId ?? ''}" is not the registered one`;
      oauthError(response, 400, {
        error: 'unauthorized_client',
        error_description: record.refusal,
      });
      return;
    }
    if (record.redirectUri !== registration.redirectUri) {
      record.refusal = `redirect_uri "${record.redirectUri ?? ''}" is not the registered one`;
      oauthError(response, 400, { error: 'invalid_request', error_description: record.refusal });
      return;
    }
    const location = new URL(registration.redirectUri);
    const fault = flow?.scenario.authorize ?? 'none';
    if (fault === 'access-denied') {
      location.searchParams.set('error', 'access_denied');
      location.searchParams.set('error_description', 'The user denied the request');
    } else {
      const code = randomBytes(18).toString('base64url');
      record.code = code;
      if (flow) {
        flow.issued.code = code;
        flowByCode.set(code, flow);
      }
      location.searchParams.set('code', code);
    }
    if (fault !== 'state-missing') {
      const state = record.state ?? '';
      location.searchParams.set('state', fault === 'state-altered' ? alteredState(state) : state);
    }
    record.location = location.toString();
    response.writeHead(302, { location: record.location, 'cache-control': 'no-store' });
    response.end();
  }

  function token(
    incoming: http.IncomingMessage,
    body: string,
    response: http.ServerResponse,
  ): void {
    const form = readForm(incoming.headers['content-type'] ?? '', body);
    const basic = basicCredentials(incoming.headers.authorization);
    const clientId = basic?.id ?? form.client_id ?? null;
    const secret = basic?.secret ?? form.client_secret ?? '';
    const code = form.code ?? null;
    const earlierUses = code === null ? 0 : (codeUses.get(code) ?? 0);
    if (code !== null) codeUses.set(code, earlierUses + 1);
    const record: TokenRecord = {
      code,
      grantType: form.grant_type ?? null,
      redirectUri: form.redirect_uri ?? null,
      clientId,
      clientAuthenticated:
        clientId === registration.clientId && sameText(secret, registration.clientSecret),
      codeVerifier: form.code_verifier ?? null,
      verifierMatches: null,
      earlierUses,
      answerStatus: null,
    };
    const flow = code === null ? undefined : flowByCode.get(code);
    const challenge = flow?.authorizeRequests.find((request) => request.code === code);
    if (challenge?.codeChallenge) {
      const verifier = record.codeVerifier ?? '';
      record.verifierMatches =
        (challenge.codeChallengeMethod ?? 'plain').toUpperCase() === 'S256'
          ? s256(verifier) === challenge.codeChallenge
          : verifier === challenge.codeChallenge;
    }
    if (flow) flow.tokenRequests.push(record);
    else stray.push(record);
    if (!record.clientAuthenticated) {
      record.answerStatus = oauthError(response, 401, {
        error: 'invalid_client',
        error_description: 'Client authentication failed',
      });
      return;
    }
    if (record.grantType !== 'authorization_code') {
      record.answerStatus = oauthError(response, 400, { error: 'unsupported_grant_type' });
      return;
    }
    if (!flow || earlierUses > 0 || record.redirectUri !== registration.redirectUri) {
      record.answerStatus = oauthError(response, 400, {
        error: 'invalid_grant',
        error_description: !flow
          ? 'Unknown code'
          : earlierUses > 0
            ? 'The code was already used'
            : 'redirect_uri does not match the authorization request',
      });
      return;
    }
    switch (flow.scenario.token) {
      case 'invalid-grant':
        record.answerStatus = oauthError(response, 400, {
          error: 'invalid_grant',
          error_description: 'The code has expired',
        });
        return;
      case 'server-error':
        record.answerStatus = json(response, 503, { error: 'temporarily_unavailable' });
        return;
      case 'no-answer':
        held.add(response);
        return;
      default:
        break;
    }
    flowByAccessToken.set(flow.issued.accessToken, flow);
    const granted: TokenResponse = {
      access_token: flow.issued.accessToken,
      id_token: flow.issued.idToken,
      token_type: flow.scenario.token === 'token-type-capitalised' ? 'Bearer' : 'bearer',
    };
    const extra =
      flow.scenario.token === 'extra-fields'
        ? { scope: 'segment', expires_in: 31536000, heap_env: { id: '2544353', region: 'us' } }
        : {};
    record.answerStatus = json(response, 200, { ...granted, ...extra });
  }

  function metadata(
    url: URL,
    idToken: string,
    incoming: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    const bearer = /^bearer\s+(.+)$/i.exec(incoming.headers.authorization ?? '')?.[1]?.trim();
    const inQuery = [...url.searchParams].filter(([, value]) => flowByAccessToken.has(value));
    const token = bearer ?? inQuery[0]?.[1];
    const flow = token === undefined ? undefined : flowByAccessToken.get(token);
    const record: MetadataRecord = {
      idToken,
      bearerHeader: bearer !== undefined && flowByAccessToken.has(bearer),
      tokenInQuery: inQuery.map(([name]) => name),
      answerStatus: 0,
    };
    flow?.metadataRequests.push(record);
    if (!flow || !record.bearerHeader) {
      record.answerStatus = json(response, 401, { error: 'Unauthorized' });
      return;
    }
    if (idToken !== flow.issued.idToken) {
      record.answerStatus = json(response, 404, { error: 'Not found' });
      return;
    }
    const body: Metadata = {
      env_id: '2544353',
      partner_app_id: '4',
      authorized_by:
        flow.scenario.metadata === 'html-canary'
          ? metadataCanary(flow.issued.canaryMarker)
          : 'pam@example.co',
      authorized_scope: 'segment',
      authorized_at_utc: new Date().toISOString(),
    };
    record.answerStatus = json(response, 200, body);
  }

  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://provider');
      const body = Buffer.concat(chunks).toString('utf8');
      const metadataPath = METADATA_PATH.exec(url.pathname);
      if (incoming.method === 'GET' && url.pathname === AUTHORIZE_PATH) {
        authorize(url.searchParams, response);
      } else if (incoming.method === 'POST' && url.pathname === TOKEN_PATH) {
        token(incoming, body, response);
      } else if (incoming.method === 'GET' && metadataPath) {
        metadata(url, decodeURIComponent(metadataPath[1]!), incoming, response);
      } else {
        json(response, 404, { error: 'Not found' });
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const cutHeld = () => {
    for (const response of held) response.socket?.destroy();
    held.clear();
  };

  return {
    url,
    authorizeUrl: `${url}${AUTHORIZE_PATH}`,
    beginFlow(name, scenario) {
      cutHeld();
      const flow: FlowRecord = {
        name,
        scenario,
        issued: {
          code: null,
          accessToken: `canary-${randomBytes(24).toString('hex')}`,
          idToken: randomUUID(),
          canaryMarker: randomBytes(6).toString('hex'),
        },
        authorizeRequests: [],
        tokenRequests: [],
        metadataRequests: [],
      };
      flows.push(flow);
      current = flow;
      return flow;
    },
    endFlow() {
      cutHeld();
      current = null;
    },
    flows: () => flows,
    strayTokenRequests: () => stray,
    secretValues() {
      const values: { value: string; label: string }[] = [
        { value: registration.clientSecret, label: '[client secret]' },
      ];
      for (const flow of flows) {
        values.push({ value: flow.issued.accessToken, label: '[access token]' });
        values.push({ value: flow.issued.idToken, label: '[id_token]' });
        if (flow.issued.code) values.push({ value: flow.issued.code, label: '[code]' });
        for (const request of flow.authorizeRequests) {
          if (request.state) {
            values.push({ value: request.state, label: '[state]' });
            values.push({ value: alteredState(request.state), label: '[altered state]' });
          }
          if (request.codeChallenge)
            values.push({ value: request.codeChallenge, label: '[code_challenge]' });
        }
        for (const request of flow.tokenRequests) {
          if (request.codeVerifier)
            values.push({ value: request.codeVerifier, label: '[code_verifier]' });
        }
      }
      return values;
    },
    async stop() {
      cutHeld();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The S256 code challenge of a verifier (RFC 7636 §4.2). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
