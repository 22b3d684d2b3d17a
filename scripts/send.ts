// `npm run send`: signs and delivers webhooks the way Heap does (see --help).
import { config as loadDotenv } from 'dotenv';
import { signedDelivery } from '../spec/src/index.ts';
import { defaultAccount } from './send/connectedAccount.ts';
import { curlCommand } from './send/curlCommand.ts';
import { deliverAll } from './send/deliverAll.ts';
import { formatSummary } from './send/deliverySummary.ts';
import { plannedBodies } from './send/plannedBodies.ts';
import { ProgressLine } from './send/progressLine.ts';
import { deliveryOptions, parseSendArgs, usage } from './send/sendOptions.ts';

async function main(): Promise<number> {
  loadDotenv({ quiet: true });
  const account = defaultAccount(process.env, process.cwd());
  const parsed = parseSendArgs(process.argv.slice(2), process.env, account?.idToken);
  if (parsed.kind === 'help') {
    console.log(usage);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`send: ${parsed.message}\nRun npm run send -- --help for the options.`);
    return 2;
  }
  const { options } = parsed;
  let bodies;
  try {
    bodies = await plannedBodies(options);
  } catch (error) {
    console.error(`send: ${(error as Error).message}`);
    return 2;
  }

  if (options.printCurl) {
    for (const { body } of bodies) {
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

  const progress = ProgressLine.wanted(process.stderr, bodies.length, options.quiet || options.json)
    ? new ProgressLine(process.stderr, bodies.length)
    : null;
  if (!options.quiet && !options.json) {
    const usesAccount = account !== null && options.idToken === account.idToken;
    console.log(
      `Sending ${bodies.length} ${options.command === 'drain' ? 'drain' : 'page(s)'} to ${options.url}` +
        (usesAccount ? ` as account ${account.idToken} (from ${account.source})` : ''),
    );
  }
  const summary = await deliverAll(bodies, {
    ...deliveryOptions(options),
    onSettled: () => progress?.tick(),
  });
  progress?.finish();
  if (options.json) {
    console.log(JSON.stringify(summary, null, 2));
  } else if (!options.quiet) {
    console.log(formatSummary(summary));
    if ((summary.finalStatuses.connection_refused ?? 0) > 0) {
      console.log(
        `  nothing is listening at ${options.url}: is the server running (npm run server)?`,
      );
    }
  }
  return summary.givenUp === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`send: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
