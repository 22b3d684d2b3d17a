// The conformance room's public entry: the suite, and the keep-alive client that sends signed
// deliveries and records each exchange (the sender and the benchmarks use it too).
export {
  DeliveryClient,
  type DeliveryClientOptions,
  type Exchange,
} from './delivery/webhookDelivery.ts';
export { allCases, selectCases } from './cases/allCases.ts';
export { GROUPS, type ConformanceCase, type Group } from './cases/caseTypes.ts';
export { runSuite, type SuiteResult, type SuiteSettings } from './runner/runSuite.ts';
