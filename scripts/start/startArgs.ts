// `npm start` flags: --tls and --help; everything else comes from the environment.
import { commandLine, invokedAsInstalled } from '../../support/src/commandLine.ts';
import { parseMockHeapArgs, type MockHeapArgs } from '../mockHeap/mockHeapArgs.ts';

export const startUsage = `Usage: ${invokedAsInstalled() ? 'heap-sync start [--tls]' : 'npm start [-- --tls]'}

Starts the local sandbox: the mock Heap with its Developer Hub (MOCK_HEAP_PORT, default 4010) and
the reference server (PORT, default 3000), wired to each other on development defaults.
Ctrl-C stops both.

Options:
  --tls        the mock Heap serves HTTPS with a local certificate authority (created once in
               MOCK_HEAP_DATA_DIR); the server is started trusting it
  -h, --help   this help

Environment (or .env): every setting of ${commandLine('server').replace(/ --$/, '')} and ${commandLine('mock:heap').replace(/ --$/, '')}, for example
  ADMIN_TOKEN          enables the server's inspection API (/admin), at least 16 characters
  DATABASE_URL         the server's store (default sqlite:./data/partner.db)
  MOCK_HEAP_DATA_DIR   the Developer Hub's data (default ./data/mock-heap)`;

/** npm start takes the mock Heap's flags (it passes --tls on to it). */
export type StartArgs = MockHeapArgs;
export const parseStartArgs = (argv: string[]): StartArgs =>
  parseMockHeapArgs(argv, { command: commandLine('start'), env: process.env });
