// The id_token `npm run send` uses when --id-token is not given: ID_TOKEN (as Heap's test sender
// reads it), else the account connected last through the mock Heap's Developer Hub, read from its
// data directory, so sends after "Connect Heap" belong to that account.
import path from 'node:path';
import { readHubData } from '../mockHeap/hub/hubState.ts';

export interface DefaultAccount {
  idToken: string;
  /** Where it came from, for the line `npm run send` prints. */
  source: 'ID_TOKEN' | 'mock Heap';
}

export function defaultAccount(env: NodeJS.ProcessEnv, cwd: string): DefaultAccount | null {
  const fromEnv = env.ID_TOKEN?.trim();
  if (fromEnv) return { idToken: fromEnv, source: 'ID_TOKEN' };
  const dataDir = path.resolve(cwd, env.MOCK_HEAP_DATA_DIR?.trim() || 'data/mock-heap');
  try {
    const latest = readHubData(dataDir, { webhookUrl: '', redirectUri: '' }).accounts.at(-1);
    return latest ? { idToken: latest.idToken, source: 'mock Heap' } : null;
  } catch {
    // An unreadable hub file is the mock's problem; sending falls back to the sample id_token.
    return null;
  }
}
