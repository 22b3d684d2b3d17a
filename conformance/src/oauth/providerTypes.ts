// What the connect-flow run's test provider can be told to do in one flow, and what it records of
// the partner's requests in that flow.

/** How the authorization response (the redirect back to the partner) is spoiled. */
export type AuthorizeFault = 'none' | 'state-altered' | 'state-missing' | 'access-denied';

/** How the token endpoint answers the code of this flow. */
export type TokenFault =
  | 'none'
  | 'invalid-grant'
  | 'server-error'
  | 'no-answer'
  | 'token-type-capitalised'
  | 'extra-fields';

/** What the metadata endpoint answers for this flow. */
export type MetadataFault = 'none' | 'html-canary';

export interface FlowScenario {
  authorize: AuthorizeFault;
  token: TokenFault;
  metadata: MetadataFault;
}

export const GENUINE: FlowScenario = { authorize: 'none', token: 'none', metadata: 'none' };

/** One request to the authorize endpoint. */
export interface AuthorizeRecord {
  clientId: string | null;
  state: string | null;
  redirectUri: string | null;
  responseType: string | null;
  scope: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  /** The code issued in the redirect, or null when none was (a refusal, or an error response). */
  code: string | null;
  /** Where the provider sent the browser, or null when it answered 400. */
  location: string | null;
  /** Why the provider refused to redirect (unknown client, unregistered redirect_uri), or null. */
  refusal: string | null;
}

/** One request to the token endpoint. */
export interface TokenRecord {
  code: string | null;
  grantType: string | null;
  redirectUri: string | null;
  clientId: string | null;
  /** True when the client authenticated with the registered secret (in the body or HTTP Basic). */
  clientAuthenticated: boolean;
  codeVerifier: string | null;
  /**
   * With PKCE: whether code_verifier matches the authorize request's code_challenge (S256 or
   * plain, RFC 7636 §4.6); null when the flow sent no challenge.
   */
  verifierMatches: boolean | null;
  /** How many times this code had been sent before this request, in the whole run. */
  earlierUses: number;
  /** The status the provider answered, or null when it held the request without answering. */
  answerStatus: number | null;
}

/** One request to the metadata endpoint. */
export interface MetadataRecord {
  idToken: string;
  /** The access token came in `Authorization: Bearer`. */
  bearerHeader: boolean;
  /** Names of query parameters whose value is the access token (it must never be there). */
  tokenInQuery: string[];
  answerStatus: number;
}

/** The values the provider issued in one flow: unique to it, so that they act as canaries. */
export interface IssuedValues {
  code: string | null;
  accessToken: string;
  idToken: string;
  /** A marker carried by the metadata's HTML canary. */
  canaryMarker: string;
}

export interface FlowRecord {
  /** The flow's name, for reports. */
  name: string;
  scenario: FlowScenario;
  issued: IssuedValues;
  authorizeRequests: AuthorizeRecord[];
  tokenRequests: TokenRecord[];
  metadataRequests: MetadataRecord[];
}
