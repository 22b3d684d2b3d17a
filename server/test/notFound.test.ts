// Addresses no route serves: a browser gets a page that leads back to the connect page, an API
// client JSON, and the icon browsers ask for on their own an empty answer instead of an error.
import test from 'ava';
import { startTestServer } from './helpers/testServer.ts';

test('a browser asking for an unknown page gets an HTML 404 with a way back, escaped', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const response = await fetch(`${server.url}/no-such-page/%3Cb%3E`, {
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  });
  t.is(response.status, 404);
  t.regex(response.headers.get('content-type') ?? '', /^text\/html/);
  const html = await response.text();
  t.regex(html, /<h1 class="error">Page not found<\/h1>/);
  t.regex(html, /<a href="\/">/);
  t.false(html.includes('<b>'));
  t.regex(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
});

test('an API client asking for an unknown address still gets JSON', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const response = await fetch(`${server.url}/no-such-route`, {
    headers: { accept: 'application/json' },
  });
  t.is(response.status, 404);
  t.deepEqual(await response.json(), { error: 'No route for GET /no-such-route' });
});

test('the browser icon request gets an empty answer, not a 404', async (t) => {
  const server = await startTestServer();
  t.teardown(() => server.close());
  const response = await fetch(`${server.url}/favicon.ico`);
  t.is(response.status, 204);
  t.is(await response.text(), '');
});
