// The day-one walk in real headless Chromium: `npm start`, connect a Heap account on the reference
// server's connect page, open the Developer Hub, register the webhook URL, reveal the secret, send
// the sample segment and watch its 200 arrive in the live delivery log.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { runTypeScript, waitForUrl } from '../../support/src/spawnListening.ts';
import { stopProcessGroup } from '../../support/testing/stopProcessGroup.ts';
import {
  chromiumSkipReason,
  launchHeadlessChromium,
} from '../../support/testing/headlessChromium.ts';

const title =
  'npm start -> connect -> reveal secret -> send sample segment -> 200 in the delivery log';
const skipReason = chromiumSkipReason();

if (skipReason) {
  test.skip(`${title} (${skipReason})`, () => {});
} else {
  test(title, async (t) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-browser-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const [port, mockPort] = [await freePort(), await freePort()];
    const adminToken = 'hub-browser-admin-token-0123';
    // Run from a temp folder: the store and the mock's data directory default to ./data there.
    const sandboxRun = runTypeScript(path.join(projectRoot, 'scripts/start.ts'), {
      cwd: dir,
      env: { PORT: String(port), MOCK_HEAP_PORT: String(mockPort), ADMIN_TOKEN: adminToken },
      detached: true,
    });
    t.teardown(() => stopProcessGroup(sandboxRun));
    const sandbox = await waitForUrl(sandboxRun, /Connect page:\s+(http:\/\/\S+)/, 120_000);
    const connectUrl = sandbox.url;
    const hubUrl = /Developer Hub:\s+(http:\/\/\S+)/.exec(sandbox.output())![1]!;

    const chromium = await launchHeadlessChromium();
    t.teardown(() => chromium.close());
    const page = await chromium.context.newPage();

    await page.goto(connectUrl);
    await page.getByRole('button', { name: 'Connect Heap' }).click();
    await page.getByRole('heading', { name: 'Heap connected' }).waitFor();
    // The page does not show the id_token; the inspection API names the connected account.
    const listed = (await (
      await fetch(`http://127.0.0.1:${port}/admin/connections`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { connections: { id_token: string }[] };
    const idToken = listed.connections[0]!.id_token;
    t.regex(idToken, /^[0-9a-f-]{36}$/);
    t.false((await page.content()).includes(idToken));

    await page.goto(hubUrl);
    await page.getByRole('cell', { name: idToken }).waitFor();
    await page.getByLabel('Webhook URL').fill(`http://127.0.0.1:${port}/users_sync`);
    await page.getByRole('button', { name: 'Save' }).click();
    t.is(await page.locator('#notice').textContent(), 'Settings saved.');

    t.is(await page.getByLabel('Webhook secret').textContent(), 'hidden');
    await page.getByRole('button', { name: 'Reveal webhook secret' }).click();
    t.is(await page.getByLabel('Webhook secret').textContent(), 'dev-webhook-secret');

    await page.getByRole('button', { name: 'Send sample segment' }).click();
    const row = page.locator('#delivery-log tr', { hasText: 'Sample Segment' }).first();
    await row.waitFor({ timeout: 30_000 });
    const cells = await row.locator('td').allTextContents();
    // The timestamp fits on one line, and the page has the connect page's look.
    t.is(
      await row
        .locator('td')
        .first()
        .evaluate((cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)))
            .size;
        }),
      1,
    );
    t.is(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(31, 35, 48)');
    // time, action, segment, page, HTTP status, result, attempts, latency, response
    t.deepEqual(cells.slice(1, 7), [
      'sample',
      'Sample Segment (1338065)',
      'page 1/1',
      '200',
      'delivered',
      '1',
    ]);
    t.regex(cells[8]!, /applied|duplicate|ok/i);
    // Another action does not hide the revealed secret again; "Hide webhook secret" does.
    t.is(await page.getByLabel('Webhook secret').textContent(), 'dev-webhook-secret');
    await page.getByRole('button', { name: 'Hide webhook secret' }).click();
    await page.getByRole('button', { name: 'Reveal webhook secret' }).waitFor();
    t.is(await page.getByLabel('Webhook secret').textContent(), 'hidden');

    // The open page updates itself: a delivery started elsewhere appears without a reload.
    const shownAt = page.url();
    const hubOrigin = new URL(hubUrl).origin;
    const again = await fetch(`${hubOrigin}/hub/sample`, {
      method: 'POST',
      headers: { origin: hubOrigin },
      redirect: 'manual',
    });
    t.is(again.status, 303);
    await page
      .locator('#delivery-log tr', { hasText: 'Sample Segment' })
      .nth(1)
      .waitFor({ timeout: 30_000 });
    t.is(page.url(), shownAt);

    // The partner stored the sample under the account the browser connected.
    const segments = (await (
      await fetch(`http://127.0.0.1:${port}/admin/segments?id_token=${idToken}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
    ).json()) as { segments: { segment_id: number }[] };
    t.deepEqual(
      segments.segments.map((segment) => segment.segment_id),
      [1338065],
    );
  });
}
