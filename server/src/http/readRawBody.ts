// Reads a request body as the exact bytes received, up to a size limit.
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

export type RawBodyResult =
  { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; error: string; message: string };

export async function readRawBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<RawBodyResult> {
  try {
    const length = request.headers['content-length'];
    const bytes = await getRawBody(request, { limit: limitBytes, length });
    return { ok: true, bytes };
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      return {
        ok: false,
        status: 413,
        error: 'payload_too_large',
        message: `The body is larger than the ${limitBytes} bytes this server accepts.`,
      };
    }
    return {
      ok: false,
      status: 400,
      error: 'unreadable_body',
      message: 'The body could not be read completely (aborted, or shorter than Content-Length).',
    };
  }
}
