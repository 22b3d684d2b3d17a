// Loads spec/corpus/: every payload shape Heap has published, as the exact bytes Heap's tools send.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { specDir } from './specFiles.ts';
import { DRAIN_ACTION, SYNC_ACTION } from './webhookTypes.ts';

export const corpusDir = path.join(specDir, 'corpus');

/** Where a corpus payload comes from; `heap-described`: Heap describes it but never published bytes. */
export type CorpusSource = 'heap-spec' | 'heap-reference-app' | 'heap-described';

/**
 * Who puts a payload on the wire. `production`: the shape of every payload Heap has published for a
 * customer's sync (an id_token, customer_config with fields); `local-test-script`: only Heap's local
 * test script (e.g. with ID_TOKEN unset); `developer-hub-sample`: only the Developer Hub's "Send
 * sample segment"; `spec-description`: a shape Heap's spec allows that no published payload shows.
 */
export type CorpusProducer =
  'production' | 'local-test-script' | 'developer-hub-sample' | 'spec-description';

export interface CorpusEntry {
  /** The file name without `.json`, e.g. `reference-app-sync-without-id-token`. */
  name: string;
  /** Path relative to spec/corpus/. */
  file: string;
  action: typeof SYNC_ACTION | typeof DRAIN_ACTION;
  /** Whether the body carries an id_token, none, or an empty one. */
  idToken: 'present' | 'absent' | 'empty';
  source: CorpusSource;
  producedBy: CorpusProducer;
  /** How Heap's reference app answers this payload, when it refuses it. */
  referenceAppAnswer?: string;
  /** One line on where the bytes come from. */
  origin: string;
  /** The body exactly as Heap's tools put it on the wire. */
  bytes: Buffer;
}

interface CorpusIndex {
  entries: Omit<CorpusEntry, 'name' | 'bytes'>[];
}

let entries: CorpusEntry[] | null = null;

/** Every corpus entry, in the index's order. */
export function fidelityCorpus(): CorpusEntry[] {
  if (!entries) {
    const index = JSON.parse(
      readFileSync(path.join(corpusDir, 'index.json'), 'utf8'),
    ) as CorpusIndex;
    entries = index.entries.map((entry) => ({
      ...entry,
      name: path.basename(entry.file, '.json'),
      bytes: readFileSync(path.join(corpusDir, entry.file)),
    }));
  }
  return entries.map((entry) => ({ ...entry, bytes: Buffer.from(entry.bytes) }));
}

/**
 * The entry's bytes for a receiver that knows only `idToken`: an id_token the entry carries is
 * replaced in place, every other byte kept (the corpus is compact JSON, so re-serialising after the
 * swap gives Heap's layout back). Entries without an id_token, or with an empty one, are unchanged.
 */
export function corpusBytesFor(entry: CorpusEntry, idToken: string): Buffer {
  if (entry.idToken !== 'present') return Buffer.from(entry.bytes);
  const payload = JSON.parse(entry.bytes.toString('utf8')) as Record<string, unknown>;
  payload.id_token = idToken;
  return Buffer.from(JSON.stringify(payload), 'utf8');
}
