// The development defaults shared by the reference server, the mock Heap, the sender and
// `npm start`, so they work together with no setup. Never valid when NODE_ENV=production.
export const devDefaults = {
  port: 3000,
  webhookSecret: 'dev-webhook-secret',
  databaseUrl: 'sqlite:./data/partner.db',
} as const;
