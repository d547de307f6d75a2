import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { stopChild } from './dynamodb-local';
import { freePort, waitFor } from './free-port';
import type { StandInCredentials } from './stand-in-credentials';

export interface S3LocalOptions {
  dataDir: string;
  buckets: string[];
  port?: number;
  /** The install's credentials: s3rver accepts this key id alone (see local/s3rver-child.cjs). */
  credentials: StandInCredentials;
}

export interface S3Local {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts s3rver in its own process behind the guard of local/s3rver-child.cjs (the install's
 * credentials, loopback Host, keys the filesystem can hold). It runs with the OpenSSL legacy
 * provider because its truncated ListObjectsV2 responses fail without it (see docs/runbook.md).
 */
export async function startS3Local(opts: S3LocalOptions): Promise<S3Local> {
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ['--openssl-legacy-provider', join(__dirname, 's3rver-child.cjs')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      CASEFLOW_S3RVER: JSON.stringify({ directory: opts.dataDir, port, buckets: opts.buckets }),
      CASEFLOW_S3_CREDENTIALS: JSON.stringify(opts.credentials),
    },
  });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: opts.credentials });
  try {
    await waitFor('s3rver', async () => {
      if (child.exitCode !== null) throw new Error(`s3rver exited: ${errors}`);
      const out = await client.send(new ListBucketsCommand({}));
      return opts.buckets.every((b) => out.Buckets?.some((x) => x.Name === b));
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop: () => stopChild(child) };
}
