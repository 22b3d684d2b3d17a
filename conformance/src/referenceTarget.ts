// The partner under test when no --url is given: this project's reference server, started for the
// run through its public entry, with its sync, drain and inspection URLs.
import { startReferenceServer, type ReferenceServerOptions } from '../../server/src/index.ts';

export interface ReferenceTarget {
  url: string;
  drainUrl: string;
  secret: string;
  inspectUrl: string;
  inspectToken: string;
  stop(): Promise<void>;
}

export async function startReferenceTarget(
  options: ReferenceServerOptions = {},
): Promise<ReferenceTarget> {
  const server = await startReferenceServer(options);
  return {
    url: `${server.url}/users_sync`,
    drainUrl: `${server.url}/users_drain`,
    secret: server.secret,
    inspectUrl: `${server.url}/admin`,
    inspectToken: server.adminToken,
    stop: () => server.stop(),
  };
}
