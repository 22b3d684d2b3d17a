// `npm run conformance`: certifies a partner endpoint against the webhook contract (see --help);
// `npm run conformance -- oauth` certifies its OAuth connect flow instead.
import { config as loadDotenv } from 'dotenv';
import { writeFile } from 'node:fs/promises';
import { commandLine } from '../../support/src/commandLine.ts';
import { allCases, selectCases } from './cases/allCases.ts';
import { parseConformanceArgs, usage } from './conformanceOptions.ts';
import { DeliveryClient } from './delivery/webhookDelivery.ts';
import { unreachableReason } from './reachability.ts';
import { startReferenceTarget, type ReferenceTarget } from './referenceTarget.ts';
import { htmlReport } from './reporters/htmlReport.ts';
import { jsonReport } from './reporters/jsonReport.ts';
import { junitReport } from './reporters/junitReport.ts';
import { terminalReporter } from './reporters/terminalReporter.ts';
import { inspectionClient } from './runner/inspectionClient.ts';
import { inspectionSetupProblem } from './runner/inspectionSetupProblem.ts';
import { runIdentifiers } from './runner/runIdentifiers.ts';
import { runSuite } from './runner/runSuite.ts';
import { unwritableReportPath } from './reportPaths.ts';

async function main(): Promise<number> {
  loadDotenv({ quiet: true });
  const [first, ...rest] = process.argv.slice(2);
  if (first === 'oauth') {
    const { oauthConformance } = await import('./oauth/oauthConformance.ts');
    return oauthConformance(
      rest,
      process.env,
      (text) => process.stdout.write(text),
      (line) => console.error(line),
    );
  }
  const parsed = parseConformanceArgs(process.argv.slice(2), process.env);
  if (parsed.kind === 'help') {
    console.log(usage);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(
      `conformance: ${parsed.message} (${commandLine('conformance')} --help lists the options)`,
    );
    return 2;
  }
  const { options } = parsed;
  const reportProblem = await unwritableReportPath([
    { flag: '--json', file: options.jsonFile },
    { flag: '--junit', file: options.junitFile },
    { flag: '--html', file: options.htmlFile },
  ]);
  if (reportProblem) {
    console.error(`conformance: cannot write the report ${reportProblem}`);
    return 2;
  }
  let reference: ReferenceTarget | null = null;
  if (!options.url) {
    // Asked to check that unknown accounts are refused, the reference server is started doing so.
    reference = await startReferenceTarget(
      options.unknownIdToken === null
        ? {}
        : { accounts: { connected: [options.idToken, options.secondIdToken], unknown: 'reject' } },
    );
  }
  const url = reference?.url ?? options.url!;
  const drainUrl = reference?.drainUrl ?? options.drainUrl ?? url;
  const secret = reference?.secret ?? options.secret!;
  const inspectUrl = reference?.inspectUrl ?? options.inspectUrl;
  const inspectToken = reference?.inspectToken ?? options.inspectToken;
  const client = new DeliveryClient({ timeoutMs: options.timeoutMs, connections: 8 });
  try {
    for (const target of new Set([url, drainUrl, ...(inspectUrl ? [inspectUrl] : [])])) {
      const reason = await unreachableReason(target, Math.min(options.timeoutMs, 5_000));
      if (reason) {
        console.error(`conformance: cannot reach ${target}: ${reason}`);
        return 2;
      }
    }
    const identifiers = runIdentifiers(options.repeatIds ? options.seed : null);
    const inspection = inspectUrl
      ? inspectionClient(inspectUrl, inspectToken, options.timeoutMs)
      : null;
    if (inspection) {
      const problem = await inspectionSetupProblem(
        inspection,
        inspectUrl!,
        options.idToken,
        identifiers.firstSegmentId - 1,
      );
      if (problem) {
        console.error(`conformance: ${problem}`);
        return 2;
      }
    }
    const cases = selectCases(allCases(), options.groups);
    const write = (text: string) => process.stdout.write(text);
    write(
      `Heap webhook conformance: ${cases.length} cases against ${url}` +
        (drainUrl !== url ? ` (drains: ${drainUrl})` : '') +
        (reference ? ' (the reference server, started for this run)' : '') +
        `\n${inspectUrl ? `Effects verified through ${inspectUrl}` : 'Effects not verified: no --inspect-url'}\n`,
    );
    const result = await runSuite(
      cases,
      {
        url,
        drainUrl,
        secret,
        idToken: options.idToken,
        secondIdToken: options.secondIdToken,
        unknownIdToken: options.unknownIdToken,
        modelBudget: options.modelBudget,
        maxAgeMs: options.maxAgeMs,
        maxSkewMs: options.maxSkewMs,
        largePageSize: options.largePageSize,
        timeoutMs: options.timeoutMs,
        client,
        inspection,
        identifiers,
        failFast: options.failFast,
        strict: options.strict,
      },
      [terminalReporter(write)],
    );
    if (options.jsonFile) await writeFile(options.jsonFile, jsonReport(result));
    if (options.junitFile) await writeFile(options.junitFile, junitReport(result));
    if (options.htmlFile) {
      const html = htmlReport(result, {
        target: url,
        drainUrl,
        secrets: [secret, inspectToken ?? ''],
        finishedAt: new Date(),
      });
      await writeFile(options.htmlFile, html);
    }
    if (result.setupProblem) {
      console.error(`conformance: ${result.stoppedBecause}`);
      return 2;
    }
    const warned = options.strict && result.summary.warnings > 0;
    return result.summary.failed === 0 && !warned && !result.stoppedBecause ? 0 : 1;
  } finally {
    await client.close();
    await reference?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
