// `npm run conformance -- oauth` judged from outside: every OAuth connect-flow fixture (correct
// independent apps, one defective app per must, one that behaves as Heap's reference app) is
// certified as a child process, and its exit code, the exact set of failed cases and the warnings
// it must at least get are compared with the verdict derived from the RFCs. No report or output
// may carry the client secret, the inspection token or any token Heap's stand-in issued.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/src/freePort.ts';
import { chromiumPath, chromiumSkipReason } from '../../support/testing/headlessChromium.ts';
import { runCli } from '../../support/testing/runCli.ts';
import { oauthCaseIds, oauthFixtures, type OAuthFixture } from './fixtures/oauth/index.ts';

const clientId = 'fixture-client-id';
const clientSecret = 'fixture-client-secret-4d1f0c9e7b';
const noBrowser = chromiumSkipReason() !== null;

interface Report {
  summary: Record<string, number>;
  cases: { id: string; group: string; status: string; message: string }[];
}

let workDir: string;
test.before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'oauth-fixtures-'));
});
test.after.always(() => (workDir ? rm(workDir, { recursive: true, force: true }) : undefined));

async function certify(fixture: OAuthFixture, slug: string) {
  // The run starts its provider on this port; the app must know it as Heap before it starts.
  const providerPort = await freePort();
  const app = await fixture.start({
    heapUrl: `http://127.0.0.1:${providerPort}`,
    clientId,
    clientSecret,
  });
  try {
    const files = {
      json: path.join(workDir, `${slug}.json`),
      junit: path.join(workDir, `${slug}.xml`),
      html: path.join(workDir, `${slug}.html`),
    };
    const outcome = await runCli(
      'conformance/src/cli.ts',
      [
        'oauth',
        ...['--start-url', app.startUrl, '--provider-port', String(providerPort)],
        ...['--client-id', clientId, '--client-secret', clientSecret],
        ...['--redirect-uri', app.redirectUri],
        ...(app.inspectUrl && app.inspectToken
          ? ['--inspect-url', app.inspectUrl, `--inspect-token=${app.inspectToken}`]
          : []),
        ...(app.successText ? ['--success-text', app.successText] : []),
        ...(noBrowser ? ['--no-browser'] : []),
        ...['--json', files.json, '--junit', files.junit, '--html', files.html],
      ],
      { env: { CHROMIUM_PATH: chromiumPath }, timeoutMs: 600_000 },
    );
    const written = await Promise.all(
      Object.values(files).map((file) => readFile(file, 'utf8').catch(() => '')),
    );
    return {
      outcome,
      report: JSON.parse(written[0] || '{"cases":[]}') as Report,
      everything: [outcome.stdout, outcome.stderr, ...written].join('\n'),
      secrets: [clientSecret, app.inspectToken ?? '', ...app.receivedTokens()].filter(Boolean),
    };
  } finally {
    await app.close();
  }
}

oauthFixtures.forEach((fixture, index) => {
  const { exitCode, failed, warnings = [] } = fixture.expected;
  const title = `conformance oauth on "${fixture.name}": exit ${exitCode}, failing ${failed.join(', ') || 'nothing'}`;
  // One run at a time: each starts a provider, maybe a browser, and waits out timeout cases.
  test.serial(title, async (t) => {
    // A run waits out its timeout cases and may drive Chromium: longer than AVA's default.
    t.timeout(600_000);
    const { outcome, report, everything, secrets } = await certify(fixture, `fixture-${index}`);
    const output = `${outcome.stdout}\n${outcome.stderr}`;
    t.is(outcome.code, exitCode, output);
    const cases = report.cases.filter((entry) => entry.group === 'oauth');
    t.true(cases.length > 0, 'the JSON report lists the oauth cases');
    const known = new Set<string>(oauthCaseIds);
    t.deepEqual(
      cases.map((entry) => entry.id).filter((id) => !known.has(id)),
      [],
      'every case id is one the interface names',
    );
    const ids = (status: string) =>
      cases
        .filter((entry) => entry.status === status)
        .map((entry) => entry.id)
        .sort();
    t.deepEqual(ids('failed'), [...failed].sort(), fixture.description);
    const warned = new Set(ids('warning'));
    t.deepEqual(
      warnings.filter((id) => !warned.has(id)),
      [],
      'warnings the run must at least give',
    );
    for (const secret of secrets)
      t.false(everything.includes(secret), 'a secret or token appears in a report or the output');
    if (noBrowser) t.log(`without Chromium (${chromiumSkipReason()}): browser checks skipped`);
  });
});
