// Parses `npm run send` flags, with defaults from the environment (and the server's .env).
import { parseCliArgs, unexpectedArgument } from '../../support/src/cliArgs.ts';
import { commandLine } from '../../support/src/commandLine.ts';
import { devDefaults } from '../../server/src/index.ts';
import { callerPath } from '../../support/src/callerPath.ts';
import { httpUrlFlag, wholeNumberFlag } from '../../support/src/flagParsers.ts';
import type { DeliverAllOptions } from './deliverAll.ts';

export const SAMPLE_ID_TOKEN = '7a36ae58-c4b9-11eb-8529-0242ac130003';
const FIVE_MINUTES = 5 * 60_000;

export const usage = `Usage: ${commandLine('send')} <sync|drain|sample> [options]

Signs deliveries with the webhook secret and sends them the way Heap does.

Commands:
  sync     a sync: Heap's sample page, or N simulated users (--users), or ids from files
  drain    a drain of the segment
  sample   what Heap's "Send sample segment" button sends: one page of dummy users

Options:
  --url URL             where to send (default http://127.0.0.1:$PORT/users_sync, /users_drain for drain)
  --secret S            webhook secret (default: the first of $WEBHOOK_SECRET, else the dev secret)
  --id-token T          connected account id_token (default: $ID_TOKEN, else the account connected
                        last in the mock Heap ($MOCK_HEAP_DATA_DIR/hub.json), else ${SAMPLE_ID_TOKEN})
  --time now|past|future  shift the signing timestamp by 5 minutes
  --skew MS             shift the signing timestamp by MS; --skew=-5000 is 5 s in the past
  --body FILE           send this file's bytes as the body, unchanged
  --users N             sync N simulated users (emails, some non-ASCII)
  --add-file FILE       sync the user ids in FILE (one per line) as added
  --remove-file FILE    sync the user ids in FILE (one per line) as removed
  --page-size P         users per page (default 1000)
  --segment-id ID       segment id (default 1338065)
  --segment-name NAME   segment name
  --sync-task-id ID     sync_task_id shared by the pages (default: a new UUID)
  --concurrency C       pages in flight at once (default 4)
  --max-attempts N      attempts per page; every non-2xx answer, timeout and connection error is
                        retried, as Heap does (default 5)
  --retry-base-ms MS    first backoff step; doubles each attempt, with full jitter (default 1000)
  --retry-max-ms MS     longest single wait, Retry-After included (default 60000)
  --timeout MS          per-request time limit (default 10000)
  --print-curl          print curl commands instead of sending
  --json                print the summary as JSON on stdout
  --quiet               no progress and no summary text
  -h, --help            this help

Exit status: 0 when every page was delivered, 1 when any was not, 2 for a usage error,
130 when interrupted (Ctrl-C: sending stops, pages in flight get 2 s, the partial summary is printed).`;

export type SendCommand = 'sync' | 'drain' | 'sample';

export interface SendOptions {
  command: SendCommand;
  url: string;
  secret: string;
  idToken: string;
  /** Added to the clock when signing, in ms. */
  skewMs: number;
  bodyFile: string | null;
  users: number | null;
  addFile: string | null;
  removeFile: string | null;
  pageSize: number;
  segment: { id: number; name: string | null };
  syncTaskId: string | null;
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  printCurl: boolean;
  json: boolean;
  quiet: boolean;
}

export type ParsedSendArgs =
  { kind: 'run'; options: SendOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const SEND_FLAGS = {
  url: { type: 'string' },
  secret: { type: 'string' },
  'id-token': { type: 'string' },
  time: { type: 'string' },
  skew: { type: 'string' },
  body: { type: 'string' },
  users: { type: 'string' },
  'add-file': { type: 'string' },
  'remove-file': { type: 'string' },
  'page-size': { type: 'string' },
  'segment-id': { type: 'string' },
  'segment-name': { type: 'string' },
  'sync-task-id': { type: 'string' },
  concurrency: { type: 'string' },
  'max-attempts': { type: 'string' },
  'retry-base-ms': { type: 'string' },
  'retry-max-ms': { type: 'string' },
  timeout: { type: 'string' },
  'print-curl': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseSendArgs(
  argv: string[],
  env: NodeJS.ProcessEnv,
  /** The id_token used without --id-token (see connectedAccount.ts). */
  defaultIdToken: string = SAMPLE_ID_TOKEN,
): ParsedSendArgs {
  try {
    const { values, positionals } = parseCliArgs(
      {
        args: argv,
        allowPositionals: true,
        options: SEND_FLAGS,
      },
      { command: commandLine('send', env), env },
    );
    if (values.help) return { kind: 'help' };
    const [command, ...extra] = positionals;
    if (command === undefined) throw new Error('a command is required: sync, drain or sample');
    if (command !== 'sync' && command !== 'drain' && command !== 'sample') {
      throw new Error(`unknown command "${command}": use sync, drain or sample`);
    }
    if (extra.length > 0) {
      const context = { command: commandLine('send', env), env };
      throw new Error(unexpectedArgument(extra[0]!, argv, Object.keys(SEND_FLAGS), context));
    }

    const port = env.PORT?.trim() || String(devDefaults.port);
    const url =
      httpUrlFlag('url', values.url) ??
      `http://127.0.0.1:${port}/${command === 'drain' ? 'users_drain' : 'users_sync'}`;

    const secret =
      values.secret ?? env.WEBHOOK_SECRET?.split(',')[0]?.trim() ?? devDefaults.webhookSecret;
    if (secret === '') throw new Error('--secret must not be empty');

    if (values.time !== undefined && values.skew !== undefined) {
      throw new Error('use --time or --skew, not both');
    }
    let skewMs = 0;
    if (values.time !== undefined) {
      const shifts: Record<string, number> = { now: 0, past: -FIVE_MINUTES, future: FIVE_MINUTES };
      if (!(values.time in shifts))
        throw new Error(`--time must be now, past or future (got "${values.time}")`);
      skewMs = shifts[values.time]!;
    }
    if (values.skew !== undefined) {
      if (!/^-?\d+$/.test(values.skew))
        throw new Error(`--skew must be a whole number of ms (got "${values.skew}")`);
      skewMs = Number(values.skew);
    }

    const generated =
      values.users !== undefined ||
      values['add-file'] !== undefined ||
      values['remove-file'] !== undefined;
    if (command !== 'sync' && generated) {
      throw new Error('--users, --add-file and --remove-file go with the sync command');
    }
    if (values.body !== undefined && generated) {
      throw new Error(
        '--body sends a file as it is: it cannot be combined with --users, --add-file or --remove-file',
      );
    }
    if (command === 'sample' && values.body !== undefined)
      throw new Error('sample sends its own body; use sync --body');

    const segmentIdRaw = values['segment-id'];
    if (segmentIdRaw !== undefined && !/^\d{1,15}$/.test(segmentIdRaw)) {
      throw new Error(`--segment-id must be a whole number (got "${segmentIdRaw}")`);
    }

    return {
      kind: 'run',
      options: {
        command,
        url,
        secret,
        idToken: values['id-token'] ?? defaultIdToken,
        skewMs,
        bodyFile: values.body === undefined ? null : callerPath(values.body, env),
        users:
          values.users === undefined
            ? null
            : wholeNumberFlag('users', values.users, 0, { min: 1, max: 10_000_000 }),
        addFile: values['add-file'] === undefined ? null : callerPath(values['add-file'], env),
        removeFile:
          values['remove-file'] === undefined ? null : callerPath(values['remove-file'], env),
        pageSize: wholeNumberFlag('page-size', values['page-size'], 1000, {
          min: 1,
          max: 1_000_000,
        }),
        segment: {
          id: segmentIdRaw === undefined ? 1338065 : Number(segmentIdRaw),
          name: values['segment-name'] ?? null,
        },
        syncTaskId: values['sync-task-id'] ?? null,
        concurrency: wholeNumberFlag('concurrency', values.concurrency, 4, { min: 1, max: 1024 }),
        maxAttempts: wholeNumberFlag('max-attempts', values['max-attempts'], 5, {
          min: 1,
          max: 100,
        }),
        retryBaseMs: wholeNumberFlag('retry-base-ms', values['retry-base-ms'], 1000, {
          min: 1,
          max: 3_600_000,
        }),
        retryMaxMs: wholeNumberFlag('retry-max-ms', values['retry-max-ms'], 60_000, {
          min: 1,
          max: 3_600_000,
        }),
        timeoutMs: wholeNumberFlag('timeout', values.timeout, 10_000, { min: 1, max: 3_600_000 }),
        printCurl: values['print-curl'] ?? false,
        json: values.json ?? false,
        quiet: values.quiet ?? false,
      },
    };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

/** What `deliverAll` needs from the send options (the rest is per run: progress, clock). */
export function deliveryOptions(
  options: SendOptions,
): Omit<DeliverAllOptions, 'onSettled' | 'now' | 'sleep'> {
  return {
    url: options.url,
    secret: options.secret,
    skewMs: options.skewMs,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    policy: {
      maxAttempts: options.maxAttempts,
      baseDelayMs: options.retryBaseMs,
      maxDelayMs: options.retryMaxMs,
    },
  };
}
