import type { Construct } from 'constructs';
import { grantCaseRead, grantCaseWrite, type CaseData } from './case-data-grants';
import { CaseflowFunction, type CaseflowFunctionProps } from './caseflow-function';

/** What a function may do with the case data (M2.2: least privilege). */
export type DataAccess = 'none' | 'read' | 'read-write';

/** How a function is invoked; only named in the error for a handler without a data access decision. */
export type FunctionKind = 'route' | 'stream' | 'workflow' | 'scheduled' | 'event';

export interface CaseflowFunctionsProps {
  /** The table, its key and its named indexes, for the data grants. */
  caseData: CaseData;
  /** Powertools metrics namespace of every function. */
  metricsNamespace: string;
  /** What each handler may do with the case data (the stack's HANDLER_DATA_ACCESS); a handler missing here fails synth. */
  dataAccess: Readonly<Record<string, DataAccess>>;
}

export type FunctionOptions = Omit<CaseflowFunctionProps, 'handler' | 'metricsNamespace'>;

export const pascalCase = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());

/**
 * The one way the stateless stack's constructs make functions: each gets exactly the data access
 * its handler is given (nothing without a decision). The functions are made in one scope (the stack), one per handler and keyed by it, so a
 * function's construct path and logical ID do not depend on which construct asked for it.
 */
export class CaseflowFunctions {
  /** Every function made, keyed by handler name. */
  public readonly all = new Map<string, CaseflowFunction>();

  constructor(
    private readonly scope: Construct,
    private readonly props: CaseflowFunctionsProps,
  ) {}

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

  create(kind: FunctionKind, handler: string, options: FunctionOptions): CaseflowFunction {
    const access = this.dataAccessOf(kind, handler);
    const fn = new CaseflowFunction(this.scope, pascalCase(handler), {
      ...options,
      handler,
      metricsNamespace: this.props.metricsNamespace,
    });
    this.all.set(handler, fn);
    if (access === 'read' || access === 'read-write') grantCaseRead(fn.role, this.props.caseData);
    if (access === 'read-write') grantCaseWrite(fn.role, this.props.caseData);
    return fn;
  }
}
