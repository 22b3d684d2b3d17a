// `model`: random sequences of pages and drains over several segments of two accounts, sent as
// Heap's retries make them (out of order, concurrently, again), with user ids a careless store
// would merge; after every step each segment touched is checked against the membership model.
// fast-check generates the sequences and shrinks a failure to a minimal one.
import fc from 'fast-check';
import type { OutgoingDelivery } from '../../../spec/src/index.ts';
import type { Exchange } from '../delivery/webhookDelivery.ts';
import type { InspectionClient } from '../runner/inspectionClient.ts';
import type { CaseContext, ConformanceCase, ProbeVerdict } from './caseTypes.ts';
import { ModelChecker, ModelMismatch } from './modelChecker.ts';
import {
  drainDelivery,
  fillingPages,
  redelivery,
  syncPageDelivery,
  type ModelDelivery,
  type SegmentRef,
} from './modelDeliveries.ts';

const SEGMENTS_PER_ACCOUNT = 2;
/** Pages of the large segment sent at once. */
const LARGE_FILL_CONCURRENCY = 4;

/**
 * User ids drawn mostly from a small pool of lookalikes (so that sequences touch the same users
 * again) and otherwise from arbitrary strings (at least one character, as the contract requires).
 */
const LOOKALIKES = [
  'a@x.example',
  'A@x.example',
  ' a@x.example',
  'a@x.example ',
  'a@x.example\u0000',
  '\uff41@x.example',
  'b@x.example',
  '\u00e9@x.example',
  'e\u0301@x.example',
  'c@x.example',
];
const userId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LOOKALIKES) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
);
const userIds = fc.uniqueArray(userId, { maxLength: 4, size: 'max' });

interface Task {
  segment: SegmentRef;
  taskId: string;
  taskName: string;
  of: number;
  /** The delivery of each page sent so far, by page number. */
  sent: Map<number, ModelDelivery>;
}

/** One sequence's state: the model side (what was sent) and the way to the partner. */
interface Sequence {
  context: CaseContext;
  checker: ModelChecker;
  segments: SegmentRef[];
  tasks: Task[];
  sent: ModelDelivery[];
  largeDrainDone: boolean;
}

type Step = fc.AsyncCommand<Sequence, Sequence>;

function pageOf(sequence: Sequence, task: Task, page: number, add: string[], remove: string[]) {
  const delivery = syncPageDelivery(sequence.context, task.segment, {
    taskId: task.taskId,
    taskName: task.taskName,
    page,
    of: task.of,
    add,
    remove,
  });
  task.sent.set(page, delivery);
  sequence.sent.push(delivery);
  return delivery;
}

function newTask(sequence: Sequence, segment: SegmentRef, of: number): Task {
  const task: Task = {
    segment,
    taskId: sequence.context.newSyncTaskId(),
    taskName: `T${sequence.tasks.length + 1}`,
    of,
    sent: new Map(),
  };
  sequence.tasks.push(task);
  return task;
}

/** A page of the task not sent yet (or, when all were, a redelivery of one). */
function nextPage(sequence: Sequence, task: Task, pick: number, add: string[], remove: string[]) {
  const unsent = Array.from({ length: task.of }, (_, i) => i + 1).filter((n) => !task.sent.has(n));
  if (unsent.length === 0) return redelivery(task.sent.get((pick % task.of) + 1)!);
  return pageOf(sequence, task, unsent[pick % unsent.length]!, add, remove);
}

async function sendAndVerify(sequence: Sequence, deliveries: ModelDelivery[]): Promise<void> {
  await sequence.checker.send(deliveries);
  await sequence.checker.verify();
}

/** Starts a sync task of 1 to 3 pages in a segment and sends one of its pages. */
class NewSync implements Step {
  constructor(
    readonly segment: number,
    readonly of: number,
    readonly page: number,
    readonly add: string[],
    readonly remove: string[],
  ) {}
  check = () => true;
  async run(sequence: Sequence): Promise<void> {
    const task = newTask(
      sequence,
      sequence.segments[this.segment % sequence.segments.length]!,
      this.of,
    );
    await sendAndVerify(sequence, [nextPage(sequence, task, this.page, this.add, this.remove)]);
  }
  toString = () => `new sync in segment #${this.segment}`;
}

/** Sends a page not sent yet of an existing task: late, out of order, or after a drain. */
class LatePage implements Step {
  constructor(
    readonly task: number,
    readonly page: number,
    readonly add: string[],
    readonly remove: string[],
  ) {}
  check = () => true;
  async run(sequence: Sequence): Promise<void> {
    if (sequence.tasks.length === 0) {
      return new NewSync(this.task, 2, this.page, this.add, this.remove).run(sequence);
    }
    // A task with pages still to come, when there is one: a late page rather than a redelivery.
    const open = sequence.tasks.filter((task) => task.sent.size < task.of);
    const from = open.length > 0 ? open : sequence.tasks;
    const task = from[this.task % from.length]!;
    await sendAndVerify(sequence, [nextPage(sequence, task, this.page, this.add, this.remove)]);
  }
  toString = () => `page of task #${this.task}`;
}

/** Sends a page again, as Heap's retry does. */
class Redeliver implements Step {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(sequence: Sequence): Promise<void> {
    if (sequence.sent.length === 0) return;
    const original = sequence.sent[this.pick % sequence.sent.length]!;
    await sendAndVerify(sequence, [redelivery(original)]);
  }
  toString = () => `redelivery #${this.pick}`;
}

/**
 * Sends pages of existing tasks at once, users disjoint across the batch (so that the model's
 * outcome does not depend on which arrives first), the same page possibly twice.
 */
class AtOnce implements Step {
  constructor(readonly picks: { task: number; page: number; add: string[]; remove: string[] }[]) {}
  check = () => true;
  async run(sequence: Sequence): Promise<void> {
    if (sequence.tasks.length === 0) return;
    const used = new Set<string>();
    const fresh = (ids: string[]) => ids.filter((id) => !used.has(id));
    const batch: ModelDelivery[] = [];
    for (const pick of this.picks) {
      const task = sequence.tasks[pick.task % sequence.tasks.length]!;
      const add = fresh(pick.add);
      const remove = fresh(pick.remove).filter((id) => !add.includes(id));
      const delivery = nextPage(sequence, task, pick.page, add, remove);
      if (delivery.change.kind === 'sync' && !delivery.label.startsWith('again: ')) {
        for (const id of [...add, ...remove]) used.add(id);
      }
      batch.push(delivery);
    }
    await sendAndVerify(sequence, batch);
  }
  toString = () => `${this.picks.length} pages at once`;
}

class Drain implements Step {
  constructor(readonly segment: number) {}
  check = () => true;
  async run(sequence: Sequence): Promise<void> {
    const segment = sequence.segments[this.segment % sequence.segments.length]!;
    await sendAndVerify(sequence, [drainDelivery(sequence.context, segment)]);
  }
  toString = () => `drain of segment #${this.segment}`;
}

/** Fills a segment with --model-large-drain members, then drains it (once per sequence). */
class LargeDrain implements Step {
  constructor(readonly segment: number) {}
  check = () => true;
  async run(sequence: Sequence): Promise<void> {
    const count = sequence.context.modelBudget.largeDrain;
    if (count === 0 || sequence.largeDrainDone) return new Drain(this.segment).run(sequence);
    sequence.largeDrainDone = true;
    const segment = sequence.segments[this.segment % sequence.segments.length]!;
    const task = newTask(sequence, segment, 1);
    const ids = Array.from({ length: count }, (_, i) => `bulk-${i}@x.example`);
    const pages = fillingPages(sequence.context, segment, task, ids);
    for (let start = 0; start < pages.length; start += LARGE_FILL_CONCURRENCY) {
      await sequence.checker.send(pages.slice(start, start + LARGE_FILL_CONCURRENCY));
    }
    await sequence.checker.verify();
    await sendAndVerify(sequence, [drainDelivery(sequence.context, segment)]);
  }
  toString = () => `large drain of segment #${this.segment}`;
}

// Sequences meet trouble where they pile changes on one segment and one old task: both are favoured.
const segmentPick = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.nat({ max: 2 * SEGMENTS_PER_ACCOUNT - 1 }) },
);
const taskPick = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.nat() },
);
const newSync = fc
  .tuple(segmentPick, fc.integer({ min: 1, max: 3 }), fc.nat(), userIds, userIds)
  .map(([segment, of, page, add, remove]) => new NewSync(segment, of, page, add, remove));
const latePage = fc
  .tuple(taskPick, fc.nat(), userIds, userIds)
  .map(([task, page, add, remove]) => new LatePage(task, page, add, remove));
// New syncs and late pages are listed twice: twice as likely as each other kind of step.
const steps = (budget: CaseContext['modelBudget']) =>
  fc.commands<Sequence, Sequence, false>(
    [
      newSync,
      newSync,
      latePage,
      latePage,
      fc.nat().map((pick) => new Redeliver(pick)),
      fc
        .array(fc.record({ task: fc.nat(), page: fc.nat(), add: userIds, remove: userIds }), {
          minLength: 2,
          maxLength: 4,
        })
        .map((picks) => new AtOnce(picks)),
      segmentPick.map((segment) => new Drain(segment)),
      // One drain in eight of this kind is large: most sequences stay small and quick.
      ...(budget.largeDrain > 0
        ? [
            fc
              .tuple(segmentPick, fc.nat({ max: 7 }))
              .map(([segment, k]) => (k === 0 ? new LargeDrain(segment) : new Drain(segment))),
          ]
        : []),
    ],
    {
      maxCommands: budget.steps,
      size: 'max',
      ...(replayPathOf(budget.path) ? { replayPath: replayPathOf(budget.path)! } : {}),
    },
  );

/**
 * `--model-path` is fast-check's path to the shrunk failure, then `~` and the commands' own replay
 * path (which steps ran), both needed to replay only that failure.
 */
const runPathOf = (modelPath: string | null) => modelPath?.split('~')[0] ?? null;
const replayPathOf = (modelPath: string | null) => modelPath?.split('~')[1] ?? null;

/** The commands' replay path, which fast-check writes into the counterexample's description. */
const replayPathIn = (counterexample: unknown) =>
  /replayPath="([^"]*)"/.exec(String(counterexample))?.[1] ?? null;

interface GroupRun {
  context: CaseContext;
  send: (delivery: OutgoingDelivery) => Promise<Exchange>;
  inspection: InspectionClient;
  exchanges: { label: string; exchange: Exchange }[];
  accounts: { idToken: string; name: string }[];
  sequences: number;
}

function newSequence(run: GroupRun): Sequence {
  run.sequences += 1;
  // Fresh segments for every sequence, so that sequences (and shrinking) cannot interfere.
  const base = 2 + (run.sequences - 1) * SEGMENTS_PER_ACCOUNT;
  // Segment n has the same id in both accounts, so a drain that crosses accounts shows.
  const segments = run.accounts.flatMap((account) =>
    Array.from({ length: SEGMENTS_PER_ACCOUNT }, (_, s): SegmentRef => {
      const segmentId = run.context.otherSegmentId(base + s);
      return {
        idToken: account.idToken,
        segmentId,
        name: `segment ${s + 1} (account ${account.name}, id ${segmentId})`,
      };
    }),
  );
  const checker = new ModelChecker({
    send: run.send,
    inspection: run.inspection,
    exchanges: run.exchanges,
  });
  return { context: run.context, checker, segments, tasks: [], sent: [], largeDrainDone: false };
}

/** Whether the partner takes deliveries for the second account (a 4xx: it does not know it). */
async function secondAccountAccepted(
  context: CaseContext,
  send: GroupRun['send'],
  exchanges: GroupRun['exchanges'],
): Promise<{ accepted: boolean; problem: string | null }> {
  const probe = syncPageDelivery(
    context,
    {
      idToken: context.secondIdToken,
      segmentId: context.otherSegmentId(1),
      name: 'second account',
    },
    { taskId: context.newSyncTaskId(), taskName: 'T0', page: 1, of: 1, add: [], remove: [] },
  );
  const exchange = await send(probe.build());
  exchanges.push({ label: probe.label, exchange });
  if (!exchange.ok || exchange.status >= 500) {
    return {
      accepted: false,
      problem: `${probe.label}: ${exchange.ok ? exchange.status : exchange.error}`,
    };
  }
  return { accepted: exchange.status < 300, problem: null };
}

async function probeModel(
  context: CaseContext,
  send: GroupRun['send'],
  inspection: InspectionClient | null,
): Promise<ProbeVerdict> {
  const exchanges: GroupRun['exchanges'] = [];
  if (!inspection) {
    return { verdict: 'skip', message: 'needs the inspection API (--inspect-url)', exchanges };
  }
  const budget = context.modelBudget;
  const second = await secondAccountAccepted(context, send, exchanges);
  if (second.problem) return { verdict: 'fail', message: second.problem, exchanges };
  const accounts = [
    { idToken: context.idToken, name: 'A' },
    ...(second.accepted ? [{ idToken: context.secondIdToken, name: 'B' }] : []),
  ];
  const run: GroupRun = { context, send, inspection, exchanges, accounts, sequences: 0 };
  const seed = budget.seed ?? Math.floor(Math.random() * 2 ** 31);
  let hung = false;
  const runPath = runPathOf(budget.path);
  const details = await fc
    .check(
      fc.asyncProperty(steps(budget), async (commands) => {
        // After a hang, shrinking would wait out every time limit again: stop where the hang was.
        if (hung) return;
        const sequence = newSequence(run);
        try {
          await fc.asyncModelRun(() => ({ model: sequence, real: sequence }), commands);
        } catch (error) {
          if (error instanceof ModelMismatch && /no answer/.test(error.message)) hung = true;
          throw error;
        }
      }),
      {
        numRuns: budget.runs,
        seed,
        ...(runPath ? { path: runPath } : {}),
      },
    )
    .catch((error: unknown) => error as Error);
  if (details instanceof Error) {
    // fast-check refuses a path that does not fit the seed and the budget.
    return {
      verdict: 'fail',
      message:
        `cannot replay --model-path ${budget.path}: give it with the --seed, --model-steps and ` +
        `--model-large-drain it was printed with (${details.message})`,
      exchanges,
    };
  }
  const scope =
    `${accounts.length * SEGMENTS_PER_ACCOUNT} segments of ${accounts.length} account(s)` +
    (second.accepted ? '' : ' (the partner refused --second-id-token, so one account)');
  const modelPathOf = (path: string | null, counterexample: unknown) => {
    const commandsPath = replayPathIn(counterexample);
    return path ? `${path}${commandsPath ? `~${commandsPath}` : ''}` : undefined;
  };
  const replay = (path?: string) =>
    `--only model --seed ${details.seed}${path ? ` --model-path ${path}` : ''}`;
  if (!details.failed) {
    return {
      verdict: 'pass',
      message:
        `${details.numRuns} random sequences of up to ${budget.steps} steps over ${scope} ` +
        `matched the model after every step (${exchanges.length} deliveries; replay: ${replay()})`,
      measured: `seed ${details.seed}`,
      exchanges,
    };
  }
  const error = details.errorInstance;
  const minimal = error instanceof ModelMismatch ? error.steps : [];
  const message =
    error instanceof ModelMismatch
      ? error.message
      : `the sequence stopped: ${error instanceof Error ? error.message : String(error)}`;
  return {
    verdict: 'fail',
    message:
      `${message}\nminimal sequence (${minimal.length} deliveries over ${scope}, ` +
      `shrunk ${details.numShrinks} times):\n${minimal.join('\n')}\n` +
      `replay: ${replay(modelPathOf(details.counterexamplePath, details.counterexample?.[0]))}`,
    behaviour: 'membership differs from the model',
    measured: `seed ${details.seed}`,
    exchanges,
  };
}

export function modelCases(): ConformanceCase[] {
  return [
    {
      id: 'model.random-sequences',
      group: 'model',
      title: 'Random sequences of pages and drains leave the members the model allows',
      severity: 'must',
      specRef: 'webhook_spec.yaml#/components/schemas/HeapWebhook',
      source: 'our-decision',
      batches: () => [],
      expect: { must: 'accepted' },
      probe: probeModel,
    },
  ];
}
