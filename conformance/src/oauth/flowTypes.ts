// What the connect-flow run observed: per flow, what the browser got and what the provider and the
// inspection API saw. The cases judge these observations and nothing else.
import type { ConnectionSummary } from './connectionsClient.ts';
import type { BrowserAnswer } from './httpBrowser.ts';
import type { FlowRecord } from './providerTypes.ts';

export interface FlowRun {
  record: FlowRecord;
  /** From the start URL to the provider's redirect to the callback, in browser A. */
  toCallback: BrowserAnswer[];
  /** The address the provider sent the browser to, or null when it sent none. */
  callbackUrl: string | null;
  /** Token requests made during this flow (later ones, such as a replay's, are not counted). */
  tokenRequestsInFlow: number;
  /** From the callback on; in browser B for the other-browser flow. */
  fromCallback: BrowserAnswer[];
  /** Connections the flow added, or null when there is no inspection API. */
  connectionsAdded: ConnectionSummary[] | null;
  /** Whether the last page shows --success-text, or null without it. */
  successShown: boolean | null;
}

/** What Chromium saw in one flow. */
export interface ChromiumFlow {
  record: FlowRecord;
  /** The address the page ended on. */
  finalUrl: string;
  /** Why the flow could not be driven, or null. */
  error: string | null;
  /** Whether the canary's script ran (its global is set). */
  canaryScriptRan: boolean;
  /** Whether the canary's element is in the DOM. */
  canaryElementInDom: boolean;
  /** The serialised DOM of the last page. */
  dom: string;
  /** Every cookie the browser holds, `name=value`. */
  cookies: string[];
  /** localStorage and sessionStorage of the last page, `key=value`. */
  storage: string[];
  /** Requests made after the callback to an origin other than the callback's. */
  crossOriginRequests: { url: string; referer: string | null }[];
  /** Every address the browser requested. */
  requestedUrls: string[];
}

export interface ObservedRun {
  providerUrl: string;
  registeredRedirectUri: string;
  flows: {
    genuine: FlowRun;
    stateAltered: FlowRun;
    stateMissing: FlowRun;
    otherBrowser: FlowRun;
    accessDenied: FlowRun;
    invalidGrant: FlowRun;
    serverError: FlowRun;
    tokenTimeout: FlowRun;
    tokenTypeCapitalised: FlowRun;
    extraFields: FlowRun;
    htmlCanary: FlowRun;
  };
  /** The genuine flow's callback delivered again in the same browser. */
  replay: {
    answers: BrowserAnswer[];
    tokenRequestsBefore: number;
    tokenRequestsAfter: number;
    connectionsAdded: ConnectionSummary[] | null;
    successShown: boolean | null;
  };
  /** Chromium flows, or why they did not run. */
  chromium:
    { ran: true; genuine: ChromiumFlow; htmlCanary: ChromiumFlow } | { ran: false; reason: string };
  /** Every flow the provider saw, the Chromium ones included. */
  allRecords: readonly FlowRecord[];
  /** Token requests with a code no flow issued. */
  strayTokenRequests: number;
  /** How the success of a flow is known. */
  successSignal: 'inspection' | 'success-text' | 'none';
  timeoutMs: number;
}
