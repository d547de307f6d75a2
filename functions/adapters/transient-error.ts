/**
 * Whether a failure may pass by itself: the service or the network was down, slow or busy, and
 * the same work can succeed later. Such failures are retried without end (by Lambda, the queue or
 * `reconcile-inbound`) and never count against a message; the others are the message's own and,
 * repeated, quarantine it.
 */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RawReadError',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'ConcurrentUpdateError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as ErrorShape).cause, depth += 1) {
    const shape = e as ErrorShape;
    if (shape.$retryable) return true;
    if (typeof shape.name === 'string' && TRANSIENT_NAMES.has(shape.name)) return true;
    if (typeof shape.code === 'string' && TRANSIENT_CODES.has(shape.code)) return true;
    const status = shape.$metadata?.httpStatusCode;
    if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  }
  return false;
}
