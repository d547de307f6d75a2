import { FUNCTION_CONFIG } from '../../functions/adapters/function-config';
import { deployedFunctions, functionResource, type DeployedFunction } from './support/functions';
import { synthesizeCaseflow } from './support/synth';

/**
 * The deployment contract (functions/adapters/function-config.ts): each function is deployed with
 * the configuration its handler reads at start (`configFor`), so none fails its first invocation
 * with a configuration error in AWS.
 */
let deployed: Map<string, DeployedFunction>;

beforeAll(() => {
  deployed = deployedFunctions(synthesizeCaseflow());
});

/** Set on every function by CaseflowFunction, outside any handler's configuration. */
const CONSTRUCT_DEFAULTS = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE']);
/** Lambda's own variables (AWS_REGION is reserved) and the local stand-ins' endpoints: never deployed. */
const NOT_DEPLOYED = /^AWS_|_ENDPOINT$/;
/**
 * What a CloudFormation value (a Ref, an import, a join) stands for at deploy time, as far as a
 * schema can tell: the first of these that the variable's own field accepts replaces it.
 */
const PLAUSIBLE_VALUES = [
  'arn:aws:states:eu-west-1:123456789012:stateMachine:caseflow-dev-case-sla',
  'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  'someone@example.com',
  'eu-west-1_Example1',
  'caseflow-dev-resource',
];

type Handler = keyof typeof FUNCTION_CONFIG;
const isConfigured = (handler: string): handler is Handler => Object.hasOwn(FUNCTION_CONFIG, handler);

/** Each function's deployed variables by handler name, as the templates (stateless, workers and exports stacks) have them. */
function deployedEnvironments(): Array<[string, Record<string, unknown>]> {
  return [...deployed].map(([handler, d]): [string, Record<string, unknown>] => [handler, (functionResource(d).Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}]);
}

/** The environment as the handler would see it: CloudFormation values replaced by a value their field accepts, or left as they are. */
function asDeployed(handler: Handler, variables: Record<string, unknown>): Record<string, string> {
  const shape = FUNCTION_CONFIG[handler].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      const field = shape[name];
      return [name, PLAUSIBLE_VALUES.find((candidate) => field?.safeParse(candidate).success) ?? JSON.stringify(value)];
    }),
  );
}

describe('function environments (the deployment contract)', () => {
  it('deploys only functions whose handler has a configuration in FUNCTION_CONFIG', () => {
    const handlers = [...deployed.keys()];
    expect(handlers.filter((handler) => !isConfigured(handler))).toEqual([]);
    expect(handlers).toEqual(expect.arrayContaining(['create-case', 'outbox-stream', 'export-step']));
  });

  it("sets on each function only variables its handler's configuration names, besides the Powertools defaults, and none Lambda or the local stack owns", () => {
    const misplaced = deployedEnvironments().flatMap(([handler, variables]) => {
      const known = new Set(isConfigured(handler) ? Object.keys(FUNCTION_CONFIG[handler].shape) : []);
      const names = Object.keys(variables).filter((n) => NOT_DEPLOYED.test(n) || (!known.has(n) && !CONSTRUCT_DEFAULTS.has(n)));
      return names.map((name) => `${handler}: ${name}`);
    });
    expect(misplaced).toEqual([]);
  });

  it('deploys each function with every variable its handler requires, each a value its configuration accepts', () => {
    const problems = deployedEnvironments().flatMap(([handler, variables]) => {
      if (!isConfigured(handler)) return [];
      const result = FUNCTION_CONFIG[handler].safeParse(asDeployed(handler, variables));
      return result.success ? [] : result.error.issues.map((i) => `${handler}: ${i.path.join('.')}: ${i.message}`);
    });
    expect(problems).toEqual([]);
  });
});
