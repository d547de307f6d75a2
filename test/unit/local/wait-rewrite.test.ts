import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  assertLocallySupported,
  assertTasksBound,
  LOCAL_WAIT_RESOURCE,
  LOCAL_WAIT_TIMEOUT_SECONDS,
  rewriteWaitStates,
  StatesRuntimeError,
  UnboundTaskError,
  UnsupportedDefinitionError,
  wakeTimeMs,
  type AslDefinition,
} from '../../../local/step-functions/wait-rewrite';

const caseSla = JSON.parse(readFileSync(join(__dirname, '../../../state-machines/case-sla.asl.json'), 'utf8')) as AslDefinition;

const PAST = '2001-01-01T00:00:00Z';

/**
 * Waits at every depth and in every form. The timestamps are in the past and the seconds are 0, so
 * the interpreter's own Wait returns at once and the original can be run next to the rewrite.
 */
const machine = {
  StartAt: 'Pause',
  TimeoutSeconds: 3600,
  States: {
    Pause: { Type: 'Wait', Comment: 'keeps its comment', TimestampPath: '$$.Execution.Input.due', Next: 'Narrowed' },
    Narrowed: { Type: 'Wait', InputPath: '$.order', TimestampPath: '$.due', OutputPath: '$.lines', Next: 'Fan' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'BranchWait', States: { BranchWait: { Type: 'Wait', Seconds: 0, End: true } } },
        { StartAt: 'BranchPass', States: { BranchPass: { Type: 'Pass', Result: 'b', End: true } } },
      ],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemsPath: '$[0]',
      ItemProcessor: { StartAt: 'ItemWait', States: { ItemWait: { Type: 'Wait', SecondsPath: "$['delay']", End: true } } },
      Next: 'Legacy',
    },
    Legacy: {
      Type: 'Map',
      ItemsPath: '$',
      Iterator: { StartAt: 'IteratorWait', States: { IteratorWait: { Type: 'Wait', Timestamp: PAST, OutputPath: '$.sku', End: true } } },
      End: true,
    },
  },
} as const satisfies AslDefinition;

const input = { order: { due: PAST, lines: [{ delay: 0, sku: 'a' }, { delay: 0, sku: 'b' }] }, due: PAST };

type States = Record<string, Record<string, unknown>>;
const statesOf = (def: AslDefinition) => def.States as States;
type Handler = (input: unknown) => Promise<unknown>;

async function run(definition: AslDefinition, handlers: Record<string, Handler> = {}, given: unknown = input) {
  const sm = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  const overrides = { taskResourceLocalHandlers: handlers as never };
  return sm.run(given as never, { overrides }).result;
}

/** A handler per rewritten Wait that answers as the runner's does once the wake time is reached. */
function wokenAtOnce(names: Iterable<string>, requests: Record<string, unknown[]> = {}): Record<string, Handler> {
  return Object.fromEntries(
    [...names].map((name) => [
      name,
      async (request: unknown) => {
        (requests[name] ??= []).push(request);
        return (request as { input?: unknown }).input ?? null;
      },
    ]),
  );
}

describe('local Step Functions: wait-rewrite', () => {
  it('turns every Wait, at any depth, into a local-wait Task of the same name that keeps Next/End', () => {
    const { definition, waits } = rewriteWaitStates(machine);
    const top = statesOf(definition);
    expect(top.Pause).toEqual({
      Type: 'Task',
      Comment: 'keeps its comment',
      Resource: LOCAL_WAIT_RESOURCE,
      TimeoutSeconds: LOCAL_WAIT_TIMEOUT_SECONDS,
      Parameters: { 'timestamp.$': '$$.Execution.Input.due' },
      ResultPath: null,
      Next: 'Narrowed',
    });
    expect(top.Narrowed).toEqual({
      Type: 'Task',
      Resource: LOCAL_WAIT_RESOURCE,
      TimeoutSeconds: LOCAL_WAIT_TIMEOUT_SECONDS,
      InputPath: '$.order',
      Parameters: { 'input.$': '$', 'timestamp.$': '$.due' },
      OutputPath: '$.lines',
      Next: 'Fan',
    });
    const branch = ((top.Fan?.Branches as AslDefinition[])[0] as AslDefinition).States as States;
    expect(branch.BranchWait).toMatchObject({ Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, Parameters: { seconds: 0 }, ResultPath: null, End: true });
    expect(((top.Each?.ItemProcessor as AslDefinition).States as States).ItemWait).toMatchObject({ Type: 'Task', Parameters: { 'seconds.$': "$['delay']" }, End: true });
    expect(((top.Legacy?.Iterator as AslDefinition).States as States).IteratorWait).toMatchObject({
      Type: 'Task',
      Parameters: { timestamp: PAST },
      OutputPath: '$.sku',
      End: true,
    });
    expect([...waits.keys()].sort()).toEqual(['BranchWait', 'ItemWait', 'IteratorWait', 'Narrowed', 'Pause']);
    expect(waits.get('Pause')).toEqual({ kind: 'TimestampPath', path: '$$.Execution.Input.due' });
    expect(waits.get('BranchWait')).toEqual({ kind: 'Seconds', seconds: 0 });
    expect(waits.get('IteratorWait')).toEqual({ kind: 'Timestamp', timestamp: PAST });
    expect(waits.get('Narrowed')).toEqual({ kind: 'TimestampPath', path: '$.due' });
    expect(waits.get('ItemWait')).toEqual({ kind: 'SecondsPath', path: "$['delay']" });
  });

  it('leaves the definition it was given untouched', () => {
    const before = structuredClone(machine);
    rewriteWaitStates(machine);
    expect(machine).toEqual(before);
  });

  it('produces the same outputs as the original Waits when run (input passes through, InputPath/OutputPath kept)', async () => {
    const { definition, waits } = rewriteWaitStates(machine);
    const original = await run(machine);
    const rewritten = await run(definition, wokenAtOnce(waits.keys()));
    expect(rewritten).toEqual(original);
    expect(original).toEqual(['a', 'b']);
  });

  it('has the interpreter resolve the paths, after InputPath, $$ from the context, and hand over the selected input', async () => {
    const { definition, waits } = rewriteWaitStates(machine);
    const requests: Record<string, unknown[]> = {};
    await run(definition, wokenAtOnce(waits.keys(), requests));
    expect(requests).toEqual({
      Pause: [{ timestamp: PAST }],
      Narrowed: [{ input: input.order, timestamp: PAST }],
      BranchWait: [{ seconds: 0 }],
      ItemWait: [{ seconds: 0 }, { seconds: 0 }],
      IteratorWait: [{ timestamp: PAST }, { timestamp: PAST }],
    });
  });

  it('passes null, false, 0 and "" through a Wait without InputPath, as the original does', async () => {
    const wait = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 0, End: true } } };
    const { definition, waits } = rewriteWaitStates(wait);
    for (const given of [null, false, 0, '']) {
      expect(await run(definition, wokenAtOnce(waits.keys()), given)).toBe(given);
      expect(await run(wait, {}, given)).toBe(given);
    }
  });

  it('keeps the timeout of a local wait below the setTimeout overflow (2^31-1 ms)', () => {
    expect(LOCAL_WAIT_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(LOCAL_WAIT_TIMEOUT_SECONDS).toBeGreaterThan(24 * 24 * 3600);
  });

  it('moves the execution TimeoutSeconds out of the definition so the local clock can time it', () => {
    const local = rewriteWaitStates(machine);
    expect(local.executionTimeoutSeconds).toBe(3600);
    expect(local.definition).not.toHaveProperty('TimeoutSeconds');
  });

  it('still yields valid ASL', () => {
    const { isValid, errorsText } = aslValidator(structuredClone(rewriteWaitStates(caseSla).definition));
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('rewrites the SLA workflow wait (M3.1, C3.3, C8.1) and nothing else', () => {
    const { definition, waits } = rewriteWaitStates(caseSla);
    const states = statesOf(definition);
    const original = statesOf(caseSla);
    expect([...waits.keys()]).toEqual(['WaitForNextDeadline']);
    expect(states.WaitForNextDeadline).toMatchObject({ Type: 'Task', ResultPath: null, Next: 'Evaluate' });
    for (const name of ['Evaluate', 'Route', 'ApplySlaActions', 'UnknownAction', 'Done']) expect(states[name]).toEqual(original[name]);
  });

  describe('wake time (from the values the interpreter resolved)', () => {
    const now = Date.parse('2026-03-02T09:00:00.000Z');
    const specOf = (state: Record<string, unknown>) => {
      const waits = rewriteWaitStates({ StartAt: 'W', States: { W: { Type: 'Wait', ...state, End: true } } }).waits;
      const spec = waits.get('W');
      if (!spec) throw new Error('no spec');
      return spec;
    };

    it('counts Seconds and SecondsPath from now', () => {
      expect(wakeTimeMs(specOf({ Seconds: 900 }), { seconds: 900 }, now)).toBe(now + 900_000);
      expect(wakeTimeMs(specOf({ SecondsPath: '$.sla.wait[1]' }), { seconds: 60 }, now)).toBe(now + 60_000);
      expect(wakeTimeMs(specOf({ SecondsPath: '$.s' }), { input: { s: 0 }, seconds: 0 }, now)).toBe(now);
    });

    it('takes Timestamp and TimestampPath as absolute times, offsets included', () => {
      expect(wakeTimeMs(specOf({ Timestamp: '2026-03-02T09:15:00Z' }), { timestamp: '2026-03-02T09:15:00Z' }, now)).toBe(now + 900_000);
      expect(wakeTimeMs(specOf({ TimestampPath: '$.sla.until' }), { timestamp: '2026-03-03T10:00:00+01:00' }, now)).toBe(now + 24 * 3600_000);
    });

    it('fails the state with States.Runtime when the value is of the wrong type, naming the path', () => {
      const until = specOf({ TimestampPath: '$.until' });
      const seconds = specOf({ SecondsPath: '$.s' });
      expect(() => wakeTimeMs(until, { timestamp: '2026-03-02 09:00' }, now)).toThrow(StatesRuntimeError);
      expect(() => wakeTimeMs(until, { timestamp: '2026-03-02 09:00' }, now)).toThrow("Path expression '$.until' must point to an RFC 3339 timestamp");
      expect(() => wakeTimeMs(until, { timestamp: null }, now)).toThrow(StatesRuntimeError);
      expect(() => wakeTimeMs(seconds, { seconds: 1.5 }, now)).toThrow("Path expression '$.s' must point to a non-negative integer");
      expect(() => wakeTimeMs(seconds, { seconds: -1 }, now)).toThrow(StatesRuntimeError);
      expect(() => wakeTimeMs(seconds, { seconds: '60' }, now)).toThrow(StatesRuntimeError);
      expect(() => wakeTimeMs(seconds, 60, now)).toThrow(StatesRuntimeError);
    });

    it('refuses a Wait whose time is not exactly one field, or a literal of the wrong type, when the definition is rewritten', () => {
      expect(() => specOf({ Seconds: 10, SecondsPath: '$.s' })).toThrow(/exactly one/);
      expect(() => specOf({ Seconds: -1 })).toThrow(UnsupportedDefinitionError);
      expect(() => specOf({ Timestamp: 'tomorrow' })).toThrow(/RFC 3339/);
      expect(() => specOf({ SecondsPath: 'States.MathAdd($.s, 1)' })).toThrow(/starting with \$/);
    });
  });

  describe('bindings and support', () => {
    it('rejects Task states without a local binding, at any depth, naming them', () => {
      const def = {
        StartAt: 'A',
        States: {
          A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'P' },
          P: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', End: true } } }],
            End: true,
          },
        },
      };
      expect(() => assertTasksBound(def, ['A'])).toThrow(UnboundTaskError);
      expect(() => assertTasksBound(def, ['A'])).toThrow(/Inner/);
      expect(() => assertTasksBound(caseSla, ['Evaluate'])).toThrow(/ApplySlaActions/);
      expect(() => assertTasksBound(caseSla, ['Evaluate', 'ApplySlaActions'])).not.toThrow();
    });

    it('refuses what the local interpreter would silently skip (JSONata, Assign, task tokens)', () => {
      const jsonata = { QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Succeed' } } };
      const assign = { StartAt: 'S', States: { S: { Type: 'Pass', Assign: { x: 1 }, End: true } } };
      const token = { StartAt: 'S', States: { S: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true } } };
      expect(() => assertLocallySupported(jsonata)).toThrow(/JSONata/);
      expect(() => assertLocallySupported(assign)).toThrow(/Assign/);
      expect(() => assertLocallySupported(token)).toThrow(/waitForTaskToken/);
      expect(() => assertLocallySupported(caseSla)).not.toThrow();
    });
  });
});
