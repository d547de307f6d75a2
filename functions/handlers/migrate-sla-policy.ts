import { logger } from '../adapters/observability';
import { parseInput } from '../core/validation';
import { MigrationInputSchema, previewMigration, startMigration } from '../core/sla-migration';
import { SlaPolicyVersionPathSchema } from './path-params';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/sla-policies/{version}/migrations `{reason, selection}`: an admin moves the selected open
 * cases to the version (M8.3), each with the change on its timeline and its SLA workflow replaced,
 * by the migration workflow (state-machines/sla-migration.asl.json), a page at a time. 202 with the
 * migration's record and its Location while it runs (poll GET …/migrations/{migrationId}); 200 with
 * the record once completed. A repeat of a failed migration resumes it. With `dryRun`, answers how
 * many open cases it would move and changes nothing. Roles: routes.ts.
 */
export const handler = staffRoute('migrate-sla-policy', async (req) => {
  const { version } = parseInput(SlaPolicyVersionPathSchema, req.event.pathParameters ?? {});
  const input = parseRouteBody(req, MigrationInputSchema);
  const { app } = req;
  if (input.dryRun) {
    const preview = await previewMigration(version, input.selection, { store: app.cases, queues: app.queues, versions: app.slaPolicies });
    logger.info('sla policy migration preview', { toVersion: preview.toVersion, wouldMigrate: preview.wouldMigrate });
    return json(200, { migration: preview });
  }
  const { record, started } = await startMigration(version, input, req.actor, {
    versions: app.slaPolicies,
    migrations: app.slaMigrations,
    workflows: app.slaMigrationWorkflows,
    clock: app.clock,
  });
  logger.info('sla policy migration', { migrationId: record.migrationId, toVersion: record.toVersion, status: record.status, started, runs: record.runs });
  if (record.status === 'completed') return json(200, { migration: record });
  const location = `/v1/sla-policies/${encodeURIComponent(record.toVersion)}/migrations/${encodeURIComponent(record.migrationId)}`;
  return json(202, { migration: record }, { Location: location });
});
