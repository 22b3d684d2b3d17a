// Launches the system Chromium headless through playwright-core, with a fresh profile, for browser
// tests; says when no browser is installed so tests can skip visibly (and fail in CI).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where the browser is expected (`CHROMIUM_PATH` overrides). */
export const chromiumPath = process.env.CHROMIUM_PATH?.trim() || '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or null when they can. In CI (`CI=true`) a missing browser is
 * never a reason to skip: the tests run and fail.
 */
export function chromiumSkipReason(): string | null {
  if (existsSync(chromiumPath) || process.env.CI === 'true') return null;
  const reason = `no Chromium at ${chromiumPath} (set CHROMIUM_PATH): browser tests skipped`;
  console.warn(`[browser tests] ${reason}`);
  return reason;
}

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return {
      context,
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
