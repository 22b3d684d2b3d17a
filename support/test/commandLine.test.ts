// The command name every usage line and hint uses: the installed command's, or the npm script's.
import test from 'ava';
import { commandLine, INVOKED_AS_ENV } from '../src/commandLine.ts';

test('in the checkout, the npm script with its --', (t) => {
  t.is(commandLine('send', {}), 'npm run send --');
  t.is(commandLine('mock:heap', {}), 'npm run mock:heap --');
  t.is(commandLine('start', {}), 'npm start --');
});

test('under the installed command, the heap-sync subcommand', (t) => {
  const env = { [INVOKED_AS_ENV]: 'heap-sync' };
  t.is(commandLine('send', env), 'heap-sync send');
  t.is(commandLine('mock:heap', env), 'heap-sync mock');
  t.is(commandLine('conformance', env), 'heap-sync conformance');
});
