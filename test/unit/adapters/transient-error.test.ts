import { S3ServiceException } from '@aws-sdk/client-s3';
import { isTransient } from '../../../functions/adapters/transient-error';

const sdkError = (name: string, status: number, retryable = false) =>
  Object.assign(new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } }), retryable ? { $retryable: {} } : {});

describe('which ingestion failures are the message\'s own', () => {
  it('counts a failure a retry cannot mend: a missing object, a refused key, a record the table rejects', () => {
    expect(isTransient(sdkError('NoSuchKey', 404))).toBe(false);
    expect(isTransient(sdkError('KeyTooLongError', 400))).toBe(false);
    expect(isTransient(Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' }))).toBe(false);
    expect(isTransient(new TypeError('cannot read properties of undefined'))).toBe(false);
  });

  it('does not count a stand-in or service that is down, slow or busy', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4568'), { code: 'ECONNREFUSED' });
    expect(isTransient(refused)).toBe(true);
    expect(isTransient(Object.assign(new Error('request failed'), { cause: refused }))).toBe(true);
    expect(isTransient(sdkError('InternalError', 500))).toBe(true);
    expect(isTransient(sdkError('SlowDown', 503))).toBe(true);
    expect(isTransient(sdkError('ThrottlingException', 400, true))).toBe(true);
    expect(isTransient(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
  });
});
