// `npm run send`: signs and delivers webhooks the way Heap does (see --help).
import { config as loadDotenv } from 'dotenv';
import { commandLine } from '../support/src/commandLine.ts';
import { signedDelivery } from '../spec/src/index.ts';
import { answerHints } from './send/answerHints.ts';
import { defaultAccount } from './send/connectedAccount.ts';
import { curlCommand } from './send/curlCommand.ts';
import { deliverAll } from './send/deliverAll.ts';
import { formatSummary } from './send/deliverySummary.ts';
import { plannedPages, type PlannedPages } from './send/plannedPages.ts';
import { ProgressLine } from './send/progressLine.ts';
import { deliveryOptions, parseSendArgs, usage } from './send/sendOptions.ts';

/** Exit status of a run stopped by Ctrl-C, as shells report a process ended by SIGINT. */
const INTERRUPTED = 130;
/** How long Ctrl-C waits for pages in flight before printing the partial summary. */
const GRACE_MS = 2000;

async function main(): Promise<number> {
  loadDotenv({ quiet: true });
  const account = defaultAccount(process.env, process.cwd());
  const parsed = parseSendArgs(process.argv.slice(2), process.env, account?.idToken);
  if (parsed.kind === 'help') {
    console.log(usage);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`send: ${parsed.message} (${commandLine('send')} --help lists the options)`);
    return 2;
  }
  const { options } = parsed;
  let planned: PlannedPages;
  try {
    planned = await plannedPages(options);
  } catch (error) {
    console.error(`send: ${(error as Error).message}`);
    return 2;
  }

  if (options.printCurl) {
    for await (const { body } of planned.pages) {
      const delivery = signedDelivery({
        url: options.url,
        body,
        secret: options.secret,
        timestamp: Date.now() + options.skewMs,
      });
      console.log(curlCommand(delivery));
    }
    return 0;
  }

  const progress = ProgressLine.wanted(process.stderr, planned.total, options.quiet || options.json)
    ? new ProgressLine(process.stderr, planned.total)
    : null;
  if (!options.quiet && !options.json) {
    const usesAccount = account !== null && options.idToken === account.idToken;
    console.log(
      `Sending ${planned.total} ${options.command === 'drain' ? 'drain' : 'page(s)'} to ${options.url}` +
        (usesAccount ? ` as account ${account.idToken} (from ${account.source})` : ''),
    );
  }
  // The first Ctrl-C stops sending and prints what was done; a second one ends at once.
  const interruption = new AbortController();
  process.once('SIGINT', () => {
    interruption.abort();
    process.once('SIGINT', () => process.exit(INTERRUPTED));
    if (!options.quiet) {
      process.stderr.write(
        `\nsend: interrupted; waiting up to ${GRACE_MS / 1000} s for pages in flight (Ctrl-C again to quit now)\n`,
      );
    }
  });
  const summary = await deliverAll(planned.pages, planned.total, {
    ...deliveryOptions(options),
    signal: interruption.signal,
    graceMs: GRACE_MS,
    onSettled: () => progress?.tick(),
  });
  progress?.finish();
  if (options.json) {
    console.log(JSON.stringify(summary, null, 2));
  } else if (!options.quiet) {
    console.log(formatSummary(summary));
    for (const hint of answerHints(summary, options.url)) console.log(hint);
  }
  if (summary.interrupted) return INTERRUPTED;
  return summary.givenUp === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`send: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
