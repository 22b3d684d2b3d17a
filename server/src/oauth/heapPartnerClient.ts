// Calls Heap's partner API through the client generated from spec/heap_partner_api.yaml, and turns
// its answers into results with stable codes instead of thrown Responses.
import {
  Configuration,
  MetadataApi,
  OAuthApi,
  TokenRequestGrantTypeEnum,
} from '../../../generated/heap-client/index.ts';
import type { Metadata, TokenResponse } from '../../../generated/heap-client/index.ts';

export type HeapCallFailure = {
  ok: false;
  /** `oauth_error` (Heap answered an OAuth error), `http_error`, `network_error` or `invalid_answer`. */
  code: 'oauth_error' | 'http_error' | 'network_error' | 'invalid_answer';
  status?: number;
  /** The OAuth `error` (e.g. `invalid_grant`) when Heap sent one. */
  oauthError?: string;
  message: string;
};

export type HeapCallResult<T> = { ok: true; value: T } | HeapCallFailure;

export interface HeapPartnerClient {
  exchangeCode(input: {
    code: string;
    redirectUri: string;
    clientId: string;
    clientSecret: string;
  }): Promise<HeapCallResult<TokenResponse>>;
  metadata(idToken: string, accessToken: string): Promise<HeapCallResult<Metadata>>;
}

/** Default time limit of one call to Heap. */
export const DEFAULT_HEAP_TIMEOUT_MS = 5_000;

async function describeFailure(
  error: unknown,
  baseUrl: string,
  timeoutMs: number,
): Promise<HeapCallFailure> {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return {
      ok: false,
      code: 'network_error',
      message: `Heap did not answer within ${timeoutMs} ms at ${baseUrl}`,
    };
  }
  if (error instanceof Response) {
    let body: { error?: unknown; error_description?: unknown } = {};
    try {
      body = (await error.json()) as typeof body;
    } catch {
      // A non-JSON error body: the status says enough.
    }
    const oauthError = typeof body.error === 'string' ? body.error : undefined;
    const description =
      typeof body.error_description === 'string' ? body.error_description : undefined;
    return {
      ok: false,
      code: oauthError ? 'oauth_error' : 'http_error',
      status: error.status,
      oauthError,
      message: [`Heap answered ${error.status}`, oauthError, description]
        .filter(Boolean)
        .join(': '),
    };
  }
  if (error instanceof TypeError) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      code: 'network_error',
      message: `Heap could not be reached at ${baseUrl}${cause ? ` (${cause})` : ''}`,
    };
  }
  return {
    ok: false,
    code: 'invalid_answer',
    message: `Heap's answer could not be read: ${(error as Error).message}`,
  };
}

export function heapPartnerClient(
  baseUrl: string,
  fetchApi: typeof fetch = fetch,
  options: { timeoutMs?: number } = {},
): HeapPartnerClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEAP_TIMEOUT_MS;
  const configuration = (accessToken?: string) =>
    new Configuration({
      basePath: baseUrl,
      // The limit covers the whole answer, body included, so a silent Heap never hangs the browser.
      fetchApi: (input, init) =>
        fetchApi(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      accessToken,
    });
  return {
    async exchangeCode(input) {
      try {
        const value = await new OAuthApi(configuration()).exchangeToken({
          tokenRequest: { grantType: TokenRequestGrantTypeEnum.AuthorizationCode, ...input },
        });
        if (!value.accessToken || !value.idToken) {
          return {
            ok: false,
            code: 'invalid_answer',
            message: "Heap's token answer lacks access_token or id_token",
          };
        }
        return { ok: true, value };
      } catch (error) {
        return describeFailure(error, baseUrl, timeoutMs);
      }
    },
    async metadata(idToken, accessToken) {
      try {
        return {
          ok: true,
          value: await new MetadataApi(configuration(accessToken)).getMetadata({ idToken }),
        };
      } catch (error) {
        return describeFailure(error, baseUrl, timeoutMs);
      }
    },
  };
}
