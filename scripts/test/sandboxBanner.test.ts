// The sandbox banner's send hint targets the sandbox that was started, on whatever port.
import test from 'ava';
import { sandboxBanner, type SandboxView } from '../start/sandboxBanner.ts';

const view: SandboxView = {
  port: '3000',
  mockUrl: 'http://127.0.0.1:4010',
  webhookSecret: 'dev-webhook-secret',
  adminToken: undefined,
  databaseUrl: 'sqlite:./data/partner.db',
  caFile: null,
};

test('on another port the send hint names the URL, since another terminal does not have PORT', (t) => {
  const banner = sandboxBanner({ ...view, port: '3100' });
  t.regex(
    banner,
    /Send a sample sync: {2}npm run send -- sync --url http:\/\/127\.0\.0\.1:3100\/users_sync\n/,
  );
});

test('on the default port the send hint is the short command', (t) => {
  t.regex(sandboxBanner(view), /Send a sample sync: {2}npm run send -- sync\n/);
});

test('with --tls the banner says how a browser gets to the HTTPS Developer Hub', (t) => {
  const banner = sandboxBanner({
    ...view,
    mockUrl: 'https://127.0.0.1:4010',
    caFile: '/tmp/data/mock-heap/tls/ca.crt',
  });
  t.regex(
    banner,
    /In a browser: {7}import \/tmp\/data\/mock-heap\/tls\/ca\.crt as a trusted certificate authority \(Chrome: Settings > Privacy and security > Security > Manage certificates; Firefox: Settings > Certificates > Authorities\), or accept the warning once for https:\/\/127\.0\.0\.1:4010\n/,
  );
});
