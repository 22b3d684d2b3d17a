// Checks, before the first request, that every report file asked for can be written, so that a bad
// path is found in a second rather than after a whole run.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

/** Null when each file can be written (created or replaced), else one line saying which cannot. */
export async function unwritableReportPath(
  files: readonly { flag: string; file: string | null }[],
): Promise<string | null> {
  for (const { flag, file } of files) {
    if (file === null) continue;
    const target = path.resolve(file);
    const existing = await stat(target).catch(() => null);
    if (existing?.isDirectory()) return `${flag} ${file}: is a directory`;
    const checked = existing ? target : path.dirname(target);
    const directory = existing ? null : await stat(checked).catch(() => null);
    if (!existing && !directory?.isDirectory()) {
      return `${flag} ${file}: the directory ${path.dirname(target)} does not exist`;
    }
    try {
      await access(checked, constants.W_OK);
    } catch {
      return `${flag} ${file}: ${existing ? 'the file' : `the directory ${checked}`} is not writable`;
    }
  }
  return null;
}
