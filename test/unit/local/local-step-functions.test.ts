import { InvalidDefinition } from '@aws-sdk/client-sfn';
import { clockControl } from '../../../functions/adapters/system-clock';
import { advanceClock } from '../../../local/step-functions/clock-timers';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../../local/step-functions/local-step-functions';

// Behaviour of the runner beyond the SLA workflow (which test/integration/local-step-functions.test.ts
// runs): Waits inside Parallel branches, Wait paths (resolved by the interpreter, `$$` included),
// the execution timeout on the local clock, and stopping while a handler runs. The clock only moves
// forward; times are relative to nowMs().

const MINUTE = 60_000;
const LAMBDA = 'arn:aws:states:::lambda:invoke';

const definition = {
  StartAt: 'Both',
  TimeoutSeconds: 2 * 3600,
  States: {
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Short',
          States: { Short: { Type: 'Wait', SecondsPath: '$.short', Next: 'MarkShort' }, MarkShort: { Type: 'Task', Resource: LAMBDA, End: true } },
        },
        {
          StartAt: 'Long',
          States: {
            Long: { Type: 'Wait', TimestampPath: '$$.Execution.Input.until', Next: 'MarkLong' },
            MarkLong: { Type: 'Task', Resource: LAMBDA, End: true },
          },
        },
      ],
      End: true,
    },
  },
};

/** A Wait that narrows its input and reads its time from it: the interpreter resolves both paths. */
const narrowing = {
  StartAt: 'Narrowed',
  States: {
    Narrowed: { Type: 'Wait', InputPath: '$.order', SecondsPath: '$.delays[1]', OutputPath: "$['lines']", Next: 'Record' },
    Record: { Type: 'Task', Resource: LAMBDA, End: true },
  },
};
/** What Record got, and when (local clock). */
const recorded: { input: unknown; atMs: number }[] = [];

const asWritten = JSON.stringify(definition);
const marks: string[] = [];
let release: (() => void) | undefined;
const minutesSince = (startMs: number) => Math.round((clockControl.nowMs() - startMs) / MINUTE);

function mark(label: string) {
  return async (input: unknown) => {
    const { startMs, hold } = input as { startMs: number; hold?: boolean };
    if (hold) await new Promise<void>((resolve) => (release = resolve));
    marks.push(`${label}@${minutesSince(startMs)}`);
    return { label };
  };
}

let sfn: LocalStepFunctions;
let seq = 0;

beforeAll(() => {
  sfn = createLocalStepFunctions();
  sfn.register('branches', definition, { MarkShort: mark('short'), MarkLong: mark('long') });
  sfn.register('narrowing', narrowing, {
    Record: async (input) => {
      recorded.push({ input, atMs: clockControl.nowMs() });
      return input;
    },
  });
});

beforeEach(() => {
  marks.length = 0;
  recorded.length = 0;
  release = undefined;
});

afterEach(() => sfn.stopAll());

async function start(input: Record<string, unknown>, machine = 'branches') {
  const name = `run-${(seq += 1)}`;
  await sfn.startExecution(machine, { name, input: { startMs: clockControl.nowMs(), ...input } });
  return name;
}

describe('local Step Functions: runner', () => {
  it('leaves the definition it registered as written (the validators get copies)', () => {
    expect(JSON.stringify(definition)).toBe(asWritten);
  });

  it('wakes Waits inside Parallel branches on the local clock, $$ paths included', async () => {
    const name = await start({ short: 10 * 60, until: new Date(clockControl.nowMs() + 30 * MINUTE).toISOString() });
    await sfn.idle();
    expect(marks).toEqual([]);

    await advanceClock(60 * MINUTE, () => sfn.idle());

    expect(marks).toEqual(['short@10', 'long@30']);
    const done = await sfn.waitForExecution(name);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: [{ label: 'short' }, { label: 'long' }], transitions: 5 });
    expect(done.waits.map((w) => w.state)).toEqual(['Short', 'Long']);
  });

  it('times the execution TimeoutSeconds on the local clock: TIMED_OUT, later states never run', async () => {
    const name = await start({ short: 60, until: new Date(clockControl.nowMs() + 3 * 3600_000).toISOString() });

    await advanceClock(4 * 3600_000, () => sfn.idle());

    const done = await sfn.waitForExecution(name);
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(marks).toEqual(['short@1']);
    expect((done.stopDate?.getTime() ?? 0) - done.startDate.getTime()).toBeGreaterThanOrEqual(2 * 3600_000);
    expect((done.stopDate?.getTime() ?? 0) - done.startDate.getTime()).toBeLessThan(2 * 3600_000 + MINUTE);
  });

  it('fails the execution with States.Runtime when a Wait path points to nothing', async () => {
    const name = await start({ short: 60 });
    const done = await sfn.waitForExecution(name);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toMatch(/\$\$\.Execution\.Input\.until/);
  });

  it('fails the execution with States.Runtime when a Wait path points to nothing inside its selected input', async () => {
    const name = await start({ order: { delays: [1], lines: [] } }, 'narrowing');
    const done = await sfn.waitForExecution(name);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toContain('$.delays[1]');
    expect(recorded).toEqual([]);
  });

  it('fails the execution with States.Runtime when a Wait path points to a value that is no wait time', async () => {
    const name = await start({ order: { delays: [1, 'ten'], lines: [] } }, 'narrowing');
    const done = await sfn.waitForExecution(name);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toBe("Path expression '$.delays[1]' must point to a non-negative integer");
  });

  it('reads a Wait path inside the input that InputPath selects, and outputs that input (OutputPath applied)', async () => {
    const name = await start({ order: { delays: [1, 10 * 60], lines: ['a', 'b'] } }, 'narrowing');
    await sfn.idle();
    expect(sfn.describeExecution(name)).toMatchObject({ status: 'RUNNING', waits: [] });

    await advanceClock(9 * MINUTE, () => sfn.idle());
    expect(recorded).toEqual([]);
    await advanceClock(2 * MINUTE, () => sfn.idle());

    const done = await sfn.waitForExecution(name);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: ['a', 'b'] });
    expect(recorded.map((r) => r.input)).toEqual([['a', 'b']]);
    const woke = done.waits[0];
    expect((woke?.requestedMs ?? 0) - (woke?.enteredMs ?? 0)).toBe(10 * MINUTE);
    expect(recorded[0]?.atMs).toBe(woke?.requestedMs); // the clock is held at the deadline while its work runs
  });

  it('refuses at register time a Wait path that is not a reference path', () => {
    const wildcard = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.items[*].delay', End: true } } };
    expect(() => createLocalStepFunctions().register('wildcard', wildcard, {})).toThrow(InvalidDefinition);
    expect(() => createLocalStepFunctions().register('wildcard', wildcard, {})).toThrow(/SecondsPath/);
  });

  it('stops an execution only once the Task handler it was running has returned', async () => {
    const name = await start({ short: 0, until: new Date(clockControl.nowMs() + MINUTE).toISOString(), hold: true });
    for (const deadline = Date.now() + 2000; !release && Date.now() < deadline; ) await new Promise<void>((r) => setImmediate(r));
    expect(release).toBeDefined();

    let stopped = false;
    const stopping = sfn.stopAll().then(() => (stopped = true));
    await new Promise<void>((r) => setImmediate(r));
    expect(stopped).toBe(false);
    expect(sfn.describeExecution(name).status).toBe('ABORTED');

    release?.();
    await stopping;
    expect(marks).toEqual(['short@0']);
    await advanceClock(10 * MINUTE, () => sfn.idle());
    expect(marks).toEqual(['short@0']); // the other branch's wait was cancelled with the execution
  });
});
