/**
 * Prepares an ASL (JSONPath) definition for the local interpreter, in memory only: the file on
 * disk stays exactly what AWS runs.
 *
 * aws-local-stepfunctions sleeps in Wait states with `setTimeout` on the real clock, so a Wait could
 * not follow the local clock (`--time-scale`, `POST /local/clock/advance`). Each Wait state becomes
 * a Task state of the same name and transitions whose bound handler sleeps on the local clock. The
 * interpreter itself resolves the Wait's paths (`$` and `$$`, InputPath applied first) through the
 * Task's Parameters, so the handler gets `{ seconds }` or `{ timestamp }` resolved, plus `input`
 * when it must return it:
 * - no InputPath: Parameters `{ "seconds.$": SecondsPath }` (or `timestamp`, or the literal) and
 *   `ResultPath: null`, so the state's output is its raw input, as a Wait's is. No `"input.$": "$"`
 *   here: aws-local-stepfunctions 3.0.0 finds no value at `$` when the input is null, false, 0 or
 *   "" (jsonpath-plus), so it would fail a Wait that AWS runs;
 * - with InputPath: Parameters `{ "input.$": "$", "seconds.$": ... }` and no ResultPath: the
 *   handler returns `input` (InputPath applied), which is again what a Wait outputs. (For the reason
 *   above, an InputPath that selects null, false, 0 or "" fails the state with States.Runtime.)
 * OutputPath is kept in both cases. `wakeTimeMs` checks the resolved values as a Wait does.
 */

/** A parsed ASL definition (plain JSON). */
export type AslDefinition = Readonly<Record<string, unknown>>;
type JsonObject = Record<string, unknown>;

/** The Resource of a rewritten Wait. It is never called: the runner binds the state by name. */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::caseflow:local-wait';

/**
 * TimeoutSeconds of a rewritten Wait. The interpreter arms `setTimeout(TimeoutSeconds * 1000)` on
 * the real clock, and setTimeout overflows above 2^31-1 ms (the timer would then fire after 1 ms),
 * so this is the largest whole number of seconds below that: about 24.8 days of real time.
 */
export const LOCAL_WAIT_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A rewritten Wait's own field, as written (the interpreter resolves the paths). */
export type WaitSpec =
  | { kind: 'Seconds'; seconds: number }
  | { kind: 'SecondsPath'; path: string }
  | { kind: 'Timestamp'; timestamp: string }
  | { kind: 'TimestampPath'; path: string };

export interface LocalDefinition {
  /** The definition to run locally (a new object; the input is left untouched). */
  definition: AslDefinition;
  /** Every rewritten Wait, by state name (at any depth). */
  waits: ReadonlyMap<string, WaitSpec>;
  /**
   * The top-level TimeoutSeconds, removed from `definition` because the interpreter would time it
   * on the real clock (and overflow above ~24.8 days): the runner times it on the local clock.
   */
  executionTimeoutSeconds?: number;
}

/** Thrown when a Wait's path or value is unusable; the execution fails, as in AWS. */
export class StatesRuntimeError extends Error {
  override readonly name = 'States.Runtime';
  /** Read by aws-local-stepfunctions: a States.Runtime error is neither retried nor caught. */
  readonly isRetryable = false;
  readonly isCatchable = false;
}

export class UnboundTaskError extends Error {
  override readonly name = 'UnboundTaskError';
  constructor(readonly states: readonly string[]) {
    super(
      `Task state(s) without a local binding: ${states.join(', ')}. ` +
        'The local interpreter would call real AWS for them; bind every Task state by name.',
    );
  }
}

export class UnsupportedDefinitionError extends Error {
  override readonly name = 'UnsupportedDefinitionError';
  constructor(readonly problems: readonly string[]) {
    super(`The local Step Functions runtime cannot run this definition faithfully:\n- ${problems.join('\n- ')}`);
  }
}

/**
 * A deep copy through JSON. Not structuredClone: aws-local-stepfunctions only resolves `.$` keys in
 * objects whose prototype is its own realm's Object.prototype, and under jest structuredClone
 * returns objects of the outer realm (Parameters would then silently stay unresolved).
 */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

interface StateVisit {
  name: string;
  state: JsonObject;
  /** The `States` object that holds the state (to replace it in a copy). */
  states: JsonObject;
}

/** Every state of a definition, depth first: Parallel branches and Map processors included. */
export function* allStates(machine: unknown): Generator<StateVisit> {
  if (!isObject(machine) || !isObject(machine.States)) return;
  const states = machine.States;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    yield { name, state, states };
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const branch of state.Branches) yield* allStates(branch);
    }
    if (state.Type === 'Map') yield* allStates(state.ItemProcessor ?? state.Iterator);
  }
}

/** Names of every Task state (at any depth). */
export function taskStateNames(definition: AslDefinition): string[] {
  return [...allStates(definition)].filter((v) => v.state.Type === 'Task').map((v) => v.name);
}

/** Fails fast, naming them, if any Task state of the ORIGINAL definition has no local binding. */
export function assertTasksBound(definition: AslDefinition, boundStateNames: Iterable<string>): void {
  const bound = new Set(boundStateNames);
  const unbound = taskStateNames(definition).filter((name) => !bound.has(name));
  if (unbound.length > 0) throw new UnboundTaskError(unbound);
}

/**
 * Fails fast on features aws-local-stepfunctions 3.0.0 does not run (it would skip them silently
 * or fail late): JSONata, JSONPath `Assign` variables, Distributed Map, task tokens.
 */
export function assertLocallySupported(definition: AslDefinition): void {
  const problems: string[] = [];
  if (definition.QueryLanguage === 'JSONata') problems.push('QueryLanguage JSONata (write the workflow in JSONPath)');
  for (const { name, state } of allStates(definition)) {
    if (state.QueryLanguage === 'JSONata') problems.push(`${name}: QueryLanguage JSONata`);
    if ('Assign' in state) problems.push(`${name}: Assign (variables are not supported)`);
    for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter'] as const) {
      if (field in state) problems.push(`${name}: ${field} (Distributed Map is not supported)`);
    }
    const processor = state.ItemProcessor;
    if (isObject(processor) && isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED') {
      problems.push(`${name}: Distributed Map is not supported`);
    }
    if (typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken')) {
      problems.push(`${name}: .waitForTaskToken (the context has no $$.Task.Token)`);
    }
  }
  if (problems.length > 0) throw new UnsupportedDefinitionError(problems);
}

function waitSpecOf(name: string, state: JsonObject): WaitSpec {
  const fields = (['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'] as const).filter((f) => f in state);
  if (fields.length !== 1) throw new UnsupportedDefinitionError([`${name}: a Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath`]);
  // Only that it is a path: a `.$` value not starting with `$` would be run as an intrinsic function.
  // Whether it is a reference path is asl-validator's call (the runner validates the original).
  const path = (value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith('$')) throw new UnsupportedDefinitionError([`${name}: the path must be a string starting with $`]);
    return value;
  };
  switch (fields[0]) {
    case 'Seconds':
      if (!Number.isInteger(state.Seconds) || (state.Seconds as number) < 0) {
        throw new UnsupportedDefinitionError([`${name}: Seconds must be a non-negative integer`]);
      }
      return { kind: 'Seconds', seconds: state.Seconds as number };
    case 'Timestamp':
      if (!isTimestamp(state.Timestamp)) throw new UnsupportedDefinitionError([`${name}: Timestamp must be an RFC 3339 timestamp`]);
      return { kind: 'Timestamp', timestamp: state.Timestamp };
    case 'SecondsPath':
      return { kind: 'SecondsPath', path: path(state.SecondsPath) };
    default:
      return { kind: 'TimestampPath', path: path(state.TimestampPath) };
  }
}

/** The Parameters that make the interpreter resolve what the handler needs (see the top of the file). */
function waitParameters(spec: WaitSpec, withInput: boolean): JsonObject {
  const parameters: JsonObject = withInput ? { 'input.$': '$' } : {};
  switch (spec.kind) {
    case 'Seconds':
      parameters.seconds = spec.seconds;
      break;
    case 'Timestamp':
      parameters.timestamp = spec.timestamp;
      break;
    case 'SecondsPath':
      parameters['seconds.$'] = spec.path;
      break;
    case 'TimestampPath':
      parameters['timestamp.$'] = spec.path;
      break;
  }
  return parameters;
}

function waitAsTask(state: JsonObject, spec: WaitSpec): JsonObject {
  const task: JsonObject = { Type: 'Task' };
  if ('Comment' in state) task.Comment = state.Comment;
  task.Resource = LOCAL_WAIT_RESOURCE;
  task.TimeoutSeconds = LOCAL_WAIT_TIMEOUT_SECONDS;
  const narrowed = 'InputPath' in state;
  if (narrowed) task.InputPath = state.InputPath;
  task.Parameters = waitParameters(spec, narrowed);
  if (!narrowed) task.ResultPath = null;
  if ('OutputPath' in state) task.OutputPath = state.OutputPath;
  if ('Next' in state) task.Next = state.Next;
  if ('End' in state) task.End = state.End;
  // Through JSON, as every object the interpreter resolves `.$` keys in (see cloneJson).
  return cloneJson(task);
}

/** A copy of the definition with every Wait state (at any depth) turned into a local-wait Task. */
export function rewriteWaitStates(definition: AslDefinition): LocalDefinition {
  const copy = cloneJson(definition) as JsonObject;
  const waits = new Map<string, WaitSpec>();
  for (const { name, state, states } of allStates(copy)) {
    if (state.Type !== 'Wait') continue;
    if (waits.has(name)) throw new UnsupportedDefinitionError([`${name}: two Wait states share this name`]);
    const spec = waitSpecOf(name, state);
    waits.set(name, spec);
    states[name] = waitAsTask(state, spec);
  }
  const result: LocalDefinition = { definition: copy, waits };
  if ('TimeoutSeconds' in copy) {
    if (typeof copy.TimeoutSeconds === 'number') result.executionTimeoutSeconds = copy.TimeoutSeconds;
    delete copy.TimeoutSeconds;
  }
  return result;
}

// RFC 3339 as ASL requires it: uppercase T and Z, optional fraction, or a numeric offset.
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));

/**
 * When a rewritten Wait wakes (epoch ms on the local clock), from what the interpreter resolved for
 * it (`request`: the handler's input), checked as a Wait checks it: seconds a non-negative integer
 * counted from `nowMs`, a timestamp RFC 3339 and absolute. A bad value fails the state with
 * States.Runtime; a path that points to nothing has already failed it in the interpreter.
 */
export function wakeTimeMs(spec: WaitSpec, request: unknown, nowMs: number): number {
  if (!isObject(request)) throw new StatesRuntimeError(`a local wait got ${JSON.stringify(request)} instead of its resolved Parameters`);
  switch (spec.kind) {
    case 'Seconds':
    case 'SecondsPath': {
      const { seconds } = request;
      if (!Number.isInteger(seconds) || (seconds as number) < 0) {
        const what = spec.kind === 'SecondsPath' ? `Path expression '${spec.path}'` : 'Seconds';
        throw new StatesRuntimeError(`${what} must point to a non-negative integer`);
      }
      return nowMs + (seconds as number) * 1000;
    }
    case 'Timestamp':
    case 'TimestampPath': {
      const { timestamp } = request;
      if (!isTimestamp(timestamp)) {
        const what = spec.kind === 'TimestampPath' ? `Path expression '${spec.path}'` : 'Timestamp';
        throw new StatesRuntimeError(`${what} must point to an RFC 3339 timestamp`);
      }
      return Date.parse(timestamp);
    }
  }
}
