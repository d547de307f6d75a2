import { NotFoundError } from '../core/errors';
import { exportKeys, exportStatus } from '../core/compliance-export';
import { ExportIdPathSchema } from './path-params';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/** How long a download link of an export's file works. */
export const EXPORT_FILE_LINK_SECONDS = 15 * 60;
/** Links given in one answer: a longer export is fetched with `npm run caseflow -- export` or from the bucket. */
export const MAX_FILE_LINKS = 200;


/**
 * GET /v1/exports/{exportId}: where an export stands; once sealed, its manifest (sequence, counts,
 * every file's SHA-256) and 15-minute links to the manifest and its files. Roles: routes.ts.
 */
export const handler = staffRoute('get-export', async ({ event, app }) => {
  const { exportId } = parseInput(ExportIdPathSchema, event.pathParameters ?? {});
  const status = await exportStatus(exportId, app.exportStore);
  if (status.status === 'not-started') throw new NotFoundError(`No export ${exportId}: start it with POST /v1/exports`);
  if (status.status !== 'completed') return json(200, { export: status });
  const link = async (key: string, contentType: string) => {
    const made = await app.exportLinks.link(key, { filename: key.split('/').slice(-2).join('-'), contentType }, EXPORT_FILE_LINK_SECONDS);
    return { url: made.url, expiresAt: made.expiresAt.toISOString() };
  };
  const files = status.manifest.files.slice(0, MAX_FILE_LINKS);
  return json(200, {
    export: { exportId, status: 'completed', manifest: status.manifest },
    downloads: {
      manifest: await link(exportKeys.manifest(exportId), 'application/json'),
      files: await Promise.all(files.map(async (f) => ({ path: f.path, ...(await link(f.path, f.format === 'jsonl' ? 'application/x-ndjson' : 'application/vnd.apache.parquet')) }))),
      ...(status.manifest.files.length > files.length ? { truncated: `${status.manifest.files.length - files.length} more files: use \`npm run caseflow -- export\` locally, or read the exports bucket` } : {}),
    },
  });
});
