// The account a delivery without an id_token is kept under, so that nothing Heap sends is lost.

/**
 * Heap's test sender sends no `id_token` when its `ID_TOKEN` variable is unset (an empty one when it
 * is set empty), and its drain sample has none: such a delivery belongs to no connected account. It
 * is applied under this account, which the inspection API lists like any other. Heap's id_tokens are
 * UUIDs, so it cannot be mistaken for a connected account.
 */
export const UNASSIGNED_ACCOUNT = 'unassigned';

/** The account a delivery is applied to: its id_token, or the unassigned account without one. */
export function accountOf(idToken: string | undefined): {
  idToken: string;
  assigned: boolean;
} {
  return idToken === undefined || idToken === ''
    ? { idToken: UNASSIGNED_ACCOUNT, assigned: false }
    : { idToken, assigned: true };
}
