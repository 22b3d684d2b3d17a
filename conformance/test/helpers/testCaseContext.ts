// The context a case is built with, for tests that build or probe cases without a run: a partner
// at a closed loopback port, a fixed clock and the smallest budgets; `overrides` sets the rest.
import type { CaseContext } from '../../src/cases/caseTypes.ts';

export function testCaseContext(overrides: Partial<CaseContext> = {}): CaseContext {
  const segmentId = overrides.segmentId ?? 1;
  return {
    url: 'http://127.0.0.1:1/hook',
    drainUrl: 'http://127.0.0.1:1/hook',
    secret: 'test-case-secret',
    idToken: 'account',
    secondIdToken: 'second-account',
    unknownIdToken: null,
    segmentId,
    otherSegmentId: (n) => segmentId + 1000 * n,
    now: () => 1_764_000_000_000,
    maxAgeMs: 300_000,
    maxSkewMs: 60_000,
    largePageSize: 0,
    newSyncTaskId: () => 'task',
    modelBudget: { runs: 1, steps: 1, largeDrain: 0, seed: 1, path: null },
    ...overrides,
  };
}
