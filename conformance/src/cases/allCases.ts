// Every conformance case, in the order they run.
import type { ConformanceCase, Group } from './caseTypes.ts';
import { drainCases } from './drainCases.ts';
import { exampleCases } from './exampleCases.ts';
import { inspectionCases } from './inspectionCases.ts';
import { modelCases } from './modelGroup.ts';
import { robustnessCases } from './robustnessCases.ts';
import { signatureCases } from './signatureCases.ts';
import { syncCases } from './syncCases.ts';

export function allCases(): ConformanceCase[] {
  return [
    ...exampleCases(),
    ...signatureCases(),
    ...syncCases(),
    ...drainCases(),
    ...robustnessCases(),
    ...inspectionCases(),
    ...modelCases(),
  ];
}

export function selectCases(
  cases: readonly ConformanceCase[],
  groups: readonly Group[] | null,
): ConformanceCase[] {
  return groups === null
    ? [...cases]
    : cases.filter((conformanceCase) => groups.includes(conformanceCase.group));
}
