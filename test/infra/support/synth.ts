import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { createCaseflowStacks, type CaseflowStacks } from '../../../infra/caseflow-stacks';
import { readCaseflowContext } from '../../../infra/context';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The context of cdk.json (feature flags and the caseflow keys), so tests build what synth builds. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

export interface SynthesizedApp extends CaseflowStacks {
  app: App;
  statefulTemplate: Template;
  statelessTemplate: Template;
  exportsTemplate: Template;
  workersTemplate: Template;
  qualityTemplate: Template;
}

/**
 * Builds the app as infra/app.ts does, without bundling the functions (no esbuild runs: the
 * templates are the same apart from the asset hashes) and without CDK's own template validation.
 */
export function synthesizeCaseflow(context: Record<string, unknown> = {}): SynthesizedApp {
  process.env.CDK_VALIDATION = 'false';
  const app = new App({ context: { ...cdkJsonContext(), [BUNDLING_STACKS]: [], ...context } });
  const stacks = createCaseflowStacks(app, readCaseflowContext(app.node));
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
    exportsTemplate: Template.fromStack(stacks.exports),
    workersTemplate: Template.fromStack(stacks.workers),
    qualityTemplate: Template.fromStack(stacks.quality),
  };
}
