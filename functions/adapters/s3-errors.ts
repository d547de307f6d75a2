/** What S3 (and s3rver) answer for a key that is not there: a 404 under one of its names. (A role without s3:ListBucket gets 403 instead.) */
export const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/** A conditional write (`If-None-Match: *`) refused because the object exists, or a concurrent one won. */
export const isConditionalWriteRefused = (error: unknown) => {
  const name = (error as { name?: string }).name;
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
};
