import { logger } from '../adapters/observability';
import { parseInput } from '../core/validation';
import { MigrationInputSchema, migrateOpenCases, previewMigration } from '../core/sla-migration';
import { SlaPolicyVersionPathSchema } from './path-params';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/sla-policies/{version}/migrations `{reason, selection}`: an admin moves the selected open
 * cases to the version (M8.3), each with the change on its timeline and its SLA workflow replaced.
 * Answers the migration's record; a repeat resumes it and skips the cases already moved. With
 * `dryRun`, answers how many open cases it would move and changes nothing. Roles: routes.ts.
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
  const record = await migrateOpenCases(version, input, req.actor, {
    store: app.cases,
    queues: app.queues,
    versions: app.slaPolicies,
    workflows: app.slaWorkflows,
    migrations: app.slaMigrations,
    clock: app.clock,
  });
  logger.info('sla policy migration', { migrationId: record.migrationId, toVersion: record.toVersion, migrated: record.migrated, alreadyOnVersion: record.alreadyOnVersion });
  return json(200, { migration: record });
});
