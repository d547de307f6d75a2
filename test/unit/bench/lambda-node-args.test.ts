import { lambdaNodeArgs } from '../../../bench/lib/lambda-node-args';

describe('the V8 flags a benchmark child runs with, as Lambda’s Node.js runtime starts a function', () => {
  it('gives a 512 MB function a tenth of its memory as young generation (two 25 MB semi-spaces) and 461 MB of old generation', () => {
    expect(lambdaNodeArgs(512)).toEqual(['--expose-gc', '--max-semi-space-size=25', '--max-old-space-size=461']);
  });

  it('divides in whole megabytes as the runtime’s shell does (1024 MB: 51 and 922; 1769 MB: 88 and 1593)', () => {
    expect(lambdaNodeArgs(1024)).toEqual(['--expose-gc', '--max-semi-space-size=51', '--max-old-space-size=922']);
    expect(lambdaNodeArgs(1769)).toEqual(['--expose-gc', '--max-semi-space-size=88', '--max-old-space-size=1593']);
  });
});
