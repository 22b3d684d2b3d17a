// An HTTP endpoint on a free loopback port that answers from a script and records every request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (to provoke a client timeout). */
  hang?: boolean;
}

export interface RecordedRequest {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  receivedAt: number;
}

export interface ScriptedSink {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers request n with script[n] (the last entry repeats). */
export async function startScriptedSink(script: ScriptedAnswer[]): Promise<ScriptedSink> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        headers: request.headers,
        body: Buffer.concat(chunks),
        receivedAt: Date.now(),
      });
      const answer = script[Math.min(requests.length - 1, script.length - 1)]!;
      if (answer.hang) return;
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body ?? JSON.stringify({ status: answer.status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
