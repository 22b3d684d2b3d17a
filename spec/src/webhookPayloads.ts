// Builds sync and drain payloads shaped by the generated webhook types.
import type { CustomerConfig, SegmentUsersDrain, SegmentUsersSync } from './webhookTypes.ts';

/** The customer_config of Heap's sample data. */
export const sampleCustomerConfig: CustomerConfig = {
  fields: [
    {
      field_id: 'workspace',
      field_display_name: 'Workspace',
      value: { id: 'workspace_1', display_name: 'Workspace 1' },
    },
  ],
};

export interface SyncPageSpec {
  idToken: string;
  segment: { id: number; name: string };
  syncTaskId: string;
  pageNumber: number;
  totalPages: number;
  add?: readonly string[];
  remove?: readonly string[];
  customerConfig?: CustomerConfig;
}

export function syncPagePayload(spec: SyncPageSpec): SegmentUsersSync {
  return {
    id_token: spec.idToken,
    action_type: 'segment.users.sync',
    customer_config: spec.customerConfig ?? sampleCustomerConfig,
    data: {
      segment: { id: spec.segment.id, name: spec.segment.name },
      sync_info: {
        page_number: spec.pageNumber,
        total_pages: spec.totalPages,
        sync_task_id: spec.syncTaskId,
      },
      add: (spec.add ?? []).map((id) => ({ id })),
      remove: (spec.remove ?? []).map((id) => ({ id })),
    },
  };
}

export function drainPayload(spec: {
  idToken: string;
  segment: { id: number; name: string };
  customerConfig?: CustomerConfig;
}): SegmentUsersDrain {
  return {
    id_token: spec.idToken,
    action_type: 'segment.users.drain',
    customer_config: spec.customerConfig ?? sampleCustomerConfig,
    data: { segment: { id: spec.segment.id, name: spec.segment.name } },
  };
}
