// `npx tsx scripts/cpuProfileSummary.ts <file.cpuprofile> [--top N]`: prints the functions with the
// most self time in a profile written by `node --cpu-prof`.
import { readFileSync } from 'node:fs';
import { parseCliArgs } from '../support/src/cliArgs.ts';
import { summariseCpuProfile, type CpuProfile } from './bench/summariseCpuProfile.ts';

function usage(message: string): never {
  console.error(`cpuProfileSummary: ${message}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseCliArgs(
    {
      args: process.argv.slice(2),
      options: { top: { type: 'string' } },
      allowPositionals: true,
    },
    { command: 'npx tsx scripts/cpuProfileSummary.ts', env: process.env },
  );
} catch (error) {
  usage((error as Error).message);
}
const [file, ...extra] = parsed.positionals;
if (file === undefined || extra.length > 0) usage('give exactly one .cpuprofile file');
const top = Number(parsed.values.top ?? 25);
if (!Number.isInteger(top) || top < 1)
  usage(`--top must be a positive integer (got "${parsed.values.top}")`);

let profile: CpuProfile;
try {
  profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(profile.nodes) || !Array.isArray(profile.samples))
    throw new Error('no samples');
} catch (error) {
  usage(`${file} is not a readable CPU profile (${(error as Error).message})`);
}
const summary = summariseCpuProfile(profile);
console.log(`${summary.totalMs.toFixed(0)} ms sampled; self time by function:`);
for (const row of summary.rows.slice(0, top)) {
  console.log(`${(row.share * 100).toFixed(1).padStart(5)}%  ${row.frame}`);
}
