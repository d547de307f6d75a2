import type { Construct } from 'constructs';
import { environmentFor, type EnvironmentOf, type FunctionName } from '../../functions/adapters/function-config';
import { grantCaseRead, grantCaseWrite, type CaseData } from './case-data-grants';
import { CaseflowFunction, type CaseflowFunctionProps } from './caseflow-function';

/** What a function may do with the case data (M2.2: least privilege). */
export type DataAccess = 'none' | 'read' | 'read-write';

/** How a function is invoked; only named in the error for a handler without a data access decision. */
export type FunctionKind = 'route' | 'stream' | 'workflow' | 'scheduled' | 'event' | 'manual';

export interface CaseflowFunctionsProps {
  /** The table, its key and its named indexes, for the data grants. */
  caseData: CaseData;
  /** Powertools metrics namespace of every function. */
  metricsNamespace: string;
  /** What each handler may do with the case data (the stack's HANDLER_DATA_ACCESS); a handler missing here fails synth. */
  dataAccess: Readonly<Record<string, DataAccess>>;
}

export type FunctionOptions<N extends FunctionName> = Omit<CaseflowFunctionProps, 'handler' | 'metricsNamespace' | 'environment'> & {
  /**
   * The function's variables, named by its handler's configuration schema (FUNCTION_CONFIG in
   * functions/adapters/function-config.ts): a misspelt or missing one does not compile. The
   * Powertools variables are CaseflowFunction's defaults.
   */
  environment: EnvironmentOf<N>;
  /** The table's indexes it may query, when not every named one (least privilege for a function that reads one). */
  indexes?: readonly string[];
};

export const pascalCase = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());

/**
 * The one way the stacks' constructs make functions: each gets exactly the data access
 * its handler is given (nothing without a decision) and the environment its handler's schema
 * names. The functions are made in one scope (the stack), one per handler and keyed by it, so a
 * function's construct path and logical ID do not depend on which construct asked for it.
 */
export class CaseflowFunctions {
  /** Every function made, keyed by handler name. */
  public readonly all = new Map<string, CaseflowFunction>();

  constructor(
    private readonly scope: Construct,
    private readonly props: CaseflowFunctionsProps,
  ) {}

  /** The Powertools metrics namespace every function emits its own metrics under (for alarms on them). */
  get metricsNamespace(): string {
    return this.props.metricsNamespace;
  }

  /** The handler's data access; throws, naming where to decide it, when there is none. */
  dataAccessOf(kind: FunctionKind, handler: string): DataAccess {
    const access = this.props.dataAccess[handler];
    if (!access) {
      throw new Error(
        `caseflow: ${kind} handler "${handler}" has no entry in HANDLER_DATA_ACCESS (infra/stateless-stack.ts); decide its data access (none, read, read-write) there.`,
      );
    }
    return access;
  }

  create<N extends FunctionName>(kind: FunctionKind, handler: N, options: FunctionOptions<N>): CaseflowFunction {
    const access = this.dataAccessOf(kind, handler);
    const { indexes, ...props } = options;
    const fn = new CaseflowFunction(this.scope, pascalCase(handler), {
      ...props,
      handler,
      metricsNamespace: this.props.metricsNamespace,
      environment: environmentFor(handler, options.environment),
    });
    this.all.set(handler, fn);
    const data = indexes ? { ...this.props.caseData, indexNames: indexes } : this.props.caseData;
    if (access === 'read' || access === 'read-write') grantCaseRead(fn.role, data);
    if (access === 'read-write') grantCaseWrite(fn.role, data);
    return fn;
  }
}
