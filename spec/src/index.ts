// The contract in code: everything that *is* the Heap Segment Sync contract rather than a use of it.
// Signing and verifying Heap-Hash, reading the spec files, validating and classifying payloads,
// the payload types (generated from the YAML), builders of payloads shaped like Heap's, and the
// fidelity corpus of the payloads Heap has published, and the model of what a partner must store.
export {
  checkHmacLength,
  checkTimestampWindow,
  computeHeapHmac,
  DEFAULT_TOLERANCE,
  parseHeapHash,
  signHeapHash,
  verifyHeapHash,
  type HeapHashFailure,
  type HeapHashFailureCode,
  type ParsedHeapHash,
  type ParseResult,
  type Tolerance,
  type VerifyOptions,
  type VerifyResult,
} from './heapHash.ts';
export { bodyBytes, signedDelivery, type OutgoingDelivery } from './signedDelivery.ts';
export {
  readSpec,
  specDir,
  specFiles,
  type OpenApiDocument,
  type OpenApiOperation,
} from './specFiles.ts';
export {
  createSchemaValidator,
  describeSchemaError,
  type SchemaValidator,
  type ValidationResult,
} from './schemaValidator.ts';
export {
  classifyDelivery,
  webhookExamples,
  webhookValidator,
  type ClassifiedDelivery,
  type WebhookExample,
} from './webhookContract.ts';
export {
  DRAIN_ACTION,
  SYNC_ACTION,
  type CustomerConfig,
  type CustomerConfigField,
  type HeapWebhook,
  type SegmentUsersDrain,
  type SegmentUsersSync,
} from './webhookTypes.ts';
export {
  drainPayload,
  sampleCustomerConfig,
  syncPagePayload,
  type BuiltDrain,
  type BuiltSyncPage,
  type SyncPageSpec,
} from './webhookPayloads.ts';
export {
  corpusBytesFor,
  corpusDir,
  fidelityCorpus,
  type CorpusEntry,
  type CorpusProducer,
  type CorpusSource,
} from './fidelityCorpus.ts';
export {
  compareCodeUnits,
  expectedMembership,
  membershipProblem,
  showUserId,
  type MemberVerdict,
  type MembershipDelivery,
  type MembershipExpectation,
  type SegmentExpectation,
} from './membershipModel.ts';
export { membershipDeliveryOf } from './membershipDelivery.ts';
