import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux reports process CPU time in clock ticks; 100 a second on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    // Fields after the command name: state ppid ... utime(14) stime(15), numbered from 1 with pid.
    const rest = raw.slice(close + 2).split(' ');
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return { pid, ppid, comm, cpuSeconds: (utime + stime) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** The process and all its descendants (Linux /proc only; empty elsewhere). */
export function processTree(rootPid: number): ProcStat[] {
  let all: ProcStat[];
  try {
    all = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((d) => readStat(Number(d)))
      .filter((s): s is ProcStat => s !== undefined);
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const self = all.find((s) => s.pid === pid);
    if (self) out.push(self);
    for (const child of all.filter((s) => s.ppid === pid)) queue.push(child.pid);
  }
  return out;
}

/** Busy and total CPU time of the whole machine, in seconds, summed over cores. */
function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy: busy / 1000, total: total / 1000 };
}

export interface CpuReport {
  wallSeconds: number;
  /** CPU used by each watched process over the interval, in cores (1.0 = one core busy throughout). */
  cores: Record<string, number>;
  /** Share of all the machine's cores that were busy, whoever used them (other users' work included). */
  machineBusyPercent: number;
}

/**
 * Samples CPU use of named processes between `start()` and `stop()`: it says which part of the
 * system a throughput figure was bounded by (the gateway, DynamoDB Local, the load generator).
 */
export function cpuMeter(watch: () => Record<string, number[]>) {
  const processSeconds = (pids: number[]) => pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuSeconds ?? 0), 0);
  const selfSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  let begin: { at: number; machine: { busy: number; total: number }; self: number; procs: Record<string, number> } | undefined;
  const snapshot = () => {
    const procs: Record<string, number> = {};
    for (const [name, pids] of Object.entries(watch())) procs[name] = processSeconds(pids);
    return { at: performance.now(), machine: machineTimes(), self: selfSeconds(), procs };
  };
  return {
    start() {
      begin = snapshot();
    },
    stop(): CpuReport {
      if (!begin) throw new Error('cpuMeter.stop() before start()');
      const end = snapshot();
      const wall = (end.at - begin.at) / 1000;
      const r2 = (n: number) => Math.round(n * 100) / 100;
      const cores: Record<string, number> = { 'load generator (this process)': r2((end.self - begin.self) / wall) };
      for (const name of Object.keys(end.procs)) cores[name] = r2(((end.procs[name] ?? 0) - (begin.procs[name] ?? 0)) / wall);
      const busy = end.machine.busy - begin.machine.busy;
      const total = end.machine.total - begin.machine.total;
      return { wallSeconds: r2(wall), cores, machineBusyPercent: total > 0 ? Math.round((busy / total) * 100) : Number.NaN };
    },
  };
}

/** Share of the machine's cores busy over the next `ms` milliseconds (other users' work included). */
export async function sampleMachineBusy(ms = 3000): Promise<number> {
  const a = machineTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineTimes();
  const total = b.total - a.total;
  return total > 0 ? Math.round(((b.busy - a.busy) / total) * 100) : Number.NaN;
}
