// Generates an HTTP client for a spec with openapi-generator, whose jar ships in the npm package.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { formatTypeScript } from './formatSource.ts';
import { generatedStamp, type ClientTarget } from './targets.ts';

const require = createRequire(import.meta.url);

/** Where the generator jar lives: inside @openapitools/openapi-generator-cli 1.0.x, no download. */
export function generatorJarPath(): string {
  const pkg = require.resolve('@openapitools/openapi-generator-cli/package.json');
  return path.join(path.dirname(pkg), 'bin', 'openapi-generator.jar');
}

/** The java executable to use: $JAVA_HOME/bin/java when set, else `java` on PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Null when Java can run, else a sentence saying what is missing and how to fix it. */
export function javaUnavailableReason(env: NodeJS.ProcessEnv = process.env): string | null {
  const java = javaCommand(env);
  const probe = spawnSync(java, ['-version'], { env, stdio: 'ignore' });
  if (!probe.error && probe.status === 0) return null;
  return (
    `Java was not found (tried \`${java}\`), and openapi-generator needs Java 11 or later to ` +
    'regenerate the client in generated/heap-client/. Install a JDK (for example ' +
    '`apt-get install openjdk-17-jre-headless`) or set JAVA_HOME, then run `npm run generate` again. ' +
    'The committed client is still valid; everything else was generated.'
  );
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(dir, relative)));
    else files.push(relative);
  }
  return files.sort();
}

function runJava(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(env), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`openapi-generator exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** Returns the formatted client files for `target`, keyed by path relative to generated/. */
export async function generateClient(
  specDir: string,
  target: ClientTarget,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Map<string, string>> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'heap-openapi-generator-'));
  try {
    const properties = Object.entries(target.properties)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    await runJava(
      [
        '-jar',
        generatorJarPath(),
        'generate',
        '--input-spec',
        path.join(specDir, target.spec),
        '--generator-name',
        target.generator,
        '--output',
        workDir,
        '--additional-properties',
        properties,
      ],
      env,
    );
    const files = new Map<string, string>();
    for (const file of await listFiles(workDir)) {
      // Bookkeeping files of the generator itself carry no code.
      if (file === '.openapi-generator-ignore' || file.startsWith('.openapi-generator/')) continue;
      const contents = await readFile(path.join(workDir, file), 'utf8');
      const output = path.posix.join(target.outputDir, file);
      files.set(
        output,
        file.endsWith('.ts')
          ? await formatTypeScript(generatedStamp(target.spec) + contents)
          : contents,
      );
    }
    return files;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
