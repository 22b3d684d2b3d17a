// The Developer Hub's tables: each caption says something its section's heading does not, and
// timestamps are marked up so that they stay on one line.
import test from 'ava';
import { accountsSection } from '../mockHeap/hub/accountsSection.ts';
import { segmentsSection } from '../mockHeap/hub/segmentsSection.ts';

const account = {
  idToken: '7a36ae58-c4b9-11eb-8529-0242ac130003',
  envId: '2544353',
  authorizedBy: 'pam@example.co',
  authorizedAt: '2026-12-01T23:08:44.123Z',
};
const segment = {
  id: 1,
  name: 'Test Segment',
  users: 10,
  pageSize: 5,
  idToken: null,
  scheduleMinutes: null,
};

const sections: [string, string][] = [
  ['connected accounts', accountsSection([account])],
  ['segments', segmentsSection([segment], [account])],
];

for (const [name, html] of sections) {
  test(`the ${name} table's caption adds to its heading`, (t) => {
    const heading = /<h2[^>]*>([^<]+)<\/h2>/.exec(html)?.[1]?.trim();
    const caption = /<caption>([^<]+)<\/caption>/.exec(html)?.[1]?.trim();
    t.truthy(heading);
    t.truthy(caption);
    t.false(caption!.toLowerCase().includes(heading!.toLowerCase()), caption);
    t.true(caption!.split(/\s+/).length >= 6, caption);
  });
}

test('an account is shown with its authorisation time as a <time>', (t) => {
  t.regex(
    accountsSection([account]),
    /<time datetime="2026-12-01T23:08:44\.123Z">2026-12-01T23:08:44\.123Z<\/time>/,
  );
});
