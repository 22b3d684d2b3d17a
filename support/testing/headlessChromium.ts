// Launches the system Chromium headless for browser tests, with a fresh profile and no background
// traffic, and says when a test must skip (no browser locally) or fail (no browser in CI).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep the browser headless, sandbox-free in containers and silent on the network. */
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

export interface HeadlessChromium {
  /** A browser context on a profile directory of its own. */
  context: BrowserContext;
  /** The fresh --user-data-dir, removed by close(). */
  profileDir: string;
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

/**
 * Null when browser tests can run; otherwise the notice to show for skipping them, also printed
 * with console.warn so the skip is visible in any output. Throws when CI=true and the browser is
 * missing, because CI must run every browser test.
 */
export function chromiumSkipNotice(
  env: NodeJS.ProcessEnv = process.env,
  executablePath = CHROMIUM_PATH,
): string | null {
  if (existsSync(executablePath)) return null;
  const notice = `Chromium not found at ${executablePath}: browser tests skipped (install it, e.g. apt-get install chromium)`;
  if (env.CI === 'true') throw new Error(`${notice}; CI=true requires it`);
  console.warn(notice);
  return notice;
}

export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    // A persistent context is the only way Playwright accepts a chosen --user-data-dir.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    return {
      context,
      profileDir: profile,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
