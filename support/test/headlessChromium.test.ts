// The shared browser launcher: it opens a page in the system Chromium on a profile of its own, and
// a missing browser skips locally but not in CI, where the test then fails.
import test from 'ava';
import { existsSync } from 'node:fs';
import {
  chromiumMissingReason,
  chromiumSkipReason,
  launchHeadlessChromium,
} from '../testing/headlessChromium.ts';

const skipNotice = chromiumSkipReason();
const browserTest = skipNotice ? test.skip : test;

browserTest('renders a page and removes its profile when closed', async (t) => {
  const browser = await launchHeadlessChromium();
  try {
    t.true(existsSync(browser.profileDir));
    const page = await browser.context.newPage();
    await page.setContent('<main><h1>Rendered &amp; read</h1></main>');
    t.is(await page.getByRole('heading').textContent(), 'Rendered & read');
  } finally {
    await browser.close();
  }
  t.false(existsSync(browser.profileDir));
});

test('a missing browser is a visible skip locally and no reason to skip in CI', (t) => {
  const missing = '/nonexistent/chromium';
  t.regex(chromiumMissingReason({}, missing) ?? '', /no Chromium at \/nonexistent\/chromium/);
  t.is(chromiumMissingReason({ CI: 'true' }, missing), null);
});
