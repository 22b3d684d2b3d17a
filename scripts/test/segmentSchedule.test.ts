// Scheduled syncs: a segment with a schedule is synced again and again, one without never, and
// stop() ends them.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HubState } from '../mockHeap/hub/hubState.ts';
import { SegmentSchedule } from '../mockHeap/hub/segmentSchedule.ts';

test('scheduled segments sync every period until stopped; unscheduled ones never', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'segment-schedule-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const state = new HubState(dir, { webhookUrl: 'http://127.0.0.1:9/', redirectUri: 'http://x/' });
  const base = { users: 1, pageSize: 1, idToken: null };
  const scheduled = state.addSegment({ ...base, name: 'scheduled', scheduleMinutes: 1 });
  state.addSegment({ ...base, name: 'manual', scheduleMinutes: null });
  const synced: number[] = [];
  // A scheduled "minute" of 10 ms.
  const schedule = new SegmentSchedule(state, (segment) => synced.push(segment.id), 10);
  schedule.refresh();
  schedule.refresh(); // a second refresh adds no second timer
  await new Promise((resolve) => setTimeout(resolve, 200));
  schedule.stop();
  const count = synced.length;
  t.true(count >= 3, `synced ${count} times`);
  t.true(count <= 21, `one timer per segment (synced ${count} times in 200 ms)`);
  t.true(synced.every((id) => id === scheduled.id));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(synced.length, count, 'no sync after stop()');
});
