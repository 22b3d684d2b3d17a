// Reads a segment's members through the inspection API (spec/partner_inspection_api.yaml).
import type { components } from '../../../generated/partner-inspection-api.ts';

type MemberPage = components['schemas']['MemberPage'];

/**
 * Members asked for per call. Below the large page's size, so that a run also checks the partner's
 * paging (`next_after`): a large segment read back through several pages must be whole.
 */
export const MEMBERS_PER_PAGE = 1000;

/** An inspection call that did not give members; `status` is null when nothing answered. */
export class InspectionError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** The `error` code of the answer's JSON body, when it had one. */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** One answer of the inspection API: its status and its JSON body (null when it had none). */
export interface InspectionAnswer {
  url: string;
  status: number;
  body: unknown;
}

export interface InspectionClient {
  /** Every member of a segment, read page by page through `next_after`. */
  members(idToken: string, segmentId: number): Promise<string[]>;
  /** One GET of a path below the inspection API's base URL, e.g. `segments?id_token=a`. */
  get(pathAndQuery: string): Promise<InspectionAnswer>;
}

/** The `error` field of a JSON error answer, or null. */
async function errorCode(response: Response): Promise<string | null> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : null;
  } catch {
    return null;
  }
}

/** A GET of the inspection API: the bearer token when there is one, and the run's time limit. */
export const inspectionGet = (url: string, token: string | null, timeoutMs: number) =>
  fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });

export function inspectionClient(
  baseUrl: string,
  token: string | null,
  timeoutMs: number,
): InspectionClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async get(pathAndQuery) {
      const url = `${base}/${pathAndQuery}`;
      let response: Response;
      try {
        response = await inspectionGet(url, token, timeoutMs);
      } catch (error) {
        throw new InspectionError(`GET ${url} failed: ${(error as Error).message}`, null);
      }
      const text = await response.text();
      let body: unknown = null;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = null;
      }
      return { url, status: response.status, body };
    },
    async members(idToken, segmentId) {
      const all: string[] = [];
      let after: string | null = '';
      while (after !== null) {
        const url = `${base}/segments/${encodeURIComponent(idToken)}/${segmentId}/members?limit=${MEMBERS_PER_PAGE}&after=${encodeURIComponent(after)}`;
        let response: Response;
        try {
          response = await inspectionGet(url, token, timeoutMs);
        } catch (error) {
          throw new InspectionError(`GET ${url} failed: ${(error as Error).message}`, null);
        }
        if (!response.ok) {
          throw new InspectionError(
            `GET ${url} answered ${response.status}`,
            response.status,
            await errorCode(response),
          );
        }
        const page = (await response.json()) as MemberPage;
        all.push(...page.members);
        after = page.next_after || null;
      }
      return all;
    },
  };
}
