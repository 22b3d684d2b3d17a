// The stores one server uses, opened together on one database.
import type { ConnectionStore } from './connectionStore.ts';
import type { OAuthStateStore } from './oauthStateStore.ts';
import type { SegmentStore } from './segmentStore.ts';

export interface Stores {
  segments: SegmentStore;
  connections: ConnectionStore;
  /** Used OAuth states, so single use holds across restarts and instances. */
  oauthStates: OAuthStateStore;
}
