// `npm run mock:heap`: a Heap to develop against, with no Heap account (see README).
import { config as loadDotenv } from 'dotenv';
import { devDefaults } from '../server/src/index.ts';
import { parseMockHeapConfig } from './mockHeap/mockHeapConfig.ts';
import { startMockHeap } from './mockHeap/mockHeapServer.ts';

loadDotenv({ quiet: true });
const parsed = parseMockHeapConfig(process.env);
if (!parsed.ok) {
  console.error(`mock-heap: configuration error: ${parsed.error}`);
  process.exit(2);
}
const { config } = parsed;
let mock;
try {
  mock = await startMockHeap(config, { log: (line) => console.log(`[mock-heap] ${line}`) });
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
console.log(`Mock Heap listening on ${mock.url} (Prism serving spec/heap_partner_api.yaml behind it)
  accepts client_id     ${config.clientId}
          client_secret ${secretShown}
          redirect_uri  ${config.redirectUri}
  endpoints: ${mock.url}/api/partner/oauth/authorize, /api/partner/oauth/token, /api/partner/v1/metadata/{id_token}
  point the server at it with HEAP_BASE_URL=${mock.url} (its default outside production)`);

const running = mock;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    void running.stop().then(() => process.exit(0));
  });
}
