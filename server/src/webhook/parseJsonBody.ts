// Parses verified body bytes as UTF-8 JSON, reporting why it is not.
export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(bytes: Uint8Array): JsonBodyResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, message: 'The body is not valid UTF-8.' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      message:
        text.trim() === ''
          ? 'The body is empty.'
          : `The body is not valid JSON: ${(error as Error).message}`,
    };
  }
}
