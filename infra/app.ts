import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createCaseflowStacks } from './caseflow-stacks';
import { readCaseflowContext } from './context';

/**
 * The CDK app (`npm run synth`, `npx cdk deploy --all`; docs/deploy.md). cdk-nag's AWS Solutions
 * pack runs as a synthesis validation plugin: an unacknowledged finding fails the synth.
 */
const app = new App();
createCaseflowStacks(app, readCaseflowContext(app.node));
// cdk-nag 3 is a validation plugin, not an Aspect (Aspects.of(app).add(...) fails with it).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
