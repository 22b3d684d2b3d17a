// Launches the system Chromium headless for browser tests, with a fresh profile and no background
// traffic, and says when a test must skip (no browser locally); in CI a missing browser fails.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPathFrom } from '../src/chromiumLaunch.ts';

/** Where the browser is expected (`CHROMIUM_PATH` overrides). */
export const chromiumPath = chromiumPathFrom();

export interface HeadlessChromium {
  /** A browser context on a profile directory of its own. */
  context: BrowserContext;
  /** The fresh --user-data-dir, removed by close(). */
  profileDir: string;
  /** Closes the browser and removes its profile directory. */
  close(): Promise<void>;
}

/**
 * Why browser tests cannot run here, or null when they can. In CI (`CI=true`) a missing browser is
 * never a reason to skip: the tests run and fail.
 */
export function chromiumMissingReason(
  env: NodeJS.ProcessEnv = process.env,
  executablePath = chromiumPath,
): string | null {
  if (existsSync(executablePath) || env.CI === 'true') return null;
  return `no Chromium at ${executablePath} (set CHROMIUM_PATH): browser tests skipped`;
}

/** chromiumMissingReason, also printed with console.warn so that the skip is visible. */
export function chromiumSkipReason(): string | null {
  const reason = chromiumMissingReason();
  if (reason) console.warn(`[browser tests] ${reason}`);
  return reason;
}

export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    // A persistent context is the only way Playwright accepts a chosen --user-data-dir.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
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
