import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { createLocalStepFunctions } from '../../../local/step-functions/local-step-functions';
import { taskStateNames } from '../../../local/step-functions/wait-rewrite';

const DIR = join(__dirname, '..', '..', '..', 'state-machines');
const files = readdirSync(DIR).filter((f) => f.endsWith('.asl.json'));

describe('the state machine definitions', () => {
  it('exist', () => {
    expect(files).toContain('case-sla.asl.json');
  });

  it.each(files)('%s is valid Amazon States Language (asl-validator, paths and ARNs checked)', (file) => {
    const { isValid, errorsText } = aslValidator(JSON.parse(readFileSync(join(DIR, file), 'utf8')), { checkArn: true, checkPaths: true });
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it.each(files)('%s is JSONPath only, so the local runner can run it as AWS does', (file) => {
    const definition = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Record<string, unknown>;
    const sfn = createLocalStepFunctions();
    const bindings = Object.fromEntries(taskStateNames(definition).map((name) => [name, async () => ({})]));
    expect(() => sfn.register(file, definition, bindings)).not.toThrow();
  });

  it('keeps the Lambda function of case-sla a substitution, so CDK supplies it', () => {
    const text = readFileSync(join(DIR, 'case-sla.asl.json'), 'utf8');
    expect(text.match(/\$\{(\w+)\}/g)?.sort()).toEqual(['${SlaStepFunctionArn}', '${SlaStepFunctionArn}']);
  });
});
