// One-dimensional arrays in PostgreSQL's binary wire format (what array_recv reads): a page's ids
// and flags go to the database as one parameter each, with no text array to build, escape and
// parse. node-postgres sends a Buffer parameter as binary as it is.
import { encodeExactText } from '../exactText.ts';

const BYTEA_OID = 17;
const BOOL_OID = 16;
/** ndim, has-nulls flag, element type, then the one dimension's length and lower bound. */
const HEADER_BYTES = 20;
const LONE_SURROGATE = /\p{Cs}/u;

function writeHeader(buffer: Buffer, elementOid: number, length: number): void {
  buffer.writeInt32BE(1, 0);
  buffer.writeInt32BE(0, 4);
  buffer.writeInt32BE(elementOid, 8);
  buffer.writeInt32BE(length, 12);
  buffer.writeInt32BE(1, 16);
}

/** A `bytea[]` of the WTF-8 bytes of each string (as `encodeExactText` gives them). */
export function byteaArrayOfTexts(texts: readonly string[]): Buffer {
  let size = HEADER_BYTES;
  let exact = true;
  for (const text of texts) {
    size += 4 + Buffer.byteLength(text, 'utf8');
    // Buffer.byteLength counts a lone surrogate as U+FFFD's three bytes, as WTF-8 does, but writes
    // U+FFFD: such strings are encoded one by one below.
    if (exact && LONE_SURROGATE.test(text)) exact = false;
  }
  const buffer = Buffer.allocUnsafe(size);
  writeHeader(buffer, BYTEA_OID, texts.length);
  let offset = HEADER_BYTES;
  for (const text of texts) {
    const start = offset + 4;
    const written = exact
      ? buffer.write(text, start, 'utf8')
      : encodeExactText(text).copy(buffer, start);
    buffer.writeInt32BE(written, offset);
    offset = start + written;
  }
  return buffer;
}

/** A `boolean[]`. */
export function booleanArray(values: readonly boolean[]): Buffer {
  const buffer = Buffer.allocUnsafe(HEADER_BYTES + values.length * 5);
  writeHeader(buffer, BOOL_OID, values.length);
  let offset = HEADER_BYTES;
  for (const value of values) {
    buffer.writeInt32BE(1, offset);
    buffer[offset + 4] = value ? 1 : 0;
    offset += 5;
  }
  return buffer;
}
