// Builds sync and drain payloads shaped by the generated webhook types.
import type {
  CustomerConfig,
  CustomerConfigField,
  SegmentUsersDrain,
  SegmentUsersSync,
} from './webhookTypes.ts';

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

/** The parts Heap may omit but a built payload always carries, so callers can extend them. */
interface BuiltParts {
  id_token: string;
  customer_config: { fields: CustomerConfigField[] };
}

/** A sync page with an account and a customer_config, as Heap's samples have. */
export type BuiltSyncPage = SegmentUsersSync & BuiltParts;
/** A drain with an account and a customer_config, as Heap's samples have. */
export type BuiltDrain = SegmentUsersDrain & BuiltParts;

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

/** A copy, so that a caller adding a field changes its own payload only. */
function configFor(config: CustomerConfig | undefined): BuiltParts['customer_config'] {
  const copy = structuredClone(config ?? sampleCustomerConfig);
  return { ...copy, fields: copy.fields ?? [] };
}

export function syncPagePayload(spec: SyncPageSpec): BuiltSyncPage {
  return {
    id_token: spec.idToken,
    action_type: 'segment.users.sync',
    customer_config: configFor(spec.customerConfig),
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
}): BuiltDrain {
  return {
    id_token: spec.idToken,
    action_type: 'segment.users.drain',
    customer_config: configFor(spec.customerConfig),
    data: { segment: { id: spec.segment.id, name: spec.segment.name } },
  };
}
