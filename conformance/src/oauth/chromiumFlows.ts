// Drives the genuine flow and the HTML-canary flow in the system Chromium (playwright-core), to see
// what only a browser engine shows: whether the canary's script runs, what the DOM, cookies and
// storage hold, where the page ends, and what the pages after the callback request elsewhere.
// Nothing leaves the loopback hosts: other requests are recorded and aborted.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CHROMIUM_ARGS,
  chromiumPathFrom,
  chromiumPresent,
} from '../../../support/src/chromiumLaunch.ts';
import type { ChromiumFlow } from './flowTypes.ts';
import { CANARY_GLOBAL } from './metadataCanary.ts';
import { GENUINE, type FlowScenario } from './providerTypes.ts';
import type { TestProvider } from './testProvider.ts';

export interface ChromiumSettings {
  startUrl: string;
  redirectUri: string;
  provider: TestProvider;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

type Playwright = typeof import('playwright-core');

const isLoopback = (url: URL) =>
  url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);

/** Why Chromium cannot be used here, or null. */
export async function chromiumUnavailable(
  env: NodeJS.ProcessEnv,
): Promise<{ reason: string } | { playwright: Playwright; executablePath: string }> {
  const executablePath = chromiumPathFrom(env);
  if (!chromiumPresent(executablePath)) {
    return { reason: `no Chromium at ${executablePath} (set CHROMIUM_PATH)` };
  }
  try {
    return { playwright: await import('playwright-core'), executablePath };
  } catch {
    return { reason: 'playwright-core is not installed (npm install playwright-core)' };
  }
}

async function runOne(
  playwright: Playwright,
  executablePath: string,
  settings: ChromiumSettings,
  name: string,
  scenario: FlowScenario,
): Promise<ChromiumFlow> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'oauth-conformance-chromium-'));
  const record = settings.provider.beginFlow(name, scenario);
  const callbackOrigin = new URL(settings.redirectUri).origin;
  const callbackPath = new URL(settings.redirectUri).pathname;
  const requestedUrls: string[] = [];
  const crossOriginRequests: ChromiumFlow['crossOriginRequests'] = [];
  let afterCallback = false;
  const result: ChromiumFlow = {
    record,
    finalUrl: '',
    error: null,
    canaryScriptRan: false,
    canaryElementInDom: false,
    dom: '',
    cookies: [],
    storage: [],
    crossOriginRequests,
    requestedUrls,
  };
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (/^https?:$/.test(url.protocol) && !isLoopback(url)) await route.abort();
      else await route.continue();
    });
    context.on('request', (request) => {
      const url = new URL(request.url());
      requestedUrls.push(request.url());
      if (url.origin === callbackOrigin && url.pathname === callbackPath) afterCallback = true;
      else if (afterCallback && url.origin !== callbackOrigin && /^https?:$/.test(url.protocol)) {
        crossOriginRequests.push({
          url: request.url(),
          referer: request.headers().referer ?? null,
        });
      }
    });
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      await page.goto(settings.startUrl, { waitUntil: 'load', timeout: settings.timeoutMs * 3 });
      await page.waitForLoadState('networkidle', { timeout: 2_000 }).catch(() => {});
    } catch (error) {
      result.error = (error as Error).message.split('\n')[0]!;
    }
    result.finalUrl = page.url();
    const marker = record.issued.canaryMarker;
    const seen = await page
      .evaluate(
        ({ global, id }) => {
          const read = (storage: Storage) =>
            Array.from({ length: storage.length }, (_, index) => {
              const key = storage.key(index) ?? '';
              return `${key}=${storage.getItem(key) ?? ''}`;
            });
          let storage: string[] = [];
          try {
            storage = [...read(localStorage), ...read(sessionStorage)];
          } catch {
            // An opaque origin has no storage.
          }
          return {
            ran: (window as unknown as Record<string, unknown>)[global] !== undefined,
            element: document.getElementById(id) !== null,
            dom: document.documentElement.outerHTML,
            storage,
          };
        },
        { global: CANARY_GLOBAL, id: `oauth-canary-${marker}` },
      )
      .catch(() => null);
    if (seen) {
      result.canaryScriptRan = seen.ran;
      result.canaryElementInDom = seen.element;
      result.dom = seen.dom;
      result.storage = seen.storage;
    }
    result.cookies = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`);
    return result;
  } finally {
    settings.provider.endFlow();
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

export async function chromiumFlows(
  settings: ChromiumSettings,
  available: { playwright: Playwright; executablePath: string },
): Promise<{ genuine: ChromiumFlow; htmlCanary: ChromiumFlow }> {
  const { playwright, executablePath } = available;
  return {
    genuine: await runOne(playwright, executablePath, settings, 'genuine (Chromium)', GENUINE),
    htmlCanary: await runOne(playwright, executablePath, settings, 'HTML in metadata (Chromium)', {
      ...GENUINE,
      metadata: 'html-canary',
    }),
  };
}
