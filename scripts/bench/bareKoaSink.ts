// The ingest benchmark's measure of the cost of durability, not a target: a bare Koa app that reads
// the body and answers 200, checking and storing nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import getRawBody from 'raw-body';

const app = new Koa();
app.use(async (ctx) => {
  await getRawBody(ctx.req, { limit: 64 * 1024 * 1024 });
  ctx.status = 200;
  ctx.body = { ok: true };
});
const server = http.createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare koa sink listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
