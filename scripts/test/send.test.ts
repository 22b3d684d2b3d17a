// `npm run send` as a child process against the reference server and scripted sinks.
import test from 'ava';
import { inspectedMembers } from '../../support/testing/inspectedMembers.ts';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startReferenceServer, type ReferenceServer } from '../../server/src/index.ts';
import { verifyHeapHash } from '../../spec/src/index.ts';
import { projectRoot } from '../../support/src/projectRoot.ts';
import { tsxLoader } from '../../support/src/spawnListening.ts';
import { runCli } from '../../support/testing/runCli.ts';
import { startScriptedSink } from '../../support/testing/scriptedSink.ts';
import { shellQuote } from '../send/curlCommand.ts';
import { simulatedUserIds } from '../send/userIds.ts';

const TEST_SECRET = 'test-webhook-secret-0123456789';
const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

// Each test starts the sender as a child process; they run one at a time so that on a busy machine
// each child gets the CPU it needs instead of all of them crawling past their time limits together.
const send = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
  runCli('scripts/send.ts', args, { env, cwd, timeoutMs: 300_000 });

let server: ReferenceServer;
let workDir: string;
test.before(async () => {
  server = await startReferenceServer({ secret: TEST_SECRET, adminToken: TEST_ADMIN_TOKEN });
  workDir = await mkdtemp(path.join(os.tmpdir(), 'send-cli-'));
});
test.after.always(async () => {
  await server?.stop();
  await rm(workDir, { recursive: true, force: true });
});

let nextSegment = 5000;
const idToken = 'send-cli-account';

const members = (segmentId: number) =>
  inspectedMembers({ baseUrl: server.url, adminToken: TEST_ADMIN_TOKEN, idToken, segmentId });

// A generous time limit: on a loaded machine a slow answer must not turn into a retry.
const SLOW_OK = ['--timeout', '60000'];

const common = (segmentId: number, route = 'users_sync') => [
  ...SLOW_OK,
  '--url',
  `${server.url}/${route}`,
  '--secret',
  TEST_SECRET,
  '--id-token',
  idToken,
  '--segment-id',
  String(segmentId),
];

const usageErrors: [string, { args: string[]; want: RegExp }][] = [
  ['no command', { args: [], want: /a command is required/ }],
  ['an unknown command', { args: ['resync'], want: /unknown command "resync"/ }],
  [
    'an unknown flag',
    {
      args: ['sync', '--bogus'],
      want: /^send: unknown flag --bogus \(npm run send -- --help lists the options\)\n$/,
    },
  ],
  [
    'a misspelt flag',
    {
      args: ['sync', '--userz', '10'],
      want: /^send: unknown flag --userz: did you mean --users\?/,
    },
  ],
  [
    'a missing value',
    { args: ['sync', '--users'], want: /^send: --users needs a value, as in --users <value>/ },
  ],
  [
    '--time and --skew together',
    { args: ['sync', '--time', 'past', '--skew', '5'], want: /not both/ },
  ],
  [
    'a bad --time',
    { args: ['sync', '--time', 'yesterday'], want: /--time must be now, past or future/ },
  ],
  ['--users with drain', { args: ['drain', '--users', '5'], want: /go with the sync command/ }],
  [
    'a zero page size',
    { args: ['sync', '--page-size', '0'], want: /--page-size must be a whole number/ },
  ],
  ['a bad URL', { args: ['sync', '--url', 'ftp://x'], want: /--url must be an http\(s\) URL/ }],
  [
    'a missing --body file',
    {
      args: ['sync', '--body', '/nonexistent/x.json'],
      want: /cannot read --body \/nonexistent\/x\.json: ENOENT/,
    },
  ],
];

for (const [name, { args, want }] of usageErrors) {
  test.serial(`usage error: ${name} -> exit 2, one clear line`, async (t) => {
    const outcome = await send(args);
    t.is(outcome.code, 2);
    t.regex(outcome.stderr, want);
    t.notRegex(outcome.stderr, /\n\s+at /);
  });
}

test.serial('sync with no users sends Heap sample page', async (t) => {
  const segment = nextSegment++;
  const outcome = await send(['sync', ...common(segment)]);
  t.is(outcome.code, 0, outcome.stderr);
  t.regex(outcome.stdout, /1\/1 delivered, 0 retried, 0 given up/);
  t.deepEqual(await members(segment), ['user3@email.com', 'user4@email.com']);
});

test.serial(
  '--users N --page-size P sends total_pages pages of one sync task, with non-ASCII ids',
  async (t) => {
    const segment = nextSegment++;
    const outcome = await send([
      'sync',
      ...common(segment),
      '--users',
      '250',
      '--page-size',
      '100',
      '--concurrency',
      '3',
      '--json',
    ]);
    t.is(outcome.code, 0, outcome.stderr);
    const summary = JSON.parse(outcome.stdout) as { deliveries: number; delivered: number };
    t.is(summary.deliveries, 3);
    t.is(summary.delivered, 3);
    const stored = await members(segment);
    t.deepEqual(stored.sort(), simulatedUserIds(250).sort());
    t.true(stored.some((id) => /[^ -~]/.test(id)));
    const tasks = (await (
      await fetch(`${server.url}/admin/sync-tasks?segment_id=${segment}`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      })
    ).json()) as { sync_tasks: { total_pages: number; pages: unknown[] }[] };
    t.is(tasks.sync_tasks.length, 1);
    t.is(tasks.sync_tasks[0]!.total_pages, 3);
    t.is(tasks.sync_tasks[0]!.pages.length, 3);
  },
);

test.serial('--add-file and --remove-file sync the ids in the files', async (t) => {
  const segment = nextSegment++;
  const addFile = path.join(workDir, 'add.txt');
  const removeFile = path.join(workDir, 'remove.txt');
  await writeFile(addFile, 'a@x.io\n  b@x.io \n\nzoë@x.io\n');
  await writeFile(removeFile, 'a@x.io\n');
  await send(['sync', ...common(segment), '--add-file', addFile, '--page-size', '2']);
  t.deepEqual(await members(segment), ['a@x.io', 'b@x.io', 'zoë@x.io']);
  const outcome = await send(['sync', ...common(segment), '--remove-file', removeFile]);
  t.is(outcome.code, 0);
  t.deepEqual(await members(segment), ['b@x.io', 'zoë@x.io']);
});

test.serial('--body sends the file bytes unchanged (pretty-printed JSON verifies)', async (t) => {
  const segment = nextSegment++;
  const file = path.join(workDir, 'pretty.json');
  const payload = {
    id_token: idToken,
    action_type: 'segment.users.sync',
    customer_config: { fields: [] },
    data: {
      segment: { id: segment, name: 'Pretty' },
      sync_info: { page_number: 1, total_pages: 1, sync_task_id: 'pretty-task' },
      add: [{ id: 'pretty@x.io' }],
    },
  };
  await writeFile(file, JSON.stringify(payload, null, 4));
  const outcome = await send(['sync', ...common(segment), '--body', file]);
  t.is(outcome.code, 0, outcome.stdout);
  t.deepEqual(await members(segment), ['pretty@x.io']);
});

test.serial(
  '--time past and --time future are refused by the server; a small --skew is accepted',
  async (t) => {
    const segment = nextSegment++;
    const once = ['--max-attempts', '1'];
    const past = await send(['sync', ...common(segment), '--time', 'past', ...once]);
    t.is(past.code, 1);
    t.regex(past.stdout, /403[\s\S]*stale_timestamp/);
    const future = await send(['sync', ...common(segment), '--time', 'future', ...once]);
    t.is(future.code, 1);
    t.regex(future.stdout, /future_timestamp/);
    const skewed = await send(['sync', ...common(segment), '--skew=-20000']);
    t.is(skewed.code, 0);
  },
);

test.serial('drain empties the segment; sample sends a page of dummy users', async (t) => {
  const segment = nextSegment++;
  t.is((await send(['sample', ...common(segment)])).code, 0);
  t.is((await members(segment)).length, 5);
  const drained = await send(['drain', ...common(segment, 'users_drain')]);
  t.is(drained.code, 0);
  t.deepEqual(await members(segment), []);
});

test.serial(
  'retries 503, then 429 honouring Retry-After, re-signing each attempt, until 200',
  async (t) => {
    const sink = await startScriptedSink([
      { status: 503 },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200 },
    ]);
    t.teardown(() => sink.close());
    const outcome = await send([
      'sync',
      '--url',
      sink.url,
      '--secret',
      TEST_SECRET,
      '--retry-base-ms',
      '20',
      ...SLOW_OK,
      '--json',
    ]);
    t.is(outcome.code, 0, outcome.stderr);
    const summary = JSON.parse(outcome.stdout) as Record<string, unknown>;
    t.like(summary, { deliveries: 1, delivered: 1, retried: 1, givenUp: 0, attempts: 3 });
    t.deepEqual(summary.attemptStatuses, { '200': 1, '429': 1, '503': 1 });
    t.is(sink.requests.length, 3);
    const timestamps = sink.requests.map((request) => {
      const header = String(request.headers['heap-hash']);
      const verified = verifyHeapHash({
        rawBody: request.body,
        header,
        secrets: [TEST_SECRET],
        now: Date.now(),
      });
      t.true(verified.ok);
      return verified.ok ? verified.timestamp : 0;
    });
    t.is(new Set(timestamps).size, 3, 'each attempt carries a fresh timestamp');
    t.true(sink.requests[0]!.body.equals(sink.requests[2]!.body), 'the body is the same');
    t.true(
      sink.requests[2]!.receivedAt - sink.requests[1]!.receivedAt >= 950,
      'waited for Retry-After',
    );
  },
);

const heapRetries: [string, { status: number }][] = [
  ['400', { status: 400 }],
  ['403', { status: 403 }],
  ['500', { status: 500 }],
];

for (const [name, { status }] of heapRetries) {
  test.serial(
    `a 1,000-user sync completes against a partner whose first three answers are ${name}`,
    async (t) => {
      const sink = await startScriptedSink([
        { status, body: '{"error":"not yet"}' },
        { status, body: '{"error":"not yet"}' },
        { status, body: '{"error":"not yet"}' },
        { status: 200 },
      ]);
      t.teardown(() => sink.close());
      const outcome = await send([
        'sync',
        '--url',
        sink.url,
        '--secret',
        TEST_SECRET,
        '--users',
        '1000',
        '--page-size',
        '100',
        '--retry-base-ms',
        '10',
        ...SLOW_OK,
        '--json',
      ]);
      t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
      t.like(JSON.parse(outcome.stdout), {
        deliveries: 10,
        delivered: 10,
        givenUp: 0,
        attempts: 13,
      });
      const accepted = sink.requests.slice(3).map(
        (request) =>
          JSON.parse(request.body.toString('utf8')) as {
            data: { sync_info: { page_number: number }; add: { id: string }[] };
          },
      );
      t.deepEqual(
        accepted.map((page) => page.data.sync_info.page_number).sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      t.deepEqual(
        accepted.flatMap((page) => page.data.add.map((user) => user.id)).sort(),
        simulatedUserIds(1000).sort(),
      );
    },
  );
}

test.serial(
  '--max-attempts bounds retries of a 4xx; the summary names every page given up and its last answer',
  async (t) => {
    const sink = await startScriptedSink([{ status: 400, body: '{"error":"bad page"}' }]);
    t.teardown(() => sink.close());
    const outcome = await send([
      'sync',
      '--url',
      sink.url,
      '--secret',
      TEST_SECRET,
      '--users',
      '7',
      '--page-size',
      '1',
      '--max-attempts',
      '2',
      '--retry-base-ms',
      '10',
      ...SLOW_OK,
    ]);
    t.is(outcome.code, 1);
    t.is(sink.requests.length, 14);
    for (let page = 1; page <= 7; page++) {
      t.regex(
        outcome.stdout,
        new RegExp(`gave up on page ${page}/7 after 400 → 400: \\{"error":"bad page"\\}`),
      );
    }
  },
);

test.serial('a wrong path is reported as a wrong path, not delivered', async (t) => {
  const outcome = await send([
    'sync',
    ...common(nextSegment++, 'user_sync'),
    '--max-attempts',
    '1',
  ]);
  t.is(outcome.code, 1);
  t.regex(
    outcome.stdout,
    new RegExp(
      `no route answers POST at ${server.url}/user_sync \\(404\\): check --url \\(the reference server takes /users_sync, /users_drain and /webhooks/heap\\)`,
    ),
  );
});

test.serial('connection errors and timeouts are retried up to --max-attempts', async (t) => {
  const refused = await send([
    'sync',
    '--url',
    'http://127.0.0.1:9/hook',
    '--max-attempts',
    '2',
    '--retry-base-ms',
    '10',
    '--json',
  ]);
  t.is(refused.code, 1);
  t.like(JSON.parse(refused.stdout), {
    attempts: 2,
    givenUp: 1,
    finalStatuses: { connection_refused: 1 },
  });
  const sink = await startScriptedSink([{ status: 200, hang: true }]);
  t.teardown(() => sink.close());
  const slow = await send([
    'sync',
    '--url',
    sink.url,
    '--timeout',
    '300',
    '--max-attempts',
    '2',
    '--retry-base-ms',
    '10',
    '--json',
  ]);
  t.is(slow.code, 1);
  t.like(JSON.parse(slow.stdout), { attempts: 2, finalStatuses: { timeout: 1 } });
});

test.serial('on a terminal, progress shows pages done, rate and ETA', async (t) => {
  const command = [
    process.execPath,
    `--import=${tsxLoader}`,
    path.join(projectRoot, 'scripts/send.ts'),
    'sync',
    ...common(nextSegment++),
    '--users',
    '3000',
    '--page-size',
    '100',
  ]
    .map(shellQuote)
    .join(' ');
  // `script` runs the sender on a pseudo-terminal, as a person would.
  const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, TERM: 'dumb' },
  });
  t.regex(stdout, /\r30\/30 pages\s+\d+ pages\/s\s+ETA 0 s/);
  t.regex(stdout, /30\/30 delivered/);
});

test.serial('--quiet prints nothing and still sets the exit status', async (t) => {
  const outcome = await send(['sync', ...common(nextSegment++), '--quiet']);
  t.is(outcome.code, 0);
  t.is(outcome.stdout, '');
});

test.serial(
  '--print-curl prints commands that a real shell and curl deliver, quoting included',
  async (t) => {
    const segment = nextSegment++;
    const addFile = path.join(workDir, 'quotes.txt');
    await writeFile(addFile, 'o\'brien@x.io\n"quoted" $HOME `cmd` \\ back@x.io\nzoë@x.io\n');
    const printed = await send([
      'sync',
      ...common(segment),
      '--add-file',
      addFile,
      '--page-size',
      '2',
      '--print-curl',
    ]);
    t.is(printed.code, 0);
    t.is(printed.stdout.match(/^curl /gm)?.length, 2);
    t.deepEqual(await members(segment), [], 'printing sends nothing');
    const { stdout } = await promisify(execFile)('sh', [
      '-c',
      printed.stdout.replace(/\n(?=curl )/g, '\necho\n'),
    ]);
    t.regex(stdout, /"result":"applied"/);
    t.deepEqual(
      (await members(segment)).sort(),
      ['"quoted" $HOME `cmd` \\ back@x.io', "o'brien@x.io", 'zoë@x.io'].sort(),
    );
  },
);

test.serial('defaults come from the .env the server reads: no flags needed', async (t) => {
  const port = new URL(server.url).port;
  await writeFile(
    path.join(workDir, '.env'),
    `PORT=${port}\nWEBHOOK_SECRET=${TEST_SECRET},an-old-secret\n`,
  );
  const outcome = await send(['sample'], {}, workDir);
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  t.regex(outcome.stdout, new RegExp(`to http://127\\.0\\.0\\.1:${port}/users_sync`));
});

test.serial(
  'a 100,000-user sync ends with exactly those members in the reference server',
  async (t) => {
    const segment = nextSegment++;
    const outcome = await send([
      'sync',
      ...common(segment),
      '--users',
      '100000',
      '--page-size',
      '5000',
      '--concurrency',
      '4',
      '--json',
    ]);
    t.is(outcome.code, 0, outcome.stderr);
    t.like(JSON.parse(outcome.stdout), { deliveries: 20, delivered: 20 });
    const stored = await members(segment);
    t.is(stored.length, 100_000);
    t.deepEqual(new Set(stored).size, 100_000);
    const expected = new Set(simulatedUserIds(100_000));
    t.true(stored.every((id) => expected.has(id)));
  },
);

/** Starts the sender as a child process, to be interrupted; resolves with its exit and output. */
function startSend(args: string[]) {
  const child = spawn(
    process.execPath,
    [`--import=${tsxLoader}`, path.join(projectRoot, 'scripts/send.ts'), ...args],
    { cwd: projectRoot, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

test.serial(
  'Ctrl-C during a 10M-user sync stops sending, prints the partial summary and exits 130',
  async (t) => {
    const sink = await startScriptedSink([{ status: 200 }]);
    t.teardown(() => sink.close());
    const run = startSend([
      'sync',
      '--url',
      sink.url,
      '--secret',
      TEST_SECRET,
      '--users',
      '10000000',
      '--page-size',
      '1000',
      '--concurrency',
      '1',
      '--json',
    ]);
    // Pages leave as they are built: the first ones arrive while the rest of the sync is unbuilt.
    await until(() => sink.requests.length >= 3);
    run.child.kill('SIGINT');
    const outcome = await run.exited;
    t.is(outcome.code, 130, outcome.stderr);
    t.regex(outcome.stderr, /interrupted; waiting up to 2 s for pages in flight/);
    const summary = JSON.parse(outcome.stdout) as Record<string, number | boolean>;
    t.like(summary, { interrupted: true, deliveries: 10_000, givenUp: 0 });
    const { delivered, inFlight, notSent } = summary as {
      delivered: number;
      inFlight: number;
      notSent: number;
    };
    t.true(delivered >= 3 && delivered <= sink.requests.length);
    t.true(
      delivered + inFlight >= sink.requests.length,
      'every page the sink got is accounted for',
    );
    t.is(delivered + inFlight + notSent, 10_000);
    t.true(notSent > 9000, `${notSent} pages not sent`);
  },
);

test.serial(
  'Ctrl-C waits only briefly for pages that get no answer, and counts them in flight',
  async (t) => {
    const sink = await startScriptedSink([
      { status: 200 },
      { status: 200 },
      { status: 200, hang: true },
    ]);
    t.teardown(() => sink.close());
    const run = startSend([
      'sync',
      '--url',
      sink.url,
      '--secret',
      TEST_SECRET,
      '--users',
      '100',
      '--page-size',
      '10',
      '--concurrency',
      '2',
      '--timeout',
      '600000',
    ]);
    await until(() => sink.requests.length >= 4);
    run.child.kill('SIGINT');
    const outcome = await run.exited;
    t.is(outcome.code, 130);
    t.regex(
      outcome.stdout,
      /Interrupted: 2\/10 delivered, 0 retried, 0 given up, 2 in flight \(outcome unknown\), 6 not sent/,
    );
  },
);
