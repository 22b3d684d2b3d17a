// The generated payload types compile for right-shaped objects and reject wrong-shaped ones.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../support/src/projectRoot.ts';

/** Type-checks `source` (placed inside spec/test so relative imports resolve) and returns the errors. */
async function typeErrors(source: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(projectRoot, 'spec/test/.typecheck-'));
  try {
    const file = path.join(dir, 'probe.ts');
    await writeFile(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: [],
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const header = `import type { components } from '../../../generated/webhook.ts';
type Sync = components['schemas']['SegmentUsersSync'];
type Delivery = components['schemas']['HeapWebhook'];
`;

const validSync = `{
  action_type: 'segment.users.sync',
  id_token: 'abc',
  customer_config: { fields: [] },
  data: {
    segment: { id: 1, name: 'S' },
    sync_info: { page_number: 1, total_pages: 1, sync_task_id: 't' },
    add: [{ id: 'a@b.c' }],
  },
}`;

test('a right-shaped sync page compiles', async (t) => {
  t.deepEqual(await typeErrors(`${header}export const ok: Sync = ${validSync};\n`), []);
});

const wrongShapes: [string, { given: string; want: RegExp }][] = [
  [
    'a sync page without sync_info',
    {
      given: `export const bad: Sync = { action_type: 'segment.users.sync', id_token: 'a', customer_config: { fields: [] }, data: { segment: { id: 1, name: 'S' } } };`,
      want: /sync_info/,
    },
  ],
  [
    'a page number given as a string',
    {
      given: `export const bad: Sync = ${validSync.replace('page_number: 1', "page_number: '1'")};`,
      want: /not assignable to type 'number'/,
    },
  ],
  [
    'an unknown action type',
    {
      given: `export const bad: Delivery = ${validSync.replace('segment.users.sync', 'segment.users.rename')};`,
      want: /segment\.users\.rename/,
    },
  ],
  [
    'a drain with users but no segment',
    {
      given: `export const bad: Delivery = { action_type: 'segment.users.drain', id_token: 'a', customer_config: { fields: [] }, data: { add: [] } };`,
      want: /not assignable/,
    },
  ],
];

for (const [name, { given, want }] of wrongShapes) {
  test(`the generated types reject ${name}`, async (t) => {
    const errors = await typeErrors(`${header}${given}\n`);
    t.true(errors.length > 0, 'expected a type error');
    t.regex(errors.join('\n'), want);
  });
}
