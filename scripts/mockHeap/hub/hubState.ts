// What the Developer Hub keeps in the mock's data directory (hub.json): the integration's settings,
// the test segments and the accounts connected through the OAuth flow. Access tokens stay in memory.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface HubSettings {
  /** Where deliveries go. */
  webhookUrl: string;
  /** The OAuth redirect URL the authorize endpoint accepts, matched exactly. */
  redirectUri: string;
}

export interface TestSegment {
  id: number;
  name: string;
  /** Members: that many simulated users, all sent as added by "Sync now". */
  users: number;
  pageSize: number;
  /** The connected account the segment's deliveries belong to (null: the sample id_token). */
  idToken: string | null;
  /** Minutes between scheduled syncs; null when only "Sync now" syncs it. */
  scheduleMinutes: number | null;
}

export interface ConnectedAccount {
  idToken: string;
  envId: string;
  authorizedBy: string;
  /** ISO 8601. */
  authorizedAt: string;
}

export interface HubData {
  settings: HubSettings;
  segments: TestSegment[];
  accounts: ConnectedAccount[];
}

/** What hub.json holds: only the settings someone saved, so the others follow the environment. */
interface StoredHubData {
  settings?: Partial<HubSettings>;
  segments?: TestSegment[];
  accounts?: ConnectedAccount[];
}

export const HUB_FILE = 'hub.json';

function readStored(file: string): StoredHubData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    return JSON.parse(text) as StoredHubData;
  } catch {
    throw new Error(`${file} is not valid JSON: fix or delete it`);
  }
}

/** Reads hub.json from `dataDir`; settings nobody saved are the `defaults`. */
export function readHubData(dataDir: string, defaults: HubSettings): HubData {
  return hubDataFrom(readStored(path.join(dataDir, HUB_FILE)), defaults);
}

function hubDataFrom(stored: StoredHubData, defaults: HubSettings): HubData {
  return {
    settings: { ...defaults, ...stored.settings },
    segments: Array.isArray(stored.segments) ? stored.segments : [],
    accounts: Array.isArray(stored.accounts) ? stored.accounts : [],
  };
}

/** The hub's data, saved whole (write then rename, so a crash never leaves half a file). */
export class HubState {
  readonly #file: string;
  readonly data: HubData;
  #savedSettings: Partial<HubSettings>;

  constructor(dataDir: string, defaults: HubSettings) {
    mkdirSync(dataDir, { recursive: true });
    this.#file = path.join(dataDir, HUB_FILE);
    const stored = readStored(this.#file);
    this.#savedSettings = stored.settings ?? {};
    this.data = hubDataFrom(stored, defaults);
  }

  /** True when this setting was saved in the Hub (and so overrides the environment). */
  isSaved(name: keyof HubSettings): boolean {
    return this.#savedSettings[name] !== undefined;
  }

  saveSettings(settings: HubSettings): void {
    this.#savedSettings = { ...settings };
    this.data.settings = { ...settings };
    this.#save();
  }

  #save(): void {
    const stored: StoredHubData = {
      settings: this.#savedSettings,
      segments: this.data.segments,
      accounts: this.data.accounts,
    };
    const temporary = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`);
    renameSync(temporary, this.#file);
  }

  /** The account deliveries use when none is chosen: the one connected last. */
  latestAccount(): ConnectedAccount | undefined {
    return this.data.accounts.at(-1);
  }

  addAccount(account: ConnectedAccount): void {
    this.data.accounts.push(account);
    this.#save();
  }

  addSegment(segment: Omit<TestSegment, 'id'>): TestSegment {
    const taken = new Set(this.data.segments.map((existing) => existing.id));
    let id = 1_000_001 + this.data.segments.length;
    while (taken.has(id)) id++;
    const created = { id, ...segment };
    this.data.segments.push(created);
    this.#save();
    return created;
  }

  segment(id: number): TestSegment | undefined {
    return this.data.segments.find((segment) => segment.id === id);
  }
}
