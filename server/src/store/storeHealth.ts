// What a store reports about its database to the health check.
export interface StoreHealth {
  /** `ok`: writes can be made now; `locked`: another process holds the write lock; `unavailable`: failing. */
  database: 'ok' | 'locked' | 'unavailable';
}
