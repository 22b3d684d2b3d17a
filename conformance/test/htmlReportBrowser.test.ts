// The --html report rendered in headless Chromium: what a partner sees for a run that fails, and
// that the page loads nothing from anywhere.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  chromiumSkipReason,
  launchHeadlessChromium,
} from '../../support/testing/headlessChromium.ts';
import { runCli } from '../../support/testing/runCli.ts';
import { startFixturePartner } from './fixtures/fixturePartner.ts';

const secret = 'html-browser-secret';
const skipNotice = chromiumSkipReason();
const browserTest = skipNotice ? test.skip : test;

browserTest(
  'the report of a failing run shows its counts and failures, and loads nothing',
  async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'html-report-browser-'));
    const partner = await startFixturePartner({ secret, flaws: ['reserialised-json'] });
    const browser = await launchHeadlessChromium();
    t.teardown(async () => {
      await browser.close();
      await partner.close();
      await rm(dir, { recursive: true, force: true });
    });
    const htmlFile = path.join(dir, 'report.html');
    const jsonFile = path.join(dir, 'report.json');
    const outcome = await runCli('conformance/src/cli.ts', [
      ...['--url', partner.syncUrl, '--drain-url', partner.drainUrl, '--secret', secret],
      ...['--inspect-url', partner.inspectUrl, '--only', 'signature'],
      ...['--html', htmlFile, '--json', jsonFile],
    ]);
    t.is(outcome.code, 1, outcome.stdout + outcome.stderr);
    const { summary } = JSON.parse(await readFile(jsonFile, 'utf8')) as {
      summary: Record<'passed' | 'failed' | 'warnings' | 'skipped', number>;
    };

    const reportUrl = pathToFileURL(htmlFile).toString();
    const requested: string[] = [];
    browser.context.on('request', (request) => requested.push(request.url()));
    // Anything but the report itself is refused, so a stray reference cannot reach the network.
    await browser.context.route(
      (url) => url.toString() !== reportUrl,
      (route) => route.abort(),
    );
    const page = await browser.context.newPage();
    await page.goto(reportUrl);

    t.is(await page.title(), 'Heap webhook conformance: FAIL');
    const count = (label: string) =>
      page.locator('dl.counts div', { has: page.locator('dt', { hasText: label }) }).locator('dd');
    t.is(await count('Passed').textContent(), String(summary.passed));
    t.is(await count('Failed').textContent(), String(summary.failed));
    t.is(await count('Warnings').textContent(), String(summary.warnings));
    t.true(summary.failed >= 2);

    const finding = page.locator('article#case-signature\\.pretty-printed');
    t.true(await finding.isVisible());
    const text = (await finding.innerText()).replace(/\s+/g, ' ');
    t.regex(
      text,
      /FAILED \(must\): signature\.pretty-printed A genuine pretty-printed body is accepted/,
    );
    t.regex(text, /Severity must/);
    t.regex(text, /What happened pretty-printed: expected a 2xx, got 403/);
    t.regex(text, /Likely cause [^.]*re-serialisation of the parsed JSON/);
    t.regex(text, /Spec webhook_spec\.yaml#/);
    t.regex(text, /sent POST http:\/\/127\.0\.0\.1:\d+\/sync/);
    // The header was sent with a valid signature: the page shows it only redacted.
    t.regex(text, /Heap-Hash: "ts:\d{13},hmac:[<[][^"]*44 /);
    t.notRegex(await page.content(), /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=/);

    // The group table links each failure to its details.
    await page.getByRole('link', { name: 'signature.escaped-unicode' }).click();
    t.true(page.url().endsWith('#case-signature.escaped-unicode'));
    const row = page.getByRole('row', { name: /signature\.missing-header/ });
    t.regex((await row.innerText()).replace(/\s+/g, ' '), /passed must/);

    t.deepEqual(
      requested.filter((url) => url !== reportUrl && !url.startsWith(`${reportUrl}#`)),
      [],
    );
  },
);
