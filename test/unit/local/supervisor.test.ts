import { spawn } from 'node:child_process';
import { stopChild } from '../../../local/dynamodb-local';
import { supervise, type RunningChild } from '../../../local/supervisor';
import { eventually } from '../../support/eventually';

/** A stand-in stand-in: a child process that runs until it is killed. */
function child(): RunningChild {
  const process = spawn(global.process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return { process, stop: () => stopChild(process) };
}

describe('the stand-in supervisor', () => {
  it('starts a stand-in that died again and reports it up, with the restart counted', async () => {
    const lines: string[] = [];
    const s = supervise('s3rver', child(), async () => child(), { onGiveUp: () => undefined, log: (l) => lines.push(l) });
    const firstPid = s.health().pid;
    process.kill(firstPid ?? 0, 'SIGKILL');
    const health = await eventually(() => {
      const h = s.health();
      return h.status === 'up' && h.pid !== firstPid ? h : undefined;
    }, 10_000, 'restarted');
    expect(health).toMatchObject({ restarts: 1, lastExit: 'signal SIGKILL' });
    expect(lines).toEqual(['caseflow: s3rver exited (signal SIGKILL); restarting it', 'caseflow: s3rver is up again']);
    await s.stop();
  });

  it('gives up on a stand-in that keeps dying and says so once, instead of restarting it forever', async () => {
    const gaveUp: string[] = [];
    const s = supervise('DynamoDB Local', child(), async () => child(), { maxRestarts: 2, onGiveUp: (name, detail) => gaveUp.push(`${name}: ${detail}`), log: () => undefined });
    for (let i = 0; i < 3; i += 1) {
      const pid = await eventually(() => (s.health().status === 'up' ? s.health().pid : undefined), 10_000, 'up');
      process.kill(pid ?? 0, 'SIGKILL');
      await eventually(() => (s.health().pid !== pid ? true : undefined), 10_000, 'noticed');
    }
    await eventually(() => (s.health().status === 'down' ? true : undefined), 10_000, 'down');
    expect(gaveUp).toEqual(['DynamoDB Local: exited (signal SIGKILL) 3 times within 60 s']);
    expect(s.health()).toMatchObject({ status: 'down', restarts: 2 });
    await s.stop();
  });

  it('stops a stand-in that was being started again when the stack stopped, leaving no orphan process', async () => {
    let startAgain: (c: RunningChild) => void = () => undefined;
    const s = supervise('s3rver', child(), () => new Promise<RunningChild>((r) => (startAgain = r)), { onGiveUp: () => undefined, log: () => undefined });
    process.kill(s.health().pid ?? 0, 'SIGKILL');
    await eventually(() => (s.health().status === 'restarting' ? true : undefined), 10_000, 'restarting');
    const stopped = s.stop();
    const late = child();
    startAgain(late);
    await stopped;
    expect(late.process.exitCode !== null || late.process.signalCode !== null).toBe(true);
  });

  it('does not restart a stand-in the stack stopped', async () => {
    let restarted = false;
    const s = supervise('s3rver', child(), async () => {
      restarted = true;
      return child();
    }, { onGiveUp: () => undefined, log: () => undefined });
    await s.stop();
    expect(restarted).toBe(false);
  });
});
