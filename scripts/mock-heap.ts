// `npm run mock:heap`: a Heap to develop against, with no Heap account (see docs/mock-heap.md).
import { commandLine } from '../support/src/commandLine.ts';
import { config as loadDotenv } from 'dotenv';
import { devDefaults } from '../server/src/index.ts';
import { localCertificates } from './mockHeap/localCertificates.ts';
import { mockHeapUsage, parseMockHeapArgs } from './mockHeap/mockHeapArgs.ts';
import { parseMockHeapConfig } from './mockHeap/mockHeapConfig.ts';
import { startMockHeap } from './mockHeap/mockHeapServer.ts';

const args = parseMockHeapArgs(process.argv.slice(2));
if (args.kind === 'help') {
  console.log(mockHeapUsage);
  process.exit(0);
}
if (args.kind === 'error') {
  console.error(
    `mock-heap: ${args.message} (${commandLine('mock:heap')} --help lists the options)`,
  );
  process.exit(2);
}
loadDotenv({ quiet: true });
const parsed = parseMockHeapConfig(process.env);
if (!parsed.ok) {
  console.error(`mock-heap: configuration error: ${parsed.error}`);
  process.exit(2);
}
const { config } = parsed;
let mock;
let certificates;
try {
  certificates = args.tls ? await localCertificates(config.dataDir) : undefined;
  mock = await startMockHeap(config, {
    log: (line) => console.log(`[mock-heap] ${line}`),
    tls: certificates,
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${config.port} is already in use (set MOCK_HEAP_PORT)`
      : (error as Error).message;
  console.error(`mock-heap: cannot start: ${reason}`);
  process.exit(1);
}
const secretShown =
  config.clientSecret === devDefaults.clientSecret
    ? config.clientSecret
    : '(the value of CLIENT_SECRET)';
const tlsLines = certificates
  ? `
  HTTPS with a local certificate authority ${certificates.created ? '(created now)' : '(created earlier)'}: ${certificates.caFile}
  a client trusts it with NODE_EXTRA_CA_CERTS=${certificates.caFile}`
  : '';
console.log(`Mock Heap listening on ${mock.url} (Prism serving spec/heap_partner_api.yaml behind it)
  Developer Hub: ${mock.url}/hub (data in ${config.dataDir})
  accepts client_id     ${config.clientId}
          client_secret ${secretShown}
          redirect_uri  ${mock.hub.redirectUri()} (${mock.hub.settingSource('redirectUri')})
  endpoints: ${mock.url}/api/partner/oauth/authorize, /api/partner/oauth/token, /api/partner/v1/metadata/{id_token}
  point the server at it with HEAP_BASE_URL=${mock.url}${certificates ? '' : ' (its default outside production)'}${tlsLines}`);

const running = mock;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    void running.stop().then(() => process.exit(0));
  });
}
