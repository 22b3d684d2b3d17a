// The delivery client against servers that frame, split, close and stall answers in every way
// HTTP/1.1 allows, over plain TCP and TLS: it reports each as an answer or a classified failure.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { DeliveryClient, type Exchange } from '../src/delivery/webhookDelivery.ts';

/** A raw server: `answer` writes whatever bytes it likes for each complete request it reads. */
async function rawServer(
  t: { teardown(fn: () => Promise<void>): void },
  answer: (socket: net.Socket, request: { index: number; body: string; head: string }) => void,
  options: { tls?: tls.TlsOptions } = {},
) {
  let index = 0;
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const onSocket = (socket: net.Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.slice(end + 4, end + 4 + length);
        buffer = buffer.slice(end + 4 + length);
        answer(socket, { index: index++, body, head });
      }
    });
  };
  const server = options.tls ? tls.createServer(options.tls, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    sockets,
    /** How many connections the server accepted so far. */
    connections: () => accepted,
  };
}

function openClient(
  t: { teardown(fn: () => Promise<void>): void },
  options: { connections?: number; timeoutMs?: number; ca?: Buffer } = {},
): DeliveryClient {
  const client = new DeliveryClient({
    connections: options.connections ?? 4,
    timeoutMs: options.timeoutMs ?? 5000,
    ca: options.ca,
  });
  t.teardown(() => client.close());
  return client;
}

const post = (
  client: DeliveryClient,
  url: string,
  headers: Record<string, string> = {},
): Promise<Exchange> => client.send({ url, body, headers });

const answered = (exchange: Exchange): Exchange & { ok: true } => {
  if (!exchange.ok) throw new Error(`no answer: ${exchange.error} ${exchange.message}`);
  return exchange;
};

const body = Buffer.from('{"hello":"wörld"}');

const framings: [string, (socket: net.Socket) => void, { status: number; body: string }][] = [
  [
    'content-length',
    (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
    { status: 200, body: 'ok' },
  ],
  [
    'chunked with extensions and trailers',
    (s) =>
      s.write(
        'HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n',
      ),
    { status: 202, body: 'abcde' },
  ],
  [
    'chunked, empty',
    (s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
    { status: 200, body: '' },
  ],
  [
    '204 without a body',
    (s) => s.write('HTTP/1.1 204 No Content\r\n\r\n'),
    { status: 204, body: '' },
  ],
  [
    '103 Early Hints before the answer',
    (s) =>
      s.write(
        'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Length: 4\r\n\r\nnope',
      ),
    { status: 403, body: 'nope' },
  ],
  [
    'HTTP/1.0 ended by closing',
    (s) => s.end('HTTP/1.0 200 OK\r\n\r\nuntil close'),
    { status: 200, body: 'until close' },
  ],
  [
    'one byte at a time',
    (s) => {
      const bytes = Buffer.from('HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nbytes');
      let at = 0;
      const drip = () => {
        if (at < bytes.length) s.write(bytes.subarray(at, ++at), () => setImmediate(drip));
      };
      drip();
    },
    { status: 201, body: 'bytes' },
  ],
];

for (const [name, write, want] of framings) {
  test(`reads an answer framed as ${name}`, async (t) => {
    const server = await rawServer(t, (socket) => write(socket));
    const answer = answered(await post(openClient(t), `${server.origin}/hook?x=1`));
    t.is(answer.status, want.status);
    t.is(answer.responseBody, want.body);
  });
}

test('sends the exact body with its length and headers, and reuses one connection', async (t) => {
  const seen: { head: string; body: string }[] = [];
  const server = await rawServer(t, (socket, request) => {
    seen.push(request);
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${request.index}`);
  });
  const client = openClient(t, { connections: 1 });
  const answers = await Promise.all(
    [1, 2, 3].map(() => post(client, `${server.origin}/hook`, { 'heap-hash': 'ts:1,hmac:x' })),
  );
  t.deepEqual(answers.map((answer) => answered(answer).responseBody).sort(), ['0', '1', '2']);
  t.is(server.sockets.size, 1);
  t.regex(seen[0]!.head, /^POST \/hook HTTP\/1\.1\r\n/);
  t.regex(seen[0]!.head, /\r\nheap-hash: ts:1,hmac:x\r\n/i);
  t.regex(seen[0]!.head, /\r\ncontent-length: 18(\r\n|$)/i);
  t.is(Buffer.from(seen[0]!.body, 'latin1').toString('utf8'), '{"hello":"wörld"}');
});

test('Connection: close ends the connection; the next request opens a new one', async (t) => {
  const server = await rawServer(t, (socket) =>
    socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
  );
  const client = openClient(t, { connections: 1 });
  for (let i = 0; i < 3; i++) {
    t.is(answered(await post(client, server.origin)).status, 200);
  }
  t.is(server.connections(), 3);
});

test('a kept-alive connection the server closed while idle is replaced without failing the request', async (t) => {
  const server = await rawServer(t, (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  });
  const client = openClient(t, { connections: 1 });
  t.is(answered(await post(client, server.origin)).status, 200);
  for (const socket of server.sockets) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(answered(await post(client, server.origin)).status, 200);
});

test('a reused connection closed without an answer is retried once on a fresh connection', async (t) => {
  const server = await rawServer(t, (socket, request) => {
    if (request.index === 1) socket.destroy();
    else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n${request.index}`);
  });
  const client = openClient(t, { connections: 1 });
  t.is(answered(await post(client, server.origin)).responseBody, '0');
  t.is(answered(await post(client, server.origin)).responseBody, '2');
});

test('a silent server times out, a closed port is refused, a cut answer is a reset, garbage is an error', async (t) => {
  const failure = (exchange: Exchange) =>
    exchange.ok ? `answered ${exchange.status}` : exchange.error;
  const silent = await rawServer(t, () => {});
  t.is(failure(await post(openClient(t, { timeoutMs: 200 }), silent.origin)), 'timeout');
  t.is(failure(await post(openClient(t), 'http://127.0.0.1:9')), 'connection_refused');
  const cut = await rawServer(t, (socket) =>
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'),
  );
  t.is(failure(await post(openClient(t), cut.origin)), 'connection_reset');
  const garbage = await rawServer(t, (socket) => socket.write('SMTP ready\r\n\r\n'));
  t.is(failure(await post(openClient(t), garbage.origin)), 'network_error');
});

test('a header value with a line break is refused before anything is sent', async (t) => {
  const server = await rawServer(t, (socket) => socket.write('HTTP/1.1 200 OK\r\n\r\n'));
  const exchange = await post(openClient(t), server.origin, {
    'heap-hash': 'ts:1\r\nX-Injected: 1',
  });
  t.false(exchange.ok);
  t.is(server.connections(), 0);
});

test('https origins work over TLS with a trusted authority, and fail without it', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'delivery-tls-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    path.join(dir, 'key.pem'),
    '-out',
    path.join(dir, 'cert.pem'),
  ]);
  const [key, cert] = await Promise.all([
    readFile(path.join(dir, 'key.pem')),
    readFile(path.join(dir, 'cert.pem')),
  ]);
  const server = await rawServer(
    t,
    (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntls'),
    { tls: { key, cert } },
  );
  t.is(
    answered(await post(openClient(t, { ca: cert }), `${server.origin}/hook`)).responseBody,
    'tls',
  );
  const untrusting = await post(openClient(t), `${server.origin}/hook`);
  t.false(untrusting.ok);
});
