// Every member of one segment, read page by page through a receiver's inspection API
// (spec/partner_inspection_api.yaml): how tests check exact membership from the outside.
export async function inspectedMembers(options: {
  /** The receiver's base URL; the inspection API is under /admin. */
  baseUrl: string;
  adminToken: string;
  idToken: string;
  segmentId: number;
}): Promise<string[]> {
  const all: string[] = [];
  let after = '';
  do {
    const url = new URL(
      `/admin/segments/${encodeURIComponent(options.idToken)}/${options.segmentId}/members`,
      options.baseUrl,
    );
    url.search = new URLSearchParams({ limit: '10000', after }).toString();
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${options.adminToken}` },
    });
    if (!response.ok)
      throw new Error(`${url.pathname}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { members: string[]; next_after: string | null };
    all.push(...page.members);
    after = page.next_after ?? '';
  } while (after);
  return all;
}
