import { logger } from '../adapters/observability';
import { CreateExportInputSchema, requestExport } from '../core/export-requests';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/exports `{from, to}`: an auditor's compliance export of a period of whole UTC days
 * (docs/exports.md). 200 with the sealed export when it exists already; 202 with where it stands
 * when its workflow was started or is running (poll GET /v1/exports/{exportId}). Roles: routes.ts.
 */
export const handler = staffRoute('create-export', async (req) => {
  const input = parseRouteBody(req, CreateExportInputSchema);
  const { app } = req;
  const { started, status } = await requestExport(input, { store: app.exportStore, workflows: app.exportWorkflows }, app.clock);
  logger.info('export requested', { exportId: status.exportId, status: status.status, started, actorRole: req.actor.kind });
  return json(status.status === 'completed' ? 200 : 202, { export: status.status === 'completed' ? { exportId: status.exportId, status: status.status, sequence: status.manifest.sequence, counts: status.manifest.counts } : status });
});
