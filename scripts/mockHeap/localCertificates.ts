// A local certificate authority and a certificate for localhost and 127.0.0.1 signed by it, made
// once in the mock's data directory, so that the mock Heap can serve HTTPS that a partner's
// unmodified client trusts through NODE_EXTRA_CA_CERTS.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface LocalCertificates {
  /** The CA certificate a client trusts (`NODE_EXTRA_CA_CERTS=<caFile>`). */
  caFile: string;
  /** The server's key and certificate (PEM). */
  key: string;
  cert: string;
  /** Whether this call created them (false: read from an earlier run). */
  created: boolean;
}

const DAY_MS = 86_400_000;

async function readAll(files: string[]): Promise<string[] | null> {
  try {
    return await Promise.all(files.map((file) => readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function localCertificates(dataDir: string): Promise<LocalCertificates> {
  const dir = path.join(dataDir, 'tls');
  const files = {
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    cert: path.join(dir, 'localhost.crt'),
    key: path.join(dir, 'localhost.key'),
  };
  const existing = await readAll([files.cert, files.key, files.caCert]);
  if (existing) {
    const [cert, key] = existing as [string, string];
    return { caFile: files.caCert, key, cert, created: false };
  }
  const now = Date.now();
  const ca = await generate([{ name: 'commonName', value: 'Heap Segment Sync toolkit local CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 3650 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    // Browsers refuse server certificates valid for longer than 398 days.
    notAfterDate: new Date(now + 397 * DAY_MS),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(files.caKey, ca.private, { mode: 0o600 });
  await writeFile(files.key, server.private, { mode: 0o600 });
  await chmod(files.caKey, 0o600);
  await chmod(files.key, 0o600);
  await writeFile(files.caCert, ca.cert);
  await writeFile(files.cert, server.cert);
  return { caFile: files.caCert, key: server.private, cert: server.cert, created: true };
}
