import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { freePort, waitFor } from './free-port';
import { stopChild } from './dynamodb-local';

export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Starts s3rver in its own process. It runs with the OpenSSL legacy provider because its
 * truncated ListObjectsV2 responses fail without it (see docs/runbook.md).
 */
export async function startS3Local(opts: { dataDir: string; buckets: string[]; port?: number }) {
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const bin = require.resolve('s3rver/bin/s3rver.js');
  const args = ['--openssl-legacy-provider', bin, '-d', opts.dataDir, '-a', '127.0.0.1', '-p', String(port), '--silent'];
  for (const bucket of opts.buckets) args.push('--configure-bucket', bucket);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_CREDENTIALS });
  try {
    await waitFor('s3rver', async () => {
      if (child.exitCode !== null) throw new Error(`s3rver exited: ${errors}`);
      const out = await client.send(new ListBucketsCommand({}));
      return opts.buckets.every((b) => out.Buckets?.some((x) => x.Name === b));
    });
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop: () => stopChild(child) };
}
