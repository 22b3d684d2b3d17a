// The development defaults shared by the reference server, the mock Heap, the sender and
// `npm start`, so they work together with no setup. Never valid when NODE_ENV=production.
export const devDefaults = {
  port: 3000,
  webhookSecret: 'dev-webhook-secret',
  databaseUrl: 'sqlite:./data/partner.db',
  clientId: 'dev-client-id',
  clientSecret: 'dev-client-secret',
  redirectUri: 'http://localhost:3000/api/oauth_redirect',
  mockHeapPort: 4010,
  heapBaseUrl: 'http://127.0.0.1:4010',
  /** 32 bytes, Base64: encrypts stored access tokens in development only. */
  tokenEncryptionKey: 'ZGV2LXRva2VuLWtleS0zMi1ieXRlcy1sb25nLXh4eHg=',
  cookieSecret: 'dev-cookie-secret',
} as const;

/** Heap's production location. */
export const HEAP_PRODUCTION_HOST = 'heapanalytics.com';
