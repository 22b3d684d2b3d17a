// Calls the inspection API once before the run: a wrong --inspect-url or --inspect-token is a setup
// error to report in one line, not a partner failing every case that reads members.
import { InspectionError, type InspectionClient } from './inspectionClient.ts';

const HINTS: Record<number, string> = {
  401: 'check --inspect-token (or INSPECT_TOKEN)',
  403: 'check --inspect-token (or INSPECT_TOKEN)',
  404: 'check --inspect-url: it is the base URL of the inspection API, e.g. http://host/admin',
};

/** Null when a members read of a fresh segment succeeds, else one line saying what to fix. */
export async function inspectionSetupProblem(
  client: InspectionClient,
  inspectUrl: string,
  idToken: string,
  freshSegmentId: number,
): Promise<string | null> {
  try {
    await client.members(idToken, freshSegmentId);
    return null;
  } catch (error) {
    const status = error instanceof InspectionError ? error.status : null;
    // The URL is right and the API is off: the contract's answer for a switched-off API.
    if (error instanceof InspectionError && error.code === 'inspection_api_disabled') {
      return (
        `the inspection API at ${inspectUrl} is disabled: set ADMIN_TOKEN on the server ` +
        '(and pass it as --inspect-token or INSPECT_TOKEN), or leave out --inspect-url'
      );
    }
    const what =
      status === null
        ? (error as Error).message
        : `answered ${status} to its first call${HINTS[status] ? `: ${HINTS[status]}` : ''}`;
    return `the inspection API at ${inspectUrl} ${what}`;
  }
}
