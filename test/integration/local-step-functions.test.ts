import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecutionAlreadyExists, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { clockControl } from '../../functions/adapters/system-clock';
import { advanceClock, pendingTimerCount } from '../../local/step-functions/clock-timers';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../local/step-functions/local-step-functions';
import { UnboundTaskError, type AslDefinition } from '../../local/step-functions/wait-rewrite';

/**
 * The REAL state-machines/case-sla.asl.json on the local runtime, with Evaluate and ApplySlaActions
 * bound to pure fakes over in-test cases whose deadlines are relative to the local clock. The clock
 * is process-wide: it only moves forward and every time is computed from clockControl.nowMs().
 */

const MINUTE = 60_000;
const caseSla = JSON.parse(readFileSync(join(__dirname, '../../state-machines/case-sla.asl.json'), 'utf8')) as AslDefinition;

interface FakeCase {
  /** Epoch ms on the local clock. */
  deadlines: number[];
  handled: number[];
  /** Makes Evaluate answer something the workflow does not know. */
  confused?: boolean;
}

const cases = new Map<string, FakeCase>();
/** Every deadline handled by ApplySlaActions, in the order it happened. */
const fired: string[] = [];
const evaluations = new Map<string, number>();

const payloadOf = (input: unknown) => (input as { Payload: { mode: string; caseId: string } }).Payload;
const caseOf = (caseId: string) => {
  const c = cases.get(caseId);
  if (!c) throw new Error(`no case ${caseId}`);
  return c;
};

/** As the SLA step answers in plan mode (wrapped in a Lambda invoke result). */
async function evaluate(input: unknown) {
  const { mode, caseId } = payloadOf(input);
  if (mode !== 'plan') throw new Error(`Evaluate called in ${mode} mode`);
  evaluations.set(caseId, (evaluations.get(caseId) ?? 0) + 1);
  const c = caseOf(caseId);
  if (c.confused) return { Payload: { action: 'shrug', until: null, reason: 'test' } };
  const now = clockControl.nowMs();
  const pending = c.deadlines.filter((d) => !c.handled.includes(d)).sort((a, b) => a - b);
  const next = pending[0];
  if (next === undefined) return { Payload: { action: 'done', until: null, reason: 'all deadlines handled' } };
  if (next <= now) return { Payload: { action: 'act', until: null, reason: 'a deadline is due' } };
  return { Payload: { action: 'wait', until: new Date(next).toISOString(), reason: 'next deadline' } };
}

/** As the SLA step applies what is due (idempotent). */
async function applySlaActions(input: unknown) {
  const { mode, caseId } = payloadOf(input);
  if (mode !== 'apply') throw new Error(`ApplySlaActions called in ${mode} mode`);
  const c = caseOf(caseId);
  const now = clockControl.nowMs();
  for (const d of c.deadlines.filter((d) => d <= now && !c.handled.includes(d)).sort((a, b) => a - b)) {
    c.handled.push(d);
    fired.push(`${caseId}@${Math.round((d - (c.deadlines[0] ?? d)) / MINUTE)}`);
  }
  return { Payload: { applied: true }, StatusCode: 200 };
}

let ids = 0;
/** A new case with deadlines `minutes` from now on the local clock. */
function newCase(minutes: number[], extra: Partial<FakeCase> = {}): string {
  const caseId = `c${(ids += 1)}-${process.pid}`;
  const now = clockControl.nowMs();
  cases.set(caseId, { deadlines: minutes.map((m) => now + m * MINUTE), handled: [], ...extra });
  return caseId;
}

const bindings = { Evaluate: evaluate, ApplySlaActions: applySlaActions };
let sfn: LocalStepFunctions;

beforeAll(() => {
  sfn = createLocalStepFunctions();
  sfn.register('case-sla', caseSla, bindings);
});

afterEach(async () => {
  clockControl.setTimeScale(1);
  await sfn.stopAll();
});

describe('local Step Functions runtime on case-sla.asl.json', () => {
  it('waits at WaitForNextDeadline until the clock passes the deadline, then evaluates again (M3.1)', async () => {
    const caseId = newCase([15]);
    await sfn.startExecution('case-sla', { name: `case-${caseId}`, input: { caseId } });
    await sfn.idle();
    expect(sfn.describeExecution(`case-${caseId}`)).toMatchObject({ status: 'RUNNING', transitions: 3 });
    expect(evaluations.get(caseId)).toBe(1);

    await advanceClock(14 * MINUTE, () => sfn.idle());
    expect(evaluations.get(caseId)).toBe(1);
    expect(caseOf(caseId).handled).toEqual([]);

    await advanceClock(2 * MINUTE, () => sfn.idle());
    const done = await sfn.waitForExecution(`case-${caseId}`);
    expect(caseOf(caseId).handled).toHaveLength(1);
    expect(evaluations.get(caseId)).toBe(3); // woke: act, then done
    // Evaluate, Route, Wait, Evaluate, Route, ApplySlaActions, Evaluate, Route, Done
    expect(done).toMatchObject({ status: 'SUCCEEDED', transitions: 9, input: { caseId } });
    expect(done.output).toMatchObject({ caseId, sla: { action: 'done' } });
    expect(done.waits).toHaveLength(1);
    expect(done.waits[0]?.requestedMs).toBe(caseOf(caseId).deadlines[0]);
    expect(done.waits[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(done.waits[0]?.latencyMs).toBeLessThan(1000);
  });

  it('fires the deadlines of several executions in timestamp order when the clock jumps (M3.1, M3.2)', async () => {
    const later = newCase([10]);
    const sooner = newCase([5, 15]);
    await sfn.startExecution('case-sla', { name: `case-${later}`, input: { caseId: later } });
    await sfn.startExecution('case-sla', { name: `case-${sooner}`, input: { caseId: sooner } });
    await sfn.idle();
    fired.length = 0;

    await advanceClock(20 * MINUTE, () => sfn.idle());

    expect(fired).toEqual([`${sooner}@0`, `${later}@0`, `${sooner}@10`]);
    for (const caseId of [later, sooner]) expect((await sfn.waitForExecution(`case-${caseId}`)).status).toBe('SUCCEEDED');
    expect(sfn.waitRecords().every((w) => w.wokeMs >= w.requestedMs)).toBe(true);
  });

  it('treats a duplicate start with the same name and input as the same execution', async () => {
    const caseId = newCase([60]);
    const first = await sfn.startExecution('case-sla', { name: `case-${caseId}`, input: { caseId } });
    const again = await sfn.startExecution('case-sla', { name: `case-${caseId}`, input: { caseId } });
    await sfn.idle();
    expect(first.started).toBe(true);
    expect(again).toEqual({ ...first, started: false });
    expect(sfn.listExecutions({ status: 'RUNNING' }).filter((e) => e.name === `case-${caseId}`)).toHaveLength(1);
    expect(evaluations.get(caseId)).toBe(1);
  });

  it('refuses the same name with another input, and a finished name unless a restart is asked for', async () => {
    const caseId = newCase([60]);
    const name = `case-${caseId}`;
    await sfn.startExecution('case-sla', { name, input: { caseId } });
    await expect(sfn.startExecution('case-sla', { name, input: { caseId, other: true } })).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    await sfn.stopExecution(name);
    expect(sfn.describeExecution(name).status).toBe('ABORTED');
    await expect(sfn.startExecution('case-sla', { name, input: { caseId } })).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    const restarted = await sfn.startExecution('case-sla', { name, input: { caseId }, allowRestart: true });
    await sfn.idle();
    expect(restarted.started).toBe(true);
    expect(sfn.describeExecution(restarted.executionArn)).toMatchObject({ status: 'RUNNING', transitions: 3 });
    expect(() => sfn.describeExecution('case-never-started')).toThrow(ExecutionDoesNotExist);
  });

  it('ends parked executions on stopAll and leaves no timer behind', async () => {
    const timersBefore = pendingTimerCount();
    const a = newCase([24 * 60]);
    const b = newCase([7 * 24 * 60]);
    for (const caseId of [a, b]) await sfn.startExecution('case-sla', { name: `case-${caseId}`, input: { caseId } });
    await sfn.idle();
    expect(pendingTimerCount()).toBe(timersBefore + 2);

    await sfn.stopAll();

    for (const caseId of [a, b]) expect(sfn.describeExecution(`case-${caseId}`)).toMatchObject({ status: 'ABORTED', stopDate: expect.any(Date) });
    expect(pendingTimerCount()).toBe(timersBefore);
  });

  it('runs the waits on the accelerated clock (--time-scale 3600: a minute of SLA time in ~17 ms)', async () => {
    const caseId = newCase([3]); // 3 minutes of clock time = 50 ms of real time
    const realStart = Date.now();
    clockControl.setTimeScale(3600);
    await sfn.startExecution('case-sla', { name: `case-${caseId}`, input: { caseId } });

    const done = await sfn.waitForExecution(`case-${caseId}`);

    expect(done.status).toBe('SUCCEEDED');
    expect(caseOf(caseId).handled).toHaveLength(1);
    expect(Date.now() - realStart).toBeLessThan(2000);
    // Late by timer jitter only, times 3600: a few seconds of clock time at most.
    expect(done.waits[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(done.waits[0]?.latencyMs).toBeLessThan(3600 * 250);
  });

  it('fails the execution through the Fail state when Evaluate answers an unknown action', async () => {
    const caseId = newCase([5], { confused: true });
    await sfn.startExecution('case-sla', { name: `case-${caseId}`, input: { caseId } });
    const done = await sfn.waitForExecution(`case-${caseId}`);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Caseflow.UnknownSlaAction', cause: expect.stringMatching(/does not know/) });
  });

  it('rejects at register time a definition with a Task that has no local binding', () => {
    const local = createLocalStepFunctions();
    expect(() => local.register('case-sla', caseSla, { Evaluate: evaluate })).toThrow(UnboundTaskError);
    expect(() => local.register('case-sla', caseSla, { Evaluate: evaluate })).toThrow(/ApplySlaActions/);
  });
});
