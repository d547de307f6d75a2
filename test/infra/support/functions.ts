import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CaseflowFunction } from '../../../infra/constructs/caseflow-function';
import { statementsOfRole, type Statement } from './iam';
import type { SynthesizedApp } from './synth';

/** A caseflow function with the stack that deploys it and that stack's template. */
export interface DeployedFunction {
  handler: string;
  fn: CaseflowFunction;
  stack: Stack;
  template: Template;
}

/**
 * Every caseflow function of the app, keyed by handler, whichever stack deploys it: the route
 * functions (stateless stack), the stream consumers, workflows and daily jobs (workers stack) and
 * export-step (exports stack). A handler deployed twice would be a defect: it throws, but for the
 * 405 function each API stack builds for its own paths (PER_STACK): the stateless stack's stands for
 * both here, the quality stack's is checked in test/infra/quality-stack.test.ts.
 */
const PER_STACK: ReadonlySet<string> = new Set(['method-not-allowed']);

export function deployedFunctions(s: SynthesizedApp): Map<string, DeployedFunction> {
  const all = new Map<string, DeployedFunction>();
  const stacks = [
    { stack: s.stateless, template: s.statelessTemplate },
    { stack: s.workers, template: s.workersTemplate },
    { stack: s.exports, template: s.exportsTemplate },
    { stack: s.quality, template: s.qualityTemplate },
  ];
  for (const { stack, template } of stacks) {
    for (const [handler, fn] of stack.functions) {
      if (all.has(handler)) {
        if (PER_STACK.has(handler)) continue;
        throw new Error(`${handler} is deployed by two stacks`);
      }
      all.set(handler, { handler, fn, stack, template });
    }
  }
  return all;
}

/** Every statement attached to the function's role, in its own stack's template. */
export const statementsOfFunction = (d: DeployedFunction): Statement[] => statementsOfRole(d.template, d.stack, d.fn.role);

/** The function's resource (AWS::Lambda::Function) in its stack's template. */
export const functionResource = (d: DeployedFunction): { Properties: Record<string, unknown> } =>
  (d.template.findResources('AWS::Lambda::Function') as Record<string, { Properties: Record<string, unknown> }>)[d.stack.getLogicalId(d.fn.fn.node.defaultChild as never)] ?? { Properties: {} };
