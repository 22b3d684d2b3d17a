// Strings from payloads as exact bytes: JSON may carry lone surrogates ("\ud800") and NUL, which
// UTF-8 text columns mangle or refuse. WTF-8 encodes every JavaScript string one-to-one (it is
// UTF-8 for well-formed strings, and keeps a lone surrogate as its own three bytes), and its byte
// order is code point order, so stored ids keep their identity and their sort order.

const LONE_SURROGATE = /\p{Cs}/u;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The WTF-8 bytes of `text`. */
export function encodeExactText(text: string): Buffer {
  if (!LONE_SURROGATE.test(text)) return Buffer.from(text, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
      i++;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000)
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
  }
  return Buffer.from(bytes);
}

/** The string whose WTF-8 bytes are `bytes` (the inverse of `encodeExactText`). */
export function decodeExactText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Only strings with a lone surrogate take this path: the bytes were written by encodeExactText
    // (or SQLite's JSON parser, which encodes the same way), so every sequence is well formed.
    let text = '';
    for (let i = 0; i < bytes.length;) {
      const first = bytes[i]!;
      let code: number;
      if (first < 0x80) {
        code = first;
        i += 1;
      } else if (first < 0xe0) {
        code = ((first & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
        i += 2;
      } else if (first < 0xf0) {
        code = ((first & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
        i += 3;
      } else {
        code =
          ((first & 0x07) << 18) |
          ((bytes[i + 1]! & 0x3f) << 12) |
          ((bytes[i + 2]! & 0x3f) << 6) |
          (bytes[i + 3]! & 0x3f);
        i += 4;
      }
      text += String.fromCodePoint(code);
    }
    return text;
  }
}
