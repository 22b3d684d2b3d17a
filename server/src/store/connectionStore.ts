// Connected Heap accounts, as the OAuth flow stores them. The SQLite store implements it; the
// access token is stored encrypted and never returned by listings.
import type { components } from '../../../generated/partner-inspection-api.ts';

export type ConnectionSummary = components['schemas']['ConnectionSummary'];

export interface NewConnection {
  idToken: string;
  envId: string;
  authorizedBy: string;
  authorizedAt: string;
  /** The access token, already encrypted. */
  sealedAccessToken: string;
  connectedAt: Date;
}

export interface ConnectionStore {
  /** Stores or replaces the connection of `idToken` (a customer may connect again). */
  saveConnection(connection: NewConnection): Promise<void>;
  isConnected(idToken: string): Promise<boolean>;
  listConnections(): Promise<ConnectionSummary[]>;
  close(): Promise<void>;
}
