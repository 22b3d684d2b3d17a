// Small readings of what a flow observed, shared by the connect-flow cases: server errors, missing
// answers, whether a flow connected, where a value leaked, and a flow's exchange in a few lines.
import type { FlowRun, ObservedRun } from './flowTypes.ts';
import type { BrowserAnswer } from './httpBrowser.ts';

export const serverError = (answers: readonly BrowserAnswer[]) =>
  answers.find((answer) => answer.ok && answer.status >= 500);

export const unanswered = (answers: readonly BrowserAnswer[]) =>
  answers.find((answer) => !answer.ok);

export const allAnswers = (flow: FlowRun) => [...flow.toCallback, ...flow.fromCallback];

/**
 * Whether the flow left a connection: the inspection API's word when there is one, else whether
 * the last page shows --success-text; null when neither was given.
 */
export function connected(
  flow: Pick<FlowRun, 'connectionsAdded' | 'successShown'>,
): boolean | null {
  if (flow.connectionsAdded) return flow.connectionsAdded.length > 0;
  return flow.successShown;
}

/** How the connection check was made, for messages. */
export const connectionWord = (run: ObservedRun) =>
  run.successSignal === 'inspection'
    ? 'the inspection API'
    : run.successSignal === 'success-text'
      ? 'the success text'
      : 'nothing (no --inspect-url or --success-text: connections not verified)';

function decodedForms(text: string): string[] {
  const forms = [text];
  try {
    forms.push(decodeURIComponent(text));
  } catch {
    // Not percent-encoded.
  }
  for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
    forms.push(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'));
  }
  return forms;
}

/** Whether `text` holds `value`, as is, percent-encoded or Base64-encoded. */
export const reveals = (text: string, value: string) =>
  decodedForms(text).some((form) => form.includes(value));

/** Where in an answer a value appears (body, a header, a cookie, the Location), or null. */
export function whereInAnswer(answer: BrowserAnswer, value: string): string | null {
  if (!answer.ok) return null;
  if (answer.location && reveals(answer.location, value)) return `the Location of ${answer.url}`;
  for (const line of answer.setCookies) {
    if (reveals(line, value)) return `a cookie set by ${answer.url}`;
  }
  for (const [name, header] of Object.entries(answer.headers)) {
    if (name !== 'set-cookie' && name !== 'location' && reveals(header, value)) {
      return `the ${name} header of ${answer.url}`;
    }
  }
  if (answer.body.includes(value) || reveals(answer.body, value))
    return `the page at ${answer.url}`;
  return null;
}

/** The browser's answers in a few lines: status, address and Location. */
export function answersEvidence(label: string, answers: readonly BrowserAnswer[]): string {
  const lines = answers.map((answer) =>
    answer.ok
      ? `  GET ${answer.url} -> ${answer.status}${answer.location ? ` Location: ${answer.location}` : ''}${answer.status >= 400 || !answer.location ? ` ${answer.body.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`
      : `  GET ${answer.url} -> no answer: ${answer.error}`,
  );
  return [`${label}:`, ...lines].join('\n');
}

/** What the provider saw in a flow, in one line. */
export function providerSaw(flow: FlowRun): string {
  const record = flow.record;
  return (
    `the provider saw ${record.authorizeRequests.length} authorize, ${record.tokenRequests.length} ` +
    `token and ${record.metadataRequests.length} metadata request(s)`
  );
}
