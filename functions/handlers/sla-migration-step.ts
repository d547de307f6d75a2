import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { failMigration, migrateNextPage } from '../core/sla-migration';

const app = wiring(configFor('sla-migration-step'));

const MigrationIdSchema = z.string().min(1).max(200);
const StepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('page'), migrationId: MigrationIdSchema }),
  // The Catch's error: its name, and the Lambda error's JSON (errorType, errorMessage, trace) or a States error's text.
  z.object({ step: z.literal('fail'), migrationId: MigrationIdSchema, error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).loose() }),
]);

/** The error's name and message, without its stack trace: what the record keeps of a failed run. */
function failureOf(error: { Error?: string | undefined; Cause?: string | undefined }): string {
  let message = error.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // A States error's cause is plain text.
  }
  return [error.Error ?? 'Error', message].filter(Boolean).join(': ');
}

/**
 * The SLA policy migration workflow's one function (state-machines/sla-migration.asl.json): `page`
 * moves the next page of a migration's open cases and records its progress (answers whether pages
 * are left), `fail` records a run that failed. The rules are in core/sla-migration.ts.
 */
export async function run(input: unknown) {
  const step = StepSchema.parse(input);
  const deps = { store: app.cases, queues: app.queues, versions: app.slaPolicies, workflows: app.slaWorkflows, migrations: app.slaMigrations, clock: app.clock };
  switch (step.step) {
    case 'page': {
      const { record, more } = await migrateNextPage(step.migrationId, deps);
      logger.info('sla policy migration page', { migrationId: record.migrationId, status: record.status, migrated: record.migrated, alreadyOnVersion: record.alreadyOnVersion });
      return { migrationId: record.migrationId, more, status: record.status, migrated: record.migrated, alreadyOnVersion: record.alreadyOnVersion };
    }
    case 'fail': {
      const record = await failMigration(step.migrationId, failureOf(step.error), deps);
      logger.warn('sla policy migration failed', { migrationId: record.migrationId, error: step.error.Error, migrated: record.migrated });
      return { migrationId: record.migrationId, status: record.status };
    }
  }
}

export const handler = middy<unknown, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: unknown) => run(event));
