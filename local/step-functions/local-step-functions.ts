import '../polyfills';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import aslValidator from 'asl-validator';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { clockControl } from '../../functions/adapters/system-clock';
import { sleepUntil } from './clock-timers';
import {
  assertLocallySupported,
  assertTasksBound,
  cloneJson,
  rewriteWaitStates,
  taskStateNames,
  UnsupportedDefinitionError,
  wakeTimeMs,
  type AslDefinition,
  type WaitSpec,
} from './wait-rewrite';

/**
 * The local Step Functions runtime behind `npm start`: runs the same ASL files CDK deploys with
 * aws-local-stepfunctions, every Task state bound BY STATE NAME to an in-process handler, and every
 * Wait state sleeping on the local clock (`clockControl`: `--time-scale`, clock advance). Executions
 * follow the StartExecution rules of AWS (unique names, idempotent duplicate start).
 */

/** Called with the Task's resolved input (Parameters applied); returns the Task's raw result. */
export type TaskBinding = (input: unknown) => Promise<unknown>;
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One Wait that woke: how late (on the local clock) its deadline was noticed. */
export interface WaitRecord {
  state: string;
  /** When the execution entered the Wait (epoch ms, local clock). */
  enteredMs: number;
  /** The wake time the Wait asked for. */
  requestedMs: number;
  /** When it actually woke. */
  wokeMs: number;
  /** wokeMs - requestedMs. */
  latencyMs: number;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  input: unknown;
  /** Only when SUCCEEDED. */
  output?: unknown;
  /** Error name and cause when FAILED or TIMED_OUT. */
  error?: string;
  cause?: string;
  /** Local clock. */
  startDate: Date;
  stopDate?: Date;
  /** StateEntered events so far (nested Parallel/Map states included). */
  transitions: number;
  /** Every Wait that has woken, in order. */
  waits: WaitRecord[];
}

export interface StartExecutionOptions {
  name: string;
  /** Any JSON value; `{}` when absent, as in AWS. */
  input?: unknown;
  /**
   * AWS keeps an execution name unique (90 days) even after it ended. With `allowRestart`, a name
   * whose execution has ended (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) starts again; a RUNNING one is
   * still only joined (same input) or refused (other input).
   */
  allowRestart?: boolean;
}

export interface StartExecutionResult {
  executionArn: string;
  startDate: Date;
  /** false when a RUNNING execution with the same name and input was returned (idempotent start). */
  started: boolean;
}

export interface LocalStepFunctionsOptions {
  /** For ARNs only. Default us-east-1. */
  region?: string;
  /** For ARNs only. Default 000000000000. */
  accountId?: string;
}

export interface LocalStepFunctions {
  /**
   * Validates the ORIGINAL definition once (asl-validator and aws-local-stepfunctions' own
   * validator), fails fast if a Task state has no binding, a binding names no Task state, or the
   * definition uses what the interpreter cannot run, then keeps the rewritten definition.
   * `${...}` DefinitionSubstitutions may stay unresolved: Tasks are bound by state name.
   */
  register(stateMachineName: string, definition: AslDefinition, bindings: Readonly<Record<string, TaskBinding>>): { stateMachineArn: string };
  /** By state machine name or ARN. Throws the SDK's ExecutionAlreadyExists, InvalidName, InvalidExecutionInput, StateMachineDoesNotExist. */
  startExecution(stateMachine: string, options: StartExecutionOptions): Promise<StartExecutionResult>;
  /** By execution ARN, or by name when only one state machine has an execution of that name. Throws ExecutionDoesNotExist. */
  describeExecution(executionArnOrName: string): ExecutionDescription;
  listExecutions(filter?: { status?: ExecutionStatus; stateMachine?: string }): ExecutionDescription[];
  /** Resolves with the final description once the execution has stopped (no handler of it still running). */
  waitForExecution(executionArnOrName: string): Promise<ExecutionDescription>;
  /** Aborts one execution (ABORTED) and resolves when it has stopped. A finished one is left as it is. */
  stopExecution(executionArnOrName: string): Promise<void>;
  /** Aborts every running execution and resolves when all have stopped. */
  stopAll(): Promise<void>;
  /**
   * Resolves when every execution is parked in a Wait or has stopped: the `settle` for
   * `advanceClock`. (An execution with a Parallel/Map branch in a Retry back-off while another
   * branch waits counts as parked.)
   */
  idle(): Promise<void>;
  /** Every woken Wait of every execution (for benchmarks: how late deadlines are noticed). */
  waitRecords(): WaitRecord[];
  stateMachineArn(stateMachineName: string): string;
}

/** An execution was aborted or timed out: its handlers refuse to run (never retried, never caught). */
class ExecutionStoppedError extends Error {
  override readonly name = 'Caseflow.ExecutionStopped';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** A state's data exceeds the 256 KiB Step Functions quota, as AWS would refuse it. */
class StatesDataLimitExceeded extends Error {
  override readonly name = 'States.DataLimitExceeded';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

const MAX_PAYLOAD_BYTES = 256 * 1024;

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LocalHandler = LocalHandlers[string];
type JsonValue = Parameters<LocalHandler>[0];
type RunInput = Parameters<StateMachine['run']>[0];

interface MachineRecord {
  name: string;
  arn: string;
  machine: StateMachine;
  bindings: ReadonlyMap<string, TaskBinding>;
  waits: ReadonlyMap<string, WaitSpec>;
  executionTimeoutSeconds: number | undefined;
  executions: Map<string, ExecutionRecord>;
}

interface ExecutionRecord extends Pick<ExecutionDescription, 'name' | 'status' | 'output' | 'error' | 'cause' | 'startDate' | 'stopDate' | 'transitions' | 'waits'> {
  machine: MachineRecord;
  arn: string;
  inputJson: string;
  /** Bound Task handlers running now. */
  inFlight: number;
  /** Local waits sleeping now. */
  parked: number;
  /** The execution's result promise has settled (status is final). */
  settled: boolean;
  /** The event log has been read to its end. */
  drained: boolean;
  timedOut: boolean;
  /** Aborted when the execution ends or is stopped: cancels its local waits and timeout. */
  lifetime: AbortController;
  abortRun: () => void;
  stopped: PromiseWithResolvers<void>;
  isStopped: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** AWS execution and state machine names: 1-80 characters; no whitespace, brackets, wildcards, control characters or any of " # % \ ^ | ~ ` $ & , ; : / */
function isValidName(name: string): boolean {
  if (name.length < 1 || name.length > 80) return false;
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || /\s/.test(ch) || '<>{}[]?*"#%\\^|~`$&,;:/'.includes(ch)) return false;
  }
  return true;
}

function toJsonText(value: unknown, what: string): string {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new StatesDataLimitExceeded(`${what} exceeds the 256 KiB Step Functions payload quota`);
  return text;
}

/** Validates with both validators (on copies: asl-validator fills in QueryLanguage on the object it is given). */
function validateDefinition(name: string, definition: AslDefinition): void {
  const { isValid, errorsText } = aslValidator(cloneJson(definition), { checkArn: true, checkPaths: true });
  if (!isValid) throw new InvalidDefinition({ message: `${name}: invalid ASL: ${errorsText('; ')}`, $metadata: {} });
  try {
    new StateMachine(cloneJson(definition) as unknown as StateMachineDefinition);
  } catch (error) {
    throw new InvalidDefinition({ message: `${name}: ${(error as Error).message}`, $metadata: {} });
  }
}

export function createLocalStepFunctions(options: LocalStepFunctionsOptions = {}): LocalStepFunctions {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const machines = new Map<string, MachineRecord>();
  const byArn = new Map<string, ExecutionRecord>();
  /** Executions that have not stopped yet. */
  const live = new Set<ExecutionRecord>();
  /** Live executions that are neither parked in a Wait (with no handler running) nor stopped. */
  const busy = new Set<ExecutionRecord>();
  let generation = 0;
  let changeWaiters: (() => void)[] = [];

  const stateMachineArn = (name: string) => `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
  const executionArn = (machine: string, name: string) => `arn:aws:states:${region}:${accountId}:execution:${machine}:${name}`;

  /** Something about `rec` changed: maybe it has stopped; wake whoever waits for a change. */
  function touch(rec: ExecutionRecord): void {
    if (!rec.isStopped && rec.settled && rec.drained && rec.inFlight === 0 && rec.parked === 0) {
      rec.isStopped = true;
      live.delete(rec);
      rec.stopped.resolve();
    }
    const parked = !rec.settled && rec.parked > 0 && rec.inFlight === 0;
    if (rec.isStopped || parked) busy.delete(rec);
    else busy.add(rec);
    generation += 1;
    const waiters = changeWaiters;
    changeWaiters = [];
    for (const wake of waiters) wake();
  }

  function machineFor(nameOrArn: string): MachineRecord {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf(':') + 1) : nameOrArn;
    const machine = machines.get(name);
    if (!machine || (nameOrArn.startsWith('arn:') && machine.arn !== nameOrArn)) {
      throw new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${nameOrArn}'`, $metadata: {} });
    }
    return machine;
  }

  function executionFor(arnOrName: string): ExecutionRecord {
    if (arnOrName.startsWith('arn:')) {
      const rec = byArn.get(arnOrName);
      if (rec) return rec;
    } else {
      const found = [...machines.values()].flatMap((m) => m.executions.get(arnOrName) ?? []);
      if (found.length > 1) throw new Error(`execution name '${arnOrName}' exists in several state machines: pass its ARN`);
      if (found[0]) return found[0];
    }
    throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arnOrName}'`, $metadata: {} });
  }

  function describe(rec: ExecutionRecord): ExecutionDescription {
    const description: ExecutionDescription = {
      executionArn: rec.arn,
      stateMachineArn: rec.machine.arn,
      stateMachineName: rec.machine.name,
      name: rec.name,
      status: rec.status,
      input: JSON.parse(rec.inputJson) as unknown,
      startDate: new Date(rec.startDate),
      transitions: rec.transitions,
      waits: rec.waits.map((w) => ({ ...w })),
    };
    if (rec.status === 'SUCCEEDED') description.output = cloneJson(rec.output);
    if (rec.error !== undefined) description.error = rec.error;
    if (rec.cause !== undefined) description.cause = rec.cause;
    if (rec.stopDate) description.stopDate = new Date(rec.stopDate);
    return description;
  }

  function bindTask(rec: ExecutionRecord, stateName: string, binding: TaskBinding): LocalHandler {
    return async (input) => {
      if (rec.lifetime.signal.aborted) throw new ExecutionStoppedError(`${rec.name} was stopped`);
      rec.inFlight += 1;
      touch(rec);
      try {
        // A Lambda gets and returns JSON: no shared objects, Dates become strings, undefined null.
        const output = await binding(cloneJson(input));
        return JSON.parse(toJsonText(output, `the result of ${stateName}`));
      } finally {
        rec.inFlight -= 1;
        touch(rec);
      }
    };
  }

  /** `request` is the rewritten Wait's Parameters, resolved by the interpreter (see wait-rewrite.ts). */
  function bindWait(rec: ExecutionRecord, stateName: string, spec: WaitSpec): LocalHandler {
    return async (request) => {
      if (rec.lifetime.signal.aborted) throw new ExecutionStoppedError(`${rec.name} was stopped`);
      const enteredMs = clockControl.nowMs();
      const requestedMs = wakeTimeMs(spec, request, enteredMs);
      if (requestedMs <= enteredMs) {
        // Already due. Still yield to the event loop (a timer would resolve in a microtask), so a
        // workflow that keeps waiting on a past time cannot starve the local stack's servers.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (rec.lifetime.signal.aborted) throw new ExecutionStoppedError(`${rec.name} was stopped in ${stateName}`);
      } else {
        rec.parked += 1;
        touch(rec);
        try {
          await sleepUntil(requestedMs, rec.lifetime.signal);
        } catch {
          throw new ExecutionStoppedError(`${rec.name} was stopped in ${stateName}`);
        } finally {
          rec.parked -= 1;
          touch(rec);
        }
      }
      const wokeMs = clockControl.nowMs();
      rec.waits.push({ state: stateName, enteredMs, requestedMs, wokeMs, latencyMs: wokeMs - requestedMs });
      // With InputPath the output is the input it selected; without, ResultPath null drops the result.
      return (request as { input?: JsonValue }).input ?? null;
    };
  }

  function launch(machine: MachineRecord, name: string, inputJson: string): ExecutionRecord {
    const startMs = clockControl.nowMs();
    const rec: ExecutionRecord = {
      machine,
      name,
      arn: executionArn(machine.name, name),
      inputJson,
      status: 'RUNNING',
      startDate: new Date(startMs),
      transitions: 0,
      waits: [],
      inFlight: 0,
      parked: 0,
      settled: false,
      drained: false,
      timedOut: false,
      lifetime: new AbortController(),
      abortRun: () => undefined,
      stopped: Promise.withResolvers<void>(),
      isStopped: false,
    };
    machine.executions.set(name, rec);
    byArn.set(rec.arn, rec);
    live.add(rec);

    const input = JSON.parse(inputJson) as RunInput;
    const context = {
      Execution: { Id: rec.arn, Name: name, Input: input, StartTime: iso(startMs), RoleArn: `arn:aws:iam::${accountId}:role/caseflow-local` },
      StateMachine: { Id: machine.arn, Name: machine.name },
    };
    const handlers: LocalHandlers = {};
    for (const [state, binding] of machine.bindings) handlers[state] = bindTask(rec, state, binding);
    for (const [state, spec] of machine.waits) handlers[state] = bindWait(rec, state, spec);

    // run() starts synchronously: the first Task handler may already be running when it returns.
    const run = machine.machine.run(input, { overrides: { taskResourceLocalHandlers: handlers }, context });
    rec.abortRun = run.abort;

    const drained = () => {
      rec.drained = true;
      touch(rec);
    };
    (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') rec.transitions += 1;
    })().then(drained, drained);

    run.result
      .then(
        (output) => {
          rec.status = 'SUCCEEDED';
          rec.output = output;
        },
        (error: unknown) => {
          if (error instanceof ExecutionAbortedError && rec.timedOut) {
            rec.status = 'TIMED_OUT';
            rec.error = 'States.Timeout';
            rec.cause = `The execution ran longer than its TimeoutSeconds (${machine.executionTimeoutSeconds ?? '?'})`;
          } else if (error instanceof ExecutionAbortedError) {
            rec.status = 'ABORTED';
          } else if (error instanceof ExecutionTimeoutError) {
            rec.status = 'TIMED_OUT';
            rec.error = 'States.Timeout';
          } else {
            // ExecutionError wraps the state's error: its name is the ASL error, its message the cause.
            const inner = (error instanceof ExecutionError ? error.cause : error) as { name?: unknown; message?: unknown } | undefined;
            rec.status = 'FAILED';
            rec.error = typeof inner?.name === 'string' ? inner.name : 'Error';
            rec.cause = typeof inner?.message === 'string' ? inner.message : String(inner);
          }
        },
      )
      .finally(() => {
        rec.settled = true;
        rec.stopDate = new Date(clockControl.nowMs());
        rec.lifetime.abort();
        touch(rec);
      });

    if (machine.executionTimeoutSeconds !== undefined) {
      sleepUntil(startMs + machine.executionTimeoutSeconds * 1000, rec.lifetime.signal).then(
        () => {
          rec.timedOut = true;
          rec.lifetime.abort();
          rec.abortRun();
        },
        () => undefined,
      );
    }
    touch(rec);
    return rec;
  }

  function abort(rec: ExecutionRecord): void {
    if (rec.settled) return;
    rec.lifetime.abort();
    rec.abortRun();
  }

  return {
    stateMachineArn,

    register(stateMachineName, definition, bindings) {
      if (!isValidName(stateMachineName)) throw new InvalidName({ message: `Invalid Name: '${stateMachineName}'`, $metadata: {} });
      if (machines.has(stateMachineName)) {
        throw new StateMachineAlreadyExists({ message: `State Machine Already Exists: '${stateMachineName}'`, $metadata: {} });
      }
      // Cheap checks first; the validators take a few hundred ms each (they cache nothing).
      assertLocallySupported(definition);
      assertTasksBound(definition, Object.keys(bindings));
      const taskNames = new Set(taskStateNames(definition));
      const stray = Object.keys(bindings).filter((name) => !taskNames.has(name));
      if (stray.length > 0) throw new UnsupportedDefinitionError([`bindings for states that are not Task states of ${stateMachineName}: ${stray.join(', ')}`]);
      validateDefinition(stateMachineName, definition);

      const local = rewriteWaitStates(definition);
      const record: MachineRecord = {
        name: stateMachineName,
        arn: stateMachineArn(stateMachineName),
        // Validated above, on the original; the rewrite only swaps Waits for Tasks.
        machine: new StateMachine(local.definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } }),
        bindings: new Map(Object.entries(bindings)),
        waits: local.waits,
        executionTimeoutSeconds: local.executionTimeoutSeconds,
        executions: new Map(),
      };
      machines.set(stateMachineName, record);
      return { stateMachineArn: record.arn };
    },

    async startExecution(stateMachine, { name, input = {}, allowRestart = false }) {
      const machine = machineFor(stateMachine);
      if (!isValidName(name)) throw new InvalidName({ message: `Invalid Name: '${name}'`, $metadata: {} });
      let inputJson: string;
      try {
        inputJson = toJsonText(input, 'the execution input');
      } catch (error) {
        throw new InvalidExecutionInput({ message: (error as Error).message, $metadata: {} });
      }
      for (;;) {
        const existing = machine.executions.get(name);
        if (!existing) break;
        const exists = () => new ExecutionAlreadyExists({ message: `Execution Already Exists: '${existing.arn}'`, $metadata: {} });
        if (existing.status === 'RUNNING') {
          // AWS compares the input text: same name and same input joins the running execution.
          if (existing.inputJson === inputJson) return { executionArn: existing.arn, startDate: new Date(existing.startDate), started: false };
          throw exists();
        }
        if (!allowRestart) throw exists();
        if (existing.isStopped) break;
        await existing.stopped.promise; // then look again: another start may have won meanwhile
      }
      const rec = launch(machine, name, inputJson);
      return { executionArn: rec.arn, startDate: new Date(rec.startDate), started: true };
    },

    describeExecution: (arnOrName) => describe(executionFor(arnOrName)),

    listExecutions(filter = {}) {
      const source = filter.stateMachine ? [machineFor(filter.stateMachine)] : [...machines.values()];
      return source
        .flatMap((m) => [...m.executions.values()])
        .filter((rec) => !filter.status || rec.status === filter.status)
        .map(describe);
    },

    async waitForExecution(arnOrName) {
      const rec = executionFor(arnOrName);
      await rec.stopped.promise;
      return describe(rec);
    },

    async stopExecution(arnOrName) {
      const rec = executionFor(arnOrName);
      abort(rec);
      await rec.stopped.promise;
    },

    async stopAll() {
      const running = [...live];
      for (const rec of running) abort(rec);
      await Promise.all(running.map((rec) => rec.stopped.promise));
    },

    async idle() {
      const quiet = () => busy.size === 0;
      for (;;) {
        const seen = generation;
        if (quiet()) {
          // Transitions between states take microtasks: let them run, then look again.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (seen === generation && quiet()) return;
        } else {
          await new Promise<void>((resolve) => changeWaiters.push(resolve));
        }
      }
    },

    waitRecords: () => [...machines.values()].flatMap((m) => [...m.executions.values()]).flatMap((rec) => rec.waits.map((w) => ({ ...w }))),
  };
}
