// The Developer Hub's test segments: create one of N users, then "Sync now", "Drain" or a schedule.
import { escapeHtml } from '../../../support/src/escapeHtml.ts';
import type { ConnectedAccount, TestSegment } from './hubState.ts';

export const SCHEDULES: readonly (number | null)[] = [null, 1, 5, 60, 240];

const scheduleText = (minutes: number | null): string =>
  minutes === null ? 'off' : `every ${minutes} min`;

function accountText(idToken: string | null): string {
  return idToken === null ? 'sample id_token' : idToken;
}

function segmentRow(segment: TestSegment): string {
  const name = escapeHtml(segment.name);
  return `<tr>
      <td>${name}</td><td>${segment.id}</td><td>${segment.users}</td><td>${segment.pageSize}</td>
      <td><code>${escapeHtml(accountText(segment.idToken))}</code></td><td>${scheduleText(segment.scheduleMinutes)}</td>
      <td><form method="post" action="/hub/segments/${segment.id}/sync"><button type="submit" aria-label="Sync now: ${name}">Sync now</button></form>
        <form method="post" action="/hub/segments/${segment.id}/drain"><button type="submit" aria-label="Drain: ${name}">Drain</button></form></td>
    </tr>`;
}

export function segmentsSection(
  segments: readonly TestSegment[],
  accounts: readonly ConnectedAccount[],
): string {
  const accountOptions = [...accounts]
    .reverse()
    .map(
      (account) =>
        `<option value="${escapeHtml(account.idToken)}">${escapeHtml(account.idToken)} (environment ${escapeHtml(account.envId)})</option>`,
    )
    .concat('<option value="">sample id_token</option>')
    .join('');
  const scheduleOptions = SCHEDULES.map(
    (minutes) => `<option value="${minutes ?? ''}">${scheduleText(minutes)}</option>`,
  ).join('');
  const table =
    segments.length === 0
      ? '<p>No test segment yet.</p>'
      : `<table>
    <caption>"Sync now" sends every user in pages, with Heap's retries; "Drain" tells the partner to drop them all.</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Segment id</th><th scope="col">Users</th><th scope="col">Page size</th><th scope="col">Account</th><th scope="col">Schedule</th><th scope="col">Actions</th></tr></thead>
    <tbody>${segments.map(segmentRow).join('\n')}</tbody>
  </table>`;
  return `<section aria-labelledby="segments-title">
  <h2 id="segments-title">Segments</h2>
  <form method="post" action="/hub/segments">
    <p><label for="segment-name">Segment name</label> <input id="segment-name" name="name" required maxlength="200" value="Test Segment">
      <label for="segment-users">Users</label> <input id="segment-users" name="users" type="number" min="0" max="1000000" required value="2500">
      <label for="segment-page-size">Page size</label> <input id="segment-page-size" name="pageSize" type="number" min="1" max="100000" required value="1000"></p>
    <p><label for="segment-account">Account</label> <select id="segment-account" name="idToken">${accountOptions}</select>
      <label for="segment-schedule">Schedule</label> <select id="segment-schedule" name="scheduleMinutes">${scheduleOptions}</select>
      <button type="submit">Create segment</button></p>
  </form>
  ${table}
</section>`;
}
