// `npm run conformance -- oauth`: starts the test provider, drives every flow (HTTP browsers, then
// Chromium when there is one), judges the cases and writes the reports. Returns the exit status.
import { commandLine } from '../../../support/src/commandLine.ts';
import { writeFile } from 'node:fs/promises';
import { unreachableReason } from '../reachability.ts';
import { unwritableReportPath } from '../reportPaths.ts';
import { htmlReport } from '../reporters/htmlReport.ts';
import { jsonReport } from '../reporters/jsonReport.ts';
import { junitReport } from '../reporters/junitReport.ts';
import { redactValues } from '../reporters/redactSignatures.ts';
import { terminalReporter } from '../reporters/terminalReporter.ts';
import { chromiumFlows, chromiumUnavailable } from './chromiumFlows.ts';
import { connectionsClient } from './connectionsClient.ts';
import { driveFlows, SetupProblem } from './driveFlows.ts';
import type { ObservedRun } from './flowTypes.ts';
import { judgeOAuthRun } from './judgeOAuthRun.ts';
import { oauthCases } from './oauthCases.ts';
import { oauthUsage, parseOAuthArgs } from './oauthOptions.ts';
import { startTestProvider, type TestProvider } from './testProvider.ts';

const TITLE = 'Heap OAuth connect-flow conformance';

export async function oauthConformance(
  argv: string[],
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
  fail: (line: string) => void,
): Promise<number> {
  const parsed = parseOAuthArgs(argv, env);
  if (parsed.kind === 'help') {
    write(`${oauthUsage(env)}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    fail(`conformance oauth: ${parsed.message} (${commandLine('conformance', env)} oauth --help)`);
    return 2;
  }
  const { options } = parsed;
  const setup = (line: string) => {
    fail(`conformance oauth: ${line}`);
    return 2;
  };
  const reportProblem = await unwritableReportPath([
    { flag: '--json', file: options.jsonFile },
    { flag: '--junit', file: options.junitFile },
    { flag: '--html', file: options.htmlFile },
  ]);
  if (reportProblem) return setup(`cannot write the report ${reportProblem}`);
  const unreachable = await unreachableReason(options.startUrl, Math.min(options.timeoutMs, 5_000));
  if (unreachable) return setup(`cannot reach the start URL ${options.startUrl}: ${unreachable}`);
  const connections = options.inspectUrl
    ? connectionsClient(options.inspectUrl, options.inspectToken, options.timeoutMs)
    : null;
  if (connections) {
    const first = await connections.list();
    if (!first.ok) return setup(`the inspection API refused its first call: ${first.reason}`);
  }
  let provider: TestProvider;
  try {
    provider = await startTestProvider(
      {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        redirectUri: options.redirectUri,
      },
      options.providerPort,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return setup(
      `cannot start the test provider on 127.0.0.1:${options.providerPort}: ${code === 'EADDRINUSE' ? 'the port is in use (choose another --provider-port)' : (error as Error).message}`,
    );
  }
  const redact = (text: string) =>
    redactValues(text, [
      ...provider.secretValues(),
      ...(options.inspectToken ? [{ value: options.inspectToken, label: '[inspect token]' }] : []),
    ]);
  const started = performance.now();
  try {
    const browser = options.browser
      ? await chromiumUnavailable(env)
      : { reason: '--no-browser was given' };
    write(
      `${TITLE}: ${options.startUrl}, test provider at ${provider.url}\n` +
        `Connections seen through ${options.inspectUrl ? `the inspection API at ${options.inspectUrl}` : options.successText !== null ? 'the success text' : 'nothing: no --inspect-url or --success-text, connections not verified'}\n` +
        ('reason' in browser
          ? `Browser checks skipped: ${browser.reason}\n`
          : 'Browser checks in Chromium\n'),
    );
    let flowsDone = 0;
    const driven = await driveFlows({
      startUrl: options.startUrl,
      redirectUri: options.redirectUri,
      clientId: options.clientId,
      provider,
      connections,
      successText: options.successText,
      timeoutMs: options.timeoutMs,
      progress: (name) => {
        flowsDone += 1;
        write(`  flow ${flowsDone}: ${name}\n`);
      },
    });
    let chromium: ObservedRun['chromium'];
    if ('reason' in browser) {
      chromium = { ran: false, reason: browser.reason };
    } else {
      const flows = await chromiumFlows(
        {
          startUrl: options.startUrl,
          redirectUri: options.redirectUri,
          provider,
          timeoutMs: options.timeoutMs,
          env,
        },
        browser,
      );
      write('  flows in Chromium: genuine, HTML in metadata\n');
      chromium = { ran: true, ...flows };
    }
    const run: ObservedRun = {
      ...driven,
      chromium,
      allRecords: provider.flows(),
      strayTokenRequests: provider.strayTokenRequests().length,
    };
    const result = judgeOAuthRun(oauthCases, run, {
      secrets: [
        ...provider.secretValues(),
        ...(options.inspectToken
          ? [{ value: options.inspectToken, label: '[inspect token]' }]
          : []),
      ],
      durationMs: Math.round(performance.now() - started),
      listeners: [terminalReporter(write)],
    });
    if (!chromium.ran) write(`\nNotice: browser checks skipped (${chromium.reason})\n`);
    if (options.jsonFile) await writeFile(options.jsonFile, jsonReport(result));
    if (options.junitFile) {
      await writeFile(options.junitFile, junitReport(result, 'heap-oauth-conformance'));
    }
    if (options.htmlFile) {
      await writeFile(
        options.htmlFile,
        htmlReport(result, {
          target: options.startUrl,
          secrets: [],
          finishedAt: new Date(),
          redact,
          title: TITLE,
        }),
      );
    }
    return result.summary.failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof SetupProblem) return setup(redact(error.message));
    throw error;
  } finally {
    await provider.stop();
  }
}
