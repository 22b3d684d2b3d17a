// Names for the payload types generated from spec/webhook_spec.yaml (the only source of their shape).
import type { components } from '../../generated/webhook.ts';

type Schemas = components['schemas'];

export type HeapWebhook = Schemas['HeapWebhook'];
export type SegmentUsersSync = Schemas['SegmentUsersSync'];
export type SegmentUsersDrain = Schemas['SegmentUsersDrain'];
export type CustomerConfig = Schemas['CustomerConfig'];
export type CustomerConfigField = Schemas['CustomerConfigField'];

export const SYNC_ACTION: SegmentUsersSync['action_type'] = 'segment.users.sync';
export const DRAIN_ACTION: SegmentUsersDrain['action_type'] = 'segment.users.drain';
