// Where the system Chromium is and the flags every headless launch uses: headless, sandbox-free in
// containers, and silent on the network (no updates, sync or background requests).
import { existsSync } from 'node:fs';

/** The browser's path: `CHROMIUM_PATH`, else /usr/bin/chromium. */
export const chromiumPathFrom = (env: NodeJS.ProcessEnv = process.env) =>
  env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';

/** True when a browser is at that path. */
export const chromiumPresent = (path: string) => existsSync(path);

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
