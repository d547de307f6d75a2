import { migrationOf } from '../core/sla-migration';
import { parseInput } from '../core/validation';
import { SlaMigrationPathSchema } from './path-params';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/**
 * GET /v1/sla-policies/{version}/migrations/{migrationId}: a migration's record and progress
 * (`status` running, completed or failed; `migrated`, `alreadyOnVersion`), which the console polls
 * after starting one (M8.3). Roles: routes.ts.
 */
export const handler = staffRoute('get-sla-migration', async ({ event, app }) => {
  const { version, migrationId } = parseInput(SlaMigrationPathSchema, event.pathParameters ?? {});
  return json(200, { migration: await migrationOf(version, migrationId, app.slaMigrations) });
});
