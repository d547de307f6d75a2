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

async function run(definition: AslDefinition, handlers: Record<string, (input: unknown) => Promise<unknown>> = {}) {
  const sm = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  const overrides = { taskResourceLocalHandlers: handlers as never };
  return sm.run(input, { overrides }).result;
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
      ResultPath: null,
      Next: 'Narrowed',
    });
    const branch = ((top.Fan?.Branches as AslDefinition[])[0] as AslDefinition).States as States;
    expect(branch.BranchWait).toMatchObject({ Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, ResultPath: null, End: true });
    expect(((top.Each?.ItemProcessor as AslDefinition).States as States).ItemWait).toMatchObject({ Type: 'Task', End: true });
    expect(((top.Legacy?.Iterator as AslDefinition).States as States).IteratorWait).toMatchObject({ Type: 'Task', OutputPath: '$.sku', End: true });
    expect([...waits.keys()].sort()).toEqual(['BranchWait', 'ItemWait', 'IteratorWait', 'Narrowed', 'Pause']);
    expect(waits.get('Pause')).toMatchObject({ kind: 'TimestampPath', path: { root: '$$', steps: ['Execution', 'Input', 'due'] } });
    expect(waits.get('BranchWait')).toEqual({ kind: 'Seconds', seconds: 0 });
    expect(waits.get('IteratorWait')).toEqual({ kind: 'Timestamp', timestamp: PAST });
    expect(waits.get('Narrowed')).toMatchObject({ kind: 'TimestampPath', path: { text: '$.due' } });
    expect(waits.get('ItemWait')).toMatchObject({ kind: 'SecondsPath', path: { root: '$', steps: ['delay'] } });
  });

  it('leaves the definition it was given untouched', () => {
    const before = structuredClone(machine);
    rewriteWaitStates(machine);
    expect(machine).toEqual(before);
  });

  it('produces the same outputs as the original Waits when run (input passes through, InputPath/OutputPath kept)', async () => {
    const { definition, waits } = rewriteWaitStates(machine);
    // The local-wait handler returns its input, as the runner's does once the wake time is reached.
    const passThrough = Object.fromEntries([...waits.keys()].map((name) => [name, async (i: unknown) => i]));
    const original = await run(machine);
    const rewritten = await run(definition, passThrough);
    expect(rewritten).toEqual(original);
    expect(original).toEqual(['a', 'b']);
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

  describe('wake time', () => {
    const now = Date.parse('2026-03-02T09:00:00.000Z');
    const specOf = (state: Record<string, unknown>) => {
      const waits = rewriteWaitStates({ StartAt: 'W', States: { W: { Type: 'Wait', ...state, End: true } } }).waits;
      const spec = waits.get('W');
      if (!spec) throw new Error('no spec');
      return spec;
    };

    it('counts Seconds and SecondsPath from now', () => {
      expect(wakeTimeMs(specOf({ Seconds: 900 }), {}, now)).toBe(now + 900_000);
      expect(wakeTimeMs(specOf({ SecondsPath: '$.sla.wait[1]' }), { sla: { wait: [5, 60] } }, now)).toBe(now + 60_000);
    });

    it('takes Timestamp and TimestampPath as absolute times, offsets included', () => {
      expect(wakeTimeMs(specOf({ Timestamp: '2026-03-02T09:15:00Z' }), {}, now)).toBe(now + 900_000);
      expect(wakeTimeMs(specOf({ TimestampPath: '$.sla.until' }), { sla: { until: '2026-03-03T10:00:00+01:00' } }, now)).toBe(now + 24 * 3600_000);
    });

    it('reads $$ paths from the context object', () => {
      const spec = specOf({ TimestampPath: '$$.Execution.Input.until' });
      expect(wakeTimeMs(spec, {}, now, { Execution: { Input: { until: '2026-03-02T09:00:01Z' } } })).toBe(now + 1000);
    });

    it('fails the state with States.Runtime when the path points to nothing or to the wrong type', () => {
      expect(() => wakeTimeMs(specOf({ TimestampPath: '$.sla.until' }), { sla: {} }, now)).toThrow(StatesRuntimeError);
      expect(() => wakeTimeMs(specOf({ TimestampPath: '$.until' }), { until: '2026-03-02 09:00' }, now)).toThrow(/RFC 3339/);
      expect(() => wakeTimeMs(specOf({ SecondsPath: '$.s' }), { s: 1.5 }, now)).toThrow(/non-negative integer/);
      expect(() => wakeTimeMs(specOf({ SecondsPath: '$.s' }), { s: -1 }, now)).toThrow(StatesRuntimeError);
    });

    it('refuses paths that are not reference paths when the definition is rewritten', () => {
      expect(() => specOf({ SecondsPath: '$.items[*].delay' })).toThrow(UnsupportedDefinitionError);
      expect(() => specOf({ Seconds: 10, SecondsPath: '$.s' })).toThrow(/exactly one/);
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
