// hub.json keeps what the Developer Hub changed; settings nobody saved follow the environment, so a
// sandbox restarted on another PORT delivers to the new port.
import test from 'ava';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HubState } from '../mockHeap/hub/hubState.ts';

const onPort = (port: number) => ({
  webhookUrl: `http://127.0.0.1:${port}/webhooks/heap`,
  redirectUri: `http://localhost:${port}/api/oauth_redirect`,
});

test('unsaved settings follow the defaults across restarts; saved ones stay', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const first = new HubState(dir, onPort(3000));
  first.addAccount({
    idToken: 'account-1',
    envId: '1',
    authorizedBy: 'a@example.co',
    authorizedAt: '2026-01-01T00:00:00.000Z',
  });
  const restarted = new HubState(dir, onPort(3100));
  t.deepEqual(restarted.data.settings, onPort(3100));
  t.deepEqual(
    restarted.data.accounts.map((account) => account.idToken),
    ['account-1'],
  );

  restarted.saveSettings({ ...onPort(3100), webhookUrl: 'http://127.0.0.1:3100/users_sync' });
  const again = new HubState(dir, onPort(3200));
  t.is(again.data.settings.webhookUrl, 'http://127.0.0.1:3100/users_sync');
  t.is(again.data.settings.redirectUri, onPort(3100).redirectUri);
});

test('a hub.json that is not JSON is named in the error', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-state-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'hub.json'), '{not json');
  t.throws(() => new HubState(dir, onPort(3000)), { message: /hub\.json is not valid JSON/ });
  t.is(await readFile(path.join(dir, 'hub.json'), 'utf8'), '{not json', 'left as it was');
});
