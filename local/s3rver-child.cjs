'use strict';
/**
 * s3rver (the local S3) in its own process, usable by this install's stack alone. s3rver accepts
 * anonymous requests and the well-known key id S3RVER, and it does not check Host; so a web page
 * in the user's browser could read the inbound mail through DNS rebinding, and any local process
 * could. This wrapper, started by local/s3-local.ts:
 * - replaces the S3RVER key with the install's own (CASEFLOW_S3_CREDENTIALS), and refuses
 *   requests without credentials (s3rver checks the key id; it does not verify SigV4 signatures);
 * - serves only Host 127.0.0.1/localhost/[::1] on its port;
 * - refuses keys the filesystem store cannot hold (a segment over 255 bytes made s3rver crash
 *   with ENAMETOOLONG) or that would leave the bucket's directory (`.`/`..` segments), with
 *   KeyTooLongError / InvalidArgument as S3 answers, instead of crashing.
 */
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const config = JSON.parse(process.env.CASEFLOW_S3RVER ?? '{}');
const credentials = JSON.parse(process.env.CASEFLOW_S3_CREDENTIALS ?? '{}');
if (!credentials.accessKeyId || !credentials.secretAccessKey) throw new Error('CASEFLOW_S3_CREDENTIALS is required');
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey);

/** s3rver stores `<segment>._S3rver_metadata.json`: the last segment leaves room for the suffix. */
const SEGMENT_MAX = 255;
const LAST_SEGMENT_MAX = SEGMENT_MAX - '._S3rver_metadata.json'.length;
const KEY_MAX = 1024; // S3's own limit, in UTF-8 bytes

const xmlError = (ctx, status, code, message) => {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
};

function guard(hosts) {
  return async (ctx, next) => {
    if (!hosts.has(String(ctx.get('host')).toLowerCase())) return xmlError(ctx, 403, 'AccessDenied', 'Invalid Host header');
    const q = ctx.query;
    const signed = Boolean(ctx.get('authorization')) || 'X-Amz-Credential' in q || 'AWSAccessKeyId' in q;
    if (!signed) return xmlError(ctx, 403, 'AccessDenied', 'Anonymous requests are not accepted');
    // The key as s3rver will see it, decoded whole: an encoded slash (%2F) separates segments too.
    let key;
    try {
      key = decodeURIComponent(ctx.path.split('/').slice(2).join('/'));
    } catch {
      return xmlError(ctx, 400, 'InvalidURI', 'Malformed percent-encoding');
    }
    const segments = key.split('/');
    if (Buffer.byteLength(key) > KEY_MAX) return xmlError(ctx, 400, 'KeyTooLongError', 'Your key is too long');
    const last = segments.length - 1;
    for (const [i, segment] of segments.entries()) {
      if (segment === '.' || segment === '..') return xmlError(ctx, 400, 'InvalidArgument', 'Key segments . and .. are not stored by the local S3');
      if (Buffer.byteLength(segment) > (i === last ? LAST_SEGMENT_MAX : SEGMENT_MAX)) {
        return xmlError(ctx, 400, 'KeyTooLongError', `A key segment over ${i === last ? LAST_SEGMENT_MAX : SEGMENT_MAX} bytes cannot be stored by the local S3`);
      }
    }
    return next();
  };
}

const server = new S3rver({
  address: '127.0.0.1',
  port: config.port,
  directory: config.directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: (config.buckets ?? []).map((name) => ({ name })),
});
const port = config.port;
server.middleware.unshift(guard(new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])));
server.run().then(
  () => process.stdout.write(`s3rver ready on 127.0.0.1:${port}\n`),
  (error) => {
    process.stderr.write(`s3rver could not start: ${error && error.message}\n`);
    process.exit(1);
  },
);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
