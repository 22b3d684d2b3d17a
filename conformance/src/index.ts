// The conformance room's public entry: the suite, and the keep-alive client that sends signed
// deliveries and records each exchange (the sender and the benchmarks use it too).
export {
  DeliveryClient,
  type DeliveryClientOptions,
  type Exchange,
} from './delivery/webhookDelivery.ts';
export { allCases, selectCases } from './cases/allCases.ts';
export {
  GROUPS,
  SOURCE_NAMES,
  type CaseResult,
  type CaseSource,
  type ConformanceCase,
  type Diagnosis,
  type Finding,
  type Group,
} from './cases/caseTypes.ts';
export { runSuite, type SuiteResult, type SuiteSettings } from './runner/runSuite.ts';
