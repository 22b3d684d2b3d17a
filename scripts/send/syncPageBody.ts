// Builds a sync page's body bytes straight from its user ids: the same bytes as `JSON.stringify` of
// the contract's payload builder, without an object per user on the way.
import { syncPagePayload, type SyncPageSpec } from '../../spec/src/index.ts';

/** Stand-in ids that cannot occur in a real list: they mark where each list's items go. */
const ADD_MARK = '\u0000add\u0000';
const REMOVE_MARK = '\u0000remove\u0000';
const marked = (mark: string): string => `[${JSON.stringify({ id: mark })}]`;

function listText(ids: readonly string[]): string {
  let text = '[';
  for (let index = 0; index < ids.length; index++) {
    if (index > 0) text += ',';
    text += `{"id":${JSON.stringify(ids[index])}}`;
  }
  return `${text}]`;
}

/**
 * The body of one sync page. The frame (everything but the users) comes from `syncPagePayload`, so
 * key order and fields follow the contract; only the two lists are written here, as its `{id}` items.
 */
export function syncPageBody(spec: SyncPageSpec): Buffer {
  const add = spec.add ?? [];
  const remove = spec.remove ?? [];
  const frame = JSON.stringify(
    syncPagePayload({
      ...spec,
      add: add.length > 0 ? [ADD_MARK] : [],
      remove: remove.length > 0 ? [REMOVE_MARK] : [],
    }),
  );
  const lists = [
    { ids: add, mark: marked(ADD_MARK) },
    { ids: remove, mark: marked(REMOVE_MARK) },
  ]
    .filter(({ ids }) => ids.length > 0)
    .map(({ ids, mark }) => ({ ids, mark, at: frame.indexOf(mark) }))
    .sort((a, b) => a.at - b.at);
  let text = '';
  let from = 0;
  for (const { ids, mark, at } of lists) {
    if (at < 0) throw new Error('syncPageBody: the payload builder no longer writes {id} items');
    text += frame.slice(from, at) + listText(ids);
    from = at + mark.length;
  }
  return Buffer.from(text + frame.slice(from), 'utf8');
}
