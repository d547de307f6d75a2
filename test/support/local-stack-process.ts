import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LocalEndpoints } from '../../local/stack';

const ROOT = resolve(__dirname, '..', '..');

export interface RunningStack {
  child: ChildProcess;
  endpoints: LocalEndpoints;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts the local stack the way `npm start` does (`node --import tsx local/start.ts`: one process,
 * so signals reach the stack itself) and waits for its endpoints file. `extraEnv`: settings an
 * operator would export before `npm start` (TRAINING_GUARD=refuse…).
 */
export async function startStackProcess(dataDir: string, extraArgs: string[] = [], timeoutMs = 90_000, extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  const endpointsFile = join(dataDir, 'endpoints.json');
  if (existsSync(endpointsFile)) rmSync(endpointsFile);
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir, '--log-level', 'WARN', ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, PORT: '', CASEFLOW_DATA_DIR: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const deadline = Date.now() + timeoutMs;
  while (!existsSync(endpointsFile)) {
    if (child.exitCode !== null) throw new Error(`the local stack exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local stack did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as LocalEndpoints;
  return {
    child,
    endpoints,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
