// Where this project's files are, for entry points that run others as child processes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, spec/, server/, conformance/ and scripts/. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
