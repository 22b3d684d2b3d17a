// Reads a segment's members through the inspection API (spec/partner_inspection_api.yaml).
import type { components } from '../../../generated/partner-inspection-api.ts';

type MemberPage = components['schemas']['MemberPage'];

export interface InspectionClient {
  members(idToken: string, segmentId: number): Promise<string[]>;
}

export function inspectionClient(
  baseUrl: string,
  token: string | null,
  timeoutMs: number,
): InspectionClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async members(idToken, segmentId) {
      const all: string[] = [];
      let after: string | null = '';
      while (after !== null) {
        const url = `${base}/segments/${encodeURIComponent(idToken)}/${segmentId}/members?limit=10000&after=${encodeURIComponent(after)}`;
        const response = await fetch(url, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
        const page = (await response.json()) as MemberPage;
        all.push(...page.members);
        after = page.next_after || null;
      }
      return all;
    },
  };
}
