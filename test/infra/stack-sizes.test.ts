import { synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/**
 * CloudFormation takes at most 500 resources a stack, and the stateless stack grows with every
 * route (a function, its role, policy, log group, integration, permission and routes: six or
 * seven resources each). 460 keeps room for a few more before the next split is due, so that a new
 * route fails this test rather than `cdk deploy`. The 405 fallback routes of the quality loop's own
 * paths are the quality stack's (docs/deploy.md); a new concern gets a stack of its own the same way.
 */
const HEADROOM_LIMIT = 460;

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
});

describe('stack sizes', () => {
  it(`keeps every stack at ${HEADROOM_LIMIT} resources or fewer, room under CloudFormation's 500 for new routes and consumers`, () => {
    const templates = {
      stateful: synthesized.statefulTemplate,
      exports: synthesized.exportsTemplate,
      workers: synthesized.workersTemplate,
      stateless: synthesized.statelessTemplate,
      quality: synthesized.qualityTemplate,
    };
    const counts = Object.fromEntries(Object.entries(templates).map(([name, t]) => [name, Object.keys(t.toJSON().Resources as object).length]));
    for (const [stack, count] of Object.entries(counts)) expect({ stack, count, fits: count <= HEADROOM_LIMIT }).toEqual({ stack, count, fits: true });
  });
});
