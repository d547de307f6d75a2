import { spawn } from 'node:child_process';
import { cpuMeter, type CpuReport } from './cpu-usage';
import { ROOT } from './paths';

/** What a phase's child prints on a line of its own when its measured run starts and ends (the parent meters CPU between them). */
export const MEASURE_START = 'measure-start';
export const MEASURE_END = 'measure-end';

/**
 * Runs one phase of a benchmark in a child process (`node <args>`): meters the CPU of the child and
 * the stand-ins between its MEASURE_START and MEASURE_END lines, and resolves with the JSON report it
 * prints last, with the cores each process used and how busy the machine was.
 */
export function runChildPhase<R>(phase: string, args: readonly string[], env: Record<string, string>, standIns: Record<string, number[]>): Promise<R & { cpuCores: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    const meter = cpuMeter(() => ({ ...standIns, [`${phase} process`]: proc.pid === undefined ? [] : [proc.pid] }));
    let cpu: CpuReport | undefined;
    let stdout = '';
    let pending = '';
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      pending += d.toString();
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line === MEASURE_START) meter.start();
        else if (line === MEASURE_END) cpu = meter.stop();
      }
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const report = JSON.parse(last) as R;
        const { 'load generator (this process)': _bench, ...cores } = cpu?.cores ?? {};
        resolve({ ...report, cpuCores: { ...cores, 'machine busy %': cpu?.machineBusyPercent ?? Number.NaN } });
      } catch {
        reject(new Error(`the ${phase} child exited ${code} without its figures:\n${stdout.slice(-2000)}`));
      }
    });
  });
}
