// Realistic user ids for simulated syncs (emails, some beyond ASCII), and id files.
import { readFile } from 'node:fs/promises';

const FIRST = [
  'ada',
  'zoë',
  'jürgen',
  'søren',
  'émilie',
  'ngozi',
  'mateo',
  'priya',
  'ñandú',
  '山田',
  'olga',
  'kwame',
];
const LAST = [
  'lovelace',
  'müller',
  'ørsted',
  'garcía',
  'okafor',
  'tanaka',
  'kowalski',
  'nguyen',
  'dubois',
];
const DOMAINS = ['example.com', 'exämple.org', 'mail.example.net', '例え.jp', 'corp.example'];

/** The `index`-th simulated user id: deterministic, unique per index, about 1 in 4 non-ASCII. */
export function simulatedUserId(index: number): string {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const domain = DOMAINS[Math.floor(index / 7) % DOMAINS.length]!;
  return `${first}.${last}.${index}@${domain}`;
}

export function simulatedUserIds(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, index) => simulatedUserId(offset + index));
}

/** Reads one user id per line (UTF-8); blank lines and surrounding whitespace are ignored. */
export async function readUserIdFile(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
