// Posts one delivery over real HTTP (undici) for tests and reports the answer; network failures are
// answers too, so a test can assert on them.
import { request } from 'undici';

export type PostedDelivery =
  | {
      ok: true;
      status: number;
      responseHeaders: Record<string, string | string[] | undefined>;
      responseBody: string;
    }
  | { ok: false; message: string };

export async function postDelivery(
  delivery: { url: string; body: Buffer; headers: Record<string, string> },
  options: { timeoutMs?: number } = {},
): Promise<PostedDelivery> {
  try {
    const response = await request(delivery.url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      headersTimeout: options.timeoutMs ?? 10_000,
      bodyTimeout: options.timeoutMs ?? 10_000,
    });
    return {
      ok: true,
      status: response.statusCode,
      responseHeaders: response.headers,
      responseBody: await response.body.text(),
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
