// Reads the partner's connected accounts through its inspection API (GET /connections in
// spec/partner_inspection_api.yaml): the run's evidence that a flow did or did not connect.
import type { components } from '../../../generated/partner-inspection-api.ts';
import { inspectionGet } from '../runner/inspectionClient.ts';

export type ConnectionSummary = components['schemas']['ConnectionSummary'];

export interface ConnectionsClient {
  /** Every connection, or a one-line reason why they could not be read. */
  list(): Promise<{ ok: true; connections: ConnectionSummary[] } | { ok: false; reason: string }>;
}

const HINTS: Record<number, string> = {
  401: ': check --inspect-token (or INSPECT_TOKEN)',
  403: ': check --inspect-token (or INSPECT_TOKEN)',
  404: ': check --inspect-url, the base URL of the inspection API (e.g. http://host/admin)',
};

export function connectionsClient(
  inspectUrl: string,
  token: string | null,
  timeoutMs: number,
): ConnectionsClient {
  const url = `${inspectUrl.replace(/\/+$/, '')}/connections`;
  return {
    async list() {
      let response: Response;
      try {
        response = await inspectionGet(url, token, timeoutMs);
      } catch (error) {
        const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
        return { ok: false, reason: `GET ${url} failed: ${cause}` };
      }
      if (!response.ok) {
        return {
          ok: false,
          reason: `GET ${url} answered ${response.status}${HINTS[response.status] ?? ''}`,
        };
      }
      try {
        const body = (await response.json()) as { connections?: unknown };
        if (!Array.isArray(body.connections)) throw new Error('no connections list');
        return { ok: true, connections: body.connections as ConnectionSummary[] };
      } catch {
        return { ok: false, reason: `GET ${url} did not answer a {"connections": [...]} list` };
      }
    },
  };
}
